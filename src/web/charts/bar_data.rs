//! What the gradient bar chart shows, from the store: each run's per-layer figures at the shown
//! epoch, or epoch 0 over its first batches while it is being measured. The screen (with its
//! animation) and the exports both draw this.

use super::grad_bars::{BarRun, Bars};
use super::metric_value;
use crate::chart_scale::decade_range;
use crate::engine::metrics::{EpochRecord, PartialLayers};
use crate::protocol::Phase;
use crate::store::Store;
use crate::url_state::GradMetric;

/// A run's bars at the shown epoch: the values the animation ends on.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub colour: usize,
    /// The epoch of the record drawn (a run that stopped earlier shows its last one).
    pub epoch: usize,
    pub values: Vec<f64>,
    pub theory: Option<Vec<f64>>,
}

/// Everything the bar chart shows at an epoch, from the store: the screen and the exports
/// both draw this.
#[derive(Clone, Debug, PartialEq)]
pub struct BarData {
    pub metric: GradMetric,
    /// The epoch the caption names: the one most runs show.
    pub epoch: usize,
    /// The earliest epoch any run shows.
    pub min_epoch: usize,
    pub range: (f64, f64),
    pub targets: Vec<Target>,
    /// An epoch shown before it is complete (epoch 0 being measured, or a Step inside an
    /// epoch): (batches so far, batches in the epoch).
    pub partial: Option<(usize, usize)>,
    /// The bars are a recurrent run's time steps (δ at t = 1..T, then the output layer).
    pub through_time: bool,
}

impl BarData {
    /// The chart's runs, with these values (the targets, or an animation frame).
    pub fn runs<'a>(&'a self, values: impl Fn(usize) -> &'a [f64]) -> Vec<BarRun<'a>> {
        self.targets
            .iter()
            .enumerate()
            .map(|(i, t)| BarRun {
                colour: t.colour,
                values: values(i),
                theory: t.theory.as_deref(),
            })
            .collect()
    }

