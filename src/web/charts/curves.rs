//! Loss (log scale) and accuracy curves of every run, train (dashed) and validation (solid,
//! with the run's marker), epoch by epoch.

use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{
    axis, chart_on, decade_label, decade_ticks_every, draw_markers, err, nice_ticks, plot_size,
    stride, DrawResult, Drawn, Root, Style,
};
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::chart_scale::{log10_point, shared_decade_range, LogPoint};
use crate::engine::metrics::EpochRecord;
use crate::format::num;
use crate::store::Store;
use crate::url_state::Theme;
use crate::web::run_style::run_style;

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
            // From finite values only, and a run far above the others is clamped, not allowed
            // to squash them (chart_scale::shared_decade_range).
            let per_run: Vec<Vec<f64>> = all
                .iter()
                .map(|(_, t, v)| t.iter().chain(v).map(|p| p.1).collect())
                .collect();
            let (lo, hi) = shared_decade_range(&per_run, 1.0);
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
    let marker = s.px(s.line * 1.3);
    // Labels go inside the plot, on the side away from the nearer edge (so none sits on a
    // tick label), one row each below the top edge (so two never meet), in the band above
    // the calmest run that the axis keeps free.
    let mut labels: Vec<(f64, String, RGBColor)> = Vec::new();
    // The legend (runs, train / validation) is HTML above the charts, so it never hides a curve.
    for (colour_index, train, val) in &all {
        let colour = s.run(*colour_index);
        let glyph = run_style(*colour_index).glyph;
        for (points, is_train) in [(train, true), (val, false)] {
            // A diverged run is drawn up to its last finite value.
            let finite = points
                .iter()
                .position(|p| place(p.1).is_none())
                .unwrap_or(points.len());
            let placed: Vec<(f64, f64)> = points[..finite]
                .iter()
                .filter_map(|&(x, y)| place(y).map(|p| (x, p.min(y_hi))))
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
                draw_markers(&mut chart, *colour_index, &placed, marker, colour)?;
            }
        }
        // Off the scale: an arrow at the top for each clamped validation value, and the
        // largest of them written once.
        let over: Vec<(f64, f64)> = val
            .iter()
            .copied()
            .filter(|p| place(p.1).is_some_and(|l| l > y_hi + 1e-9))
            .collect();
        chart
            .draw_series(
                over.iter().map(|&(x, _)| {
                    TriangleMarker::new((x, y_hi), marker + s.px(2.0), colour.filled())
                }),
            )
            .map_err(err)?;
        let off_scale = over.iter().max_by(|a, b| a.1.total_cmp(&b.1)).copied();
        // Diverged: where the first value stopped being a number, a labelled mark at the top.
        let first_bad = train
            .iter()
            .chain(val.iter())
            .filter(|p| place(p.1).is_none())
            .min_by(|a, b| a.0.total_cmp(&b.0));
        if let Some(&(x, _)) = first_bad {
            chart
                .draw_series(std::iter::once(Cross::new(
                    (x, y_hi),
                    marker + s.px(2.0),
                    colour.stroke_width(s.px(3.0).max(1) as u32),
                )))
                .map_err(err)?;
        }
        // One label per run (so two of its own never collide): its largest value off the
        // scale, and the word for where it stopped being a number.
        let word = first_bad.map(|p| if p.1.is_nan() { "NaN" } else { "∞" });
        let text = match (off_scale, word) {
            (Some((_, y)), Some(w)) => Some(format!("{glyph} ↑ {}, then {w}", num(y))),
            (Some((_, y)), None) => Some(format!("{glyph} ↑ {}", num(y))),
            (None, Some(w)) => Some(format!("{glyph} {w}")),
            (None, None) => None,
        };
        let at = off_scale.or(first_bad.copied()).map(|p| p.0);
        if let (Some(text), Some(x)) = (text, at) {
            labels.push((x, text, colour));
        }
    }
    let row_units = 1.35 * s.font_px() / y_unit;
    for (k, (x, text, colour)) in labels.into_iter().enumerate() {
        let right_half = x > 0.6 * x_hi;
        let (h, dx) = if right_half {
            (HPos::Right, -(marker * 2))
        } else {
            (HPos::Left, marker * 2)
        };
        let y = y_hi - (0.9 + k as f64) * row_units;
        let style = s.text(1.0, colour).pos(Pos::new(h, VPos::Center));
        // On a plate of the background, so a curve passing under it never strikes it out.
        let (tw, th) = chart
            .plotting_area()
            .estimate_text_size(&text, &style)
            .unwrap_or((0, 0));
        let (tw, th, pad) = (tw as i32, th as i32, s.px(3.0));
        let (x0, x1) = if right_half {
            (dx - tw, dx)
        } else {
            (dx, dx + tw)
        };
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((x, y))
                    + Rectangle::new(
                        [(x0 - pad, -th / 2 - pad), (x1 + pad, th / 2 + pad)],
                        s.bg.mix(0.8).filled(),
                    )
                    + Text::new(text, (dx, 0), style),
            ))
            .map_err(err)?;
    }
    let mut drawn = drawn;
    drawn.attrs.push(("data-range", format!("{y_lo},{y_hi}")));
    Ok(drawn)
}
