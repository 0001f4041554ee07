//! Loss (log scale) and accuracy curves of every run, train (dashed) and validation (solid,
//! with the run's marker), epoch by epoch.

use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{
    axis, chart_on, decade_label, decade_ticks_every, draw_markers, err, nice_ticks, plot_size,
    run_colour, stride, DrawResult, Drawn, Root, Style,
};
use crate::chart_scale::{decade_range, log10_point, LogPoint};
use crate::engine::metrics::EpochRecord;
use crate::store::Store;
use crate::url_state::Theme;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    Loss,
    Accuracy,
}

type Points = Vec<(f64, f64)>;

/// One run's curves.
pub struct CurveRun<'a> {
    /// Index into the run palette (also picks the marker).
    pub colour: usize,
    pub records: &'a [EpochRecord],
}

/// Every run's curves in the store: the screen and the exports both draw this.
pub fn runs(store: &Store) -> Vec<CurveRun<'_>> {
    store
        .runs()
        .iter()
        .map(|r| CurveRun {
            colour: r.colour,
            records: r.records(),
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
    let last_epoch = runs
        .iter()
        .filter_map(|r| r.records.last().map(|x| x.epoch))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let all: Vec<(usize, Points, Points)> = runs
        .iter()
        .map(|r| {
            (
                r.colour,
                series(which, r.records, true),
                series(which, r.records, false),
            )
        })
        .collect();
    let (y_lo, y_hi, title, y_desc) = match which {
        Curve::Loss => {
            let values = all
                .iter()
                .flat_map(|(_, t, v)| t.iter().chain(v).map(|p| p.1));
            let (lo, hi) = decade_range(values, 1.0);
            (lo, hi, "Loss (cross-entropy)", "loss (log scale)")
        }
        Curve::Accuracy => (0.0, 1.0, "Accuracy", "accuracy"),
    };
    let m = s.px(10.0);
    let area = root
        .margin(m, m, m, m)
        .titled(title, s.text(1.15, s.fg))
        .map_err(err)?;
    let (x_area, y_area) = (s.px(s.font * 3.0), s.px(s.font * 4.4));
    let (plot_w, plot_h) = plot_size(&area, x_area, y_area);
    let log = which == Curve::Loss;
    // A little room right of the last epoch, so its marker is not cut in half.
    let x_hi = last_epoch * 1.04;
    let x_ticks = nice_ticks(
        0.0,
        last_epoch,
        stride(plot_w / x_hi, s.col_gap(4)) as f64,
        true,
    );
    let y_unit = plot_h / (y_hi - y_lo);
    let y_ticks = if log {
        decade_ticks_every(y_lo, y_hi, stride(y_unit, s.row_gap()))
    } else {
        nice_ticks(y_lo, y_hi, s.row_gap() / y_unit, false)
    };
    let (mut chart, drawn) = chart_on(
        &area,
        (x_area, y_area),
        axis(0f64..x_hi, x_ticks),
        axis(y_lo..y_hi, y_ticks),
    )?;
    let mut mesh = chart.configure_mesh();
    s.theme_mesh(&mut mesh);
    mesh.x_label_formatter(&|x| format!("{}", x.round() as i64))
        .y_label_formatter(&|y| {
            if log {
                decade_label(*y)
            } else {
                format!("{:.0}%", y * 100.0)
            }
        })
        .x_desc("epoch")
        .y_desc(y_desc)
        .draw()
        .map_err(err)?;

    // Map a value to the axis; non-finite values become markers instead.
    let place = |y: f64| -> Option<f64> {
        if log {
            match log10_point(y) {
                LogPoint::At(l) => Some(l),
                _ => None,
            }
        } else {
            y.is_finite().then_some(y)
        }
    };
    let width = s.px(s.line) as u32;
    // The legend (runs, train / validation) is HTML above the charts, so it never hides a curve.
    for (colour_index, train, val) in &all {
        let colour = run_colour(*colour_index);
        for (points, is_train) in [(train, true), (val, false)] {
            let placed: Vec<(f64, f64)> = points
                .iter()
                .filter_map(|&(x, y)| place(y).map(|p| (x, p)))
                .collect();
            if is_train {
                let dash = s.px(6.0).max(1) as u32;
                chart
                    .draw_series(DashedLineSeries::new(
                        placed.iter().copied(),
                        dash,
                        dash * 2 / 3,
                        colour.stroke_width((width * 2 / 3).max(1)),
                    ))
                    .map_err(err)?;
            } else {
                chart
                    .draw_series(LineSeries::new(
                        placed.iter().copied(),
                        colour.stroke_width(width),
                    ))
                    .map_err(err)?;
                draw_markers(
                    &mut chart,
                    *colour_index,
                    &placed,
                    s.px(s.line * 1.3),
                    colour,
                )?;
            }
            // A non-finite value: a marker at the top of the axis.
            let bad = points.iter().filter(|p| place(p.1).is_none());
            chart
                .draw_series(bad.map(|&(x, y)| {
                    let label = if y.is_nan() { "NaN" } else { "∞" };
                    Text::new(
                        label,
                        (x, y_hi - 0.06 * (y_hi - y_lo)),
                        s.centered(1.0, colour),
                    )
                }))
                .map_err(err)?;
        }
    }
    Ok(drawn)
}
