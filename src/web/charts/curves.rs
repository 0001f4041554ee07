//! Loss (log scale) and accuracy curves of every run, train (dashed) and validation (solid,
//! with the run's marker), epoch by epoch.

use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::lines::{self, Line, LineChart, Reference, YScale};
use super::{DrawResult, Drawn, Root, Style};
use crate::chart_scale::shared_decade_range;
use crate::engine::metrics::EpochRecord;
use crate::store::Store;
use crate::url_state::Theme;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    Loss,
    Accuracy,
}

/// One run's curves.
pub struct CurveRun<'a> {
    /// Index into the run palette (also picks the marker).
    pub colour: usize,
    pub records: &'a [EpochRecord],
    /// The accuracy of guessing: 1 / the task's classes.
    pub chance: f64,
}

/// Every run's curves in the store: the screen and the exports both draw this.
pub fn runs(store: &Store) -> Vec<CurveRun<'_>> {
    store
        .runs()
        .iter()
        .map(|r| CurveRun {
            colour: r.colour,
            records: r.records(),
            chance: 1.0 / r.config.dataset.classes() as f64,
        })
        .collect()
}

/// The (epoch, value) points of one series; an accuracy next to a non-finite loss means
/// nothing, so it becomes NaN (drawn as a marker).
fn series(which: Curve, records: &[EpochRecord], train: bool) -> Vec<(f64, f64)> {
    records
        .iter()
        .map(|r| {
            let (loss, acc) = if train {
                (r.train_loss, r.train_accuracy)
            } else {
                (r.val_loss, r.val_accuracy)
            };
            let y = match which {
                Curve::Loss => loss,
                Curve::Accuracy if loss.is_finite() => acc,
                Curve::Accuracy => f64::NAN,
            };
            (r.epoch as f64, y)
        })
        .collect()
}

/// Draws the curves on the canvas (sized to the screen) and exposes what was drawn.
pub fn draw(
    canvas: &HtmlCanvasElement,
    theme: Theme,
    which: Curve,
    runs: &[CurveRun],
) -> DrawResult {
    super::draw_on(canvas, theme, |root, s| plot(root, s, which, runs))
}

/// Loss or accuracy of every run, on any backend.
pub fn plot<DB: DrawingBackend>(
    root: &Root<DB>,
    s: &Style,
    which: Curve,
    runs: &[CurveRun],
) -> Result<Drawn, String>
where
    DB::ErrorType: 'static,
{
    let last_epoch = lines::last_epoch(runs.iter().map(|r| r.records));
    // Per run: the training side dashed, the validation side solid with the run's markers
    // (and its values off the scale marked).
    let lines: Vec<Line> = runs
        .iter()
        .flat_map(|r| {
            [true, false].map(|train| Line {
                colour: r.colour,
                points: series(which, r.records, train),
                dashed: train,
                markers: !train,
                marks: !train,
                thin: false,
            })
        })
        .collect();
    let (y, scale, title, y_desc) = match which {
        Curve::Loss => {
            // From finite values only, and a run far above the others is clamped, not allowed
            // to squash them (chart_scale::shared_decade_range).
            let per_run: Vec<Vec<f64>> = lines
                .chunks(2)
                .map(|pair| {
                    pair.iter()
                        .flat_map(|l| l.points.iter().map(|p| p.1))
                        .collect()
                })
                .collect();
            (
                shared_decade_range(&per_run, 1.0),
                YScale::Log,
                "Loss (cross-entropy)",
                "loss (log scale)",
            )
        }
        Curve::Accuracy => ((0.0, 1.0), YScale::Percent, "Accuracy", "accuracy"),
    };
    // Chance, dashed, once per value among the runs (10 % on digits, 25 % on temporal order).
    let mut references: Vec<Reference> = Vec::new();
    for r in runs.iter().filter(|_| which == Curve::Accuracy) {
        if !references.iter().any(|c| c.value == r.chance) {
            references.push(Reference {
                value: r.chance,
                colour: None,
                label: format!("chance {:.0} %", 100.0 * r.chance),
            });
        }
    }
    lines::plot(
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
    )
}