    /// The chart at rest: every run at its target.
    pub fn bars<'a>(&self, runs: &'a [BarRun<'a>]) -> Bars<'a> {
        Bars {
            metric: self.metric,
            epoch: self.epoch,
            runs,
            range: self.range,
            partial: self.partial,
            through_time: self.through_time,
        }
    }
}

/// What a record gives the bars: one value per layer, or, for a recurrent run's δ, one per
/// time step (t = 1..T) then the output layer's.
pub fn record_values(metric: GradMetric, rec: &EpochRecord) -> Vec<f64> {
    if metric == GradMetric::DeltaRms && !rec.time_steps.is_empty() {
        delta_through_time(rec)
    } else {
        rec.layers.iter().map(|l| metric_value(metric, l)).collect()
    }
}

/// A recurrent run's δ at every time step (t = 1..T), then the output layer's.
pub fn delta_through_time(rec: &EpochRecord) -> Vec<f64> {
    let output = rec.layers.last().map(|l| l.delta_rms);
    rec.time_steps
        .iter()
        .map(|s| s.delta_rms)
        .chain(output)
        .collect()
}

/// Whether the bars show time steps: δ, with a recurrent run on screen.
fn through_time(store: &Store, metric: GradMetric) -> bool {
    metric == GradMetric::DeltaRms && store.has_recurrent()
}

/// The epoch the charts show: the one picked on the slider, or the latest of any run.
pub fn shown_epoch(store: &Store, view: Option<usize>) -> Option<usize> {
    let latest = store.runs().iter().filter_map(|r| r.epoch()).max()?;
    Some(view.map_or(latest, |v| v.min(latest)))
}

/// Epoch 0's bars over the batches measured so far, while no run has a record yet.
fn partial_data(store: &Store, metric: GradMetric) -> Option<BarData> {
    let mut so_far = (usize::MAX, 0);
    let targets: Vec<Target> = store
        .runs()
        .iter()
        .filter_map(|r| {
            let p = r.progress.as_ref()?;
            let partial = p.partial.as_ref().filter(|x| x.epoch == 0)?;
            so_far = (so_far.0.min(partial.steps), p.steps_per_epoch);
            Some(Target {
                colour: r.colour,
                epoch: 0,
                values: partial_values(partial, metric),
                theory: None,
            })
        })
        .collect();
    if targets.is_empty() {
        return None;
    }
    let range = decade_range(targets.iter().flat_map(|t| t.values.iter().copied()), 2.0);
    Some(BarData {
        metric,
        epoch: 0,
        min_epoch: 0,
        range,
        targets,
        partial: Some(so_far),
        through_time: through_time(store, metric),
    })
}

/// The chosen measure's values in an epoch's figures so far.
fn partial_values(partial: &PartialLayers, metric: GradMetric) -> Vec<f64> {
    match metric {
        GradMetric::GradNorm => partial.grad_norm.clone(),
        GradMetric::DeltaRms if !partial.time_delta_rms.is_empty() => {
            let output = partial.delta_rms.last().copied();
            partial
                .time_delta_rms
                .iter()
                .copied()
                .chain(output)
                .collect()
        }
        GradMetric::DeltaRms => partial.delta_rms.clone(),
        GradMetric::ClippedGradNorm => partial.clipped_grad_norm.clone(),
    }
}

/// A run stopped inside an epoch (by Step): that epoch's figures over its batches so far, and
/// (batches so far, batches in the epoch).
fn stepped_into(run: &crate::store::Run) -> Option<(&PartialLayers, (usize, usize))> {
    let p = run.progress.as_ref()?;
    let partial = p.partial.as_ref()?;
    let after_last_record = run.epoch().is_some_and(|e| partial.epoch > e);
    (p.phase == Phase::Paused && after_last_record)
        .then_some((partial, (partial.steps, p.steps_per_epoch)))
}

/// The bars at the shown epoch; epoch 0 over its first batches while it is being measured;
/// the epoch so far after a Step inside it (when following the latest epoch); None before
/// anything was measured.
pub fn data(store: &Store, metric: GradMetric, view: Option<usize>) -> Option<BarData> {
    let Some(epoch) = shown_epoch(store, view) else {
        return partial_data(store, metric);
    };
    let show_theory = metric == GradMetric::DeltaRms;
    let mut so_far: Option<(usize, usize)> = None;
    // Each run's record at the shown epoch (or its last one, if it stopped earlier).
    let targets: Vec<Target> = store
        .runs()
        .iter()
        .filter_map(|r| {
            let theory = show_theory.then(|| r.theory.clone()).flatten();
            if let Some((partial, steps)) = stepped_into(r).filter(|_| view.is_none()) {
                so_far = Some(so_far.map_or(steps, |s| (s.0.min(steps.0), steps.1)));
                return Some(Target {
                    colour: r.colour,
                    epoch: partial.epoch,
                    values: partial_values(partial, metric),
                    theory,
                });
            }
            let rec = r.records_upto(epoch).last()?;
            Some(Target {
                colour: r.colour,
                epoch: rec.epoch,
                values: record_values(metric, rec),
                theory,
            })
        })
        .collect();
    // One axis for all runs and all epochs, so bars compare across both.
    let range = decade_range(
        store
            .runs()
            .iter()
            .flat_map(|r| r.records().iter())
            .flat_map(|rec| record_values(metric, rec))
            .chain(
                targets
                    .iter()
                    .flat_map(|t| t.theory.iter().flatten().chain(&t.values).copied()),
            ),
        2.0,
    );
    Some(BarData {
        metric,
        // The caption names the epoch most runs show (a run that stopped earlier shows its
        // last record; with a thinned history, the nearest kept epoch).
        epoch: targets.iter().map(|t| t.epoch).max().unwrap_or(epoch),
        min_epoch: targets.iter().map(|t| t.epoch).min().unwrap_or(epoch),
        range,
        targets,
        partial: so_far,
        through_time: through_time(store, metric),
    })
}
