//! Two figures of a recurrent run over training that no layer map can show:
//! - the global gradient norm √(Σ‖∂L/∂θ‖²) at every training step, before clipping, on a log
//!   scale, with each run's clipping threshold dashed — the sudden spikes ("cliffs", Pascanu,
//!   Mikolov & Bengio 2013) that norm clipping was invented to cut;
//! - σ_max, the recurrent kernel's largest singular value, by epoch, with 1 marked: below it
//!   (and with tanh's slope ≤ 1) the gradient can only shrink from one time step to the one
//!   before.

use plotters::prelude::*;

use super::lines::{self, Line, LineChart, Reference, YScale};
use super::{Drawn, Root, Style};
use crate::chart_scale::shared_decade_range;
use crate::engine::clip::Clipping;
use crate::engine::metrics::EpochRecord;
use crate::format::num;
use crate::store::Store;
use crate::web::run_style::run_style;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trace {
    StepNorm,
    SigmaMax,
}

/// One recurrent run's trace.
pub struct TraceRun<'a> {
    pub colour: usize,
    pub records: &'a [EpochRecord],
    pub clipping: Clipping,
}

/// The recurrent runs of the store (a feed-forward run has neither figure).
pub fn runs(store: &Store) -> Vec<TraceRun<'_>> {
    store
        .runs()
        .iter()
        .filter(|r| r.config.model.is_recurrent())
        .map(|r| TraceRun {
            colour: r.colour,
            records: r.records(),
            clipping: r.config.clipping,
        })
        .collect()
}

/// The (x, value) points: epoch e's k-th of n training steps at x = e − 1 + k/n, so step
/// norms line up with the epoch axis (epoch 0 only measures: it has no step); σ_max at the
/// end of each epoch.
pub fn points(which: Trace, records: &[EpochRecord]) -> Vec<(f64, f64)> {
    match which {
        Trace::StepNorm => records
            .iter()
            .filter(|r| r.epoch > 0)
            .flat_map(|r| {
                let n = r.step_grad_norms.len() as f64;
                let start = r.epoch as f64 - 1.0;
                r.step_grad_norms
                    .iter()
                    .enumerate()
                    .map(move |(k, g)| (start + (k + 1) as f64 / n, *g))
            })
            .collect(),
        Trace::SigmaMax => records
            .iter()
            .filter_map(|r| r.sigma_max.map(|s| (r.epoch as f64, s)))
            .collect(),
    }
}

/// The threshold a norm-clipping run cuts the step norm at (clipvalue acts per element and
/// has none comparable to a norm).
fn norm_threshold(c: Clipping) -> Option<f64> {
    match c {
        Clipping::Norm(t) | Clipping::GlobalNorm(t) => Some(t),
        Clipping::Off | Clipping::Value(_) => None,
    }
}

/// Whether the chart has anything to draw yet.
pub fn is_empty(which: Trace, runs: &[TraceRun]) -> bool {
    runs.iter().all(|r| points(which, r.records).is_empty())
}

/// The trace of every recurrent run, on any backend.
pub fn plot<DB: DrawingBackend>(
    root: &Root<DB>,
    s: &Style,
    which: Trace,
    runs: &[TraceRun],
) -> Result<Drawn, String>
where
    DB::ErrorType: 'static,
{
    let last_epoch = lines::last_epoch(runs.iter().map(|r| r.records));
    let lines: Vec<Line> = runs
        .iter()
        .map(|r| Line {
            colour: r.colour,
            points: points(which, r.records),
            dashed: false,
            // Dozens of steps an epoch: a marker each would be a smear.
            markers: which == Trace::SigmaMax,
            marks: true,
            thin: which == Trace::StepNorm,
        })
        .collect();
    let (title, y_desc, scale, y, references) = match which {
        Trace::StepNorm => {
            let references: Vec<Reference> = runs
                .iter()
                .filter_map(|r| {
                    norm_threshold(r.clipping).map(|t| Reference {
                        value: t,
                        colour: Some(r.colour),
                        label: format!(
                            "{} {} {}",
                            run_style(r.colour).glyph,
                            r.clipping.mode_name(),
                            num(t)
                        ),
                    })
                })
                .collect();
            // A run far above the others is clamped, not allowed to squash them; the
            // thresholds always show.
            let per_run: Vec<Vec<f64>> = lines
                .iter()
                .map(|l| l.points.iter().map(|p| p.1).collect())
                .collect();
            let (lo, hi) = references
                .iter()
                .filter(|r| r.value > 0.0)
                .map(|r| r.value.log10())
                .fold(shared_decade_range(&per_run, 1.0), |(lo, hi), t| {
                    (lo.min(t.floor()), hi.max(t.ceil()))
                });
            (
                "Gradient norm at every training step, before clipping",
                "‖∂L/∂θ‖ (log scale)",
                YScale::Log,
                (lo, hi),
                references,
            )
        }
        Trace::SigmaMax => {
            // Each run's largest finite σ_max; a run more than 4 times above the calmest is
            // drawn clamped at the top (a diverged run's U can reach 1e19).
            let tops: Vec<f64> = lines
                .iter()
                .filter_map(|l| {
                    l.points
                        .iter()
                        .map(|p| p.1)
                        .filter(|v| v.is_finite())
                        .reduce(f64::max)
                })
                .collect();
            let calmest = tops.iter().copied().reduce(f64::min).unwrap_or(1.0);
            let top = tops
                .iter()
                .copied()
                .fold(1.5f64, f64::max)
                .min((4.0 * calmest).max(1.5));
            (
                "Largest singular value σ_max of the recurrent kernel U",
                "σ_max",
                YScale::Linear,
                (0.0, top * 1.1),
                vec![Reference {
                    value: 1.0,
                    colour: None,
                    label: "σ_max = 1".into(),
                }],
            )
        }
    };
    let mut drawn = lines::plot(
        root,
        s,
        &LineChart {
            title,
            y_desc,
            scale,
            y,
            last_epoch,
            lines,
            references,
        },
    )?;
    drawn.attrs.push(("data-trace", format!("{which:?}")));
    Ok(drawn)
}
