//! The one line chart behind every "figure over epochs" chart (loss, accuracy, a recurrent
//! run's step norms and σ_max): lines in run colours on an epoch axis, log or linear values,
//! dashed reference lines, and what a log axis cannot show — values off the scale and where
//! a run stopped being a number — marked and labelled instead of dropped.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    axis, chart_on, decade_label, decade_ticks_every, draw_markers, err, nice_ticks, plot_size,
    stride, Drawn, Root, Style,
};
use crate::chart_scale::{log10_point, LogPoint};
use crate::engine::metrics::EpochRecord;
use crate::format::num;
use crate::web::run_style::run_style;

/// How values map to the y axis and how its ticks read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum YScale {
    /// log10 of the value; ticks in decades.
    Log,
    /// The value as a percentage of 1.
    Percent,
    Linear,
}

/// One run's line.
pub struct Line {
    /// Index into the run palette (also picks the marker).
    pub colour: usize,
    /// (epoch, value) in the value's own units.
    pub points: Vec<(f64, f64)>,
    /// Dashed and thinner (a curve's training side).
    pub dashed: bool,
    /// The run's marker at every point.
    pub markers: bool,
    /// Whether values off the scale and the first non-number are marked and labelled.
    pub marks: bool,
    /// Half the usual width (hundreds of points that would otherwise merge into a band).
    pub thin: bool,
}

/// A dashed horizontal line to read the lines against, labelled at its right end.
pub struct Reference {
    /// In the value's own units.
    pub value: f64,
    /// Run palette index, or None for the foreground colour.
    pub colour: Option<usize>,
    pub label: String,
}

/// Everything one chart draws; `y` is the axis range in axis units (log10 for `Log`).
pub struct LineChart<'a> {
    pub title: &'a str,
    pub y_desc: &'a str,
    pub scale: YScale,
    pub y: (f64, f64),
    pub last_epoch: f64,
    pub lines: Vec<Line>,
    pub references: Vec<Reference>,
}

/// The latest epoch of any run (1 before there is one): where the epoch axis ends.
pub fn last_epoch<'a>(runs: impl Iterator<Item = &'a [EpochRecord]>) -> f64 {
    runs.filter_map(|r| r.last().map(|x| x.epoch))
        .max()
        .unwrap_or(1) as f64
}

/// Draws the chart on any backend.
pub fn plot<DB: DrawingBackend>(
    root: &Root<DB>,
    s: &Style,
    spec: &LineChart,
) -> Result<Drawn, String>
where
    DB::ErrorType: 'static,
{
    let (y_lo, y_hi) = spec.y;
    let log = spec.scale == YScale::Log;
    let m = s.px(10.0);
    let area = root
        .margin(m, m, m, m)
        .titled(spec.title, s.text(1.15, s.fg))
        .map_err(err)?;
    let (x_area, y_area) = (s.px(s.font * 3.0), s.px(s.font * 4.4));
    let (plot_w, plot_h) = plot_size(&area, x_area, y_area);
    // A little room right of the last epoch, so its marker is not cut in half.
    let last_epoch = spec.last_epoch.max(1.0);
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
        .y_label_formatter(&|y| match spec.scale {
            YScale::Log => decade_label(*y),
            YScale::Percent => format!("{:.0}%", y * 100.0),
            YScale::Linear => num(*y),
        })
        .x_desc("epoch")
        .y_desc(spec.y_desc)
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
    let dash = s.px(6.0).max(1) as u32;
    for r in &spec.references {
        let Some(y) = place(r.value) else { continue };
        let colour = r.colour.map_or(s.fg, |c| s.run(c));
        chart
            .draw_series(DashedLineSeries::new(
                [(0.0, y), (x_hi, y)],
                dash,
                dash * 2 / 3,
                colour.stroke_width(width.max(2)),
            ))
            .map_err(err)?;
    }
    let marker = s.px(s.line * 1.3);
    // Labels go inside the plot, on the side away from the nearer edge (so none sits on a
    // tick label), one row each below the top edge (so two never meet), in the band above
    // the calmest run that the axis keeps free.
    let mut labels: Vec<(f64, String, RGBColor)> = Vec::new();
    let mut counts = Vec::new();
    for line in &spec.lines {
        let colour = s.run(line.colour);
        let points = &line.points;
        // A diverged run is drawn up to its last finite value.
        let finite = points
            .iter()
            .position(|p| place(p.1).is_none())
            .unwrap_or(points.len());
        let placed: Vec<(f64, f64)> = points[..finite]
            .iter()
            .filter_map(|&(x, y)| place(y).map(|p| (x, p.min(y_hi))))
            .collect();
        counts.push(placed.len().to_string());
        if line.dashed {
            chart
                .draw_series(DashedLineSeries::new(
                    placed.iter().copied(),
                    dash,
                    dash * 2 / 3,
                    colour.stroke_width((width * 2 / 3).max(1)),
                ))
                .map_err(err)?;
        } else {
            let w = if line.thin { (width / 2).max(1) } else { width };
            chart
                .draw_series(LineSeries::new(
                    placed.iter().copied(),
                    colour.stroke_width(w),
                ))
                .map_err(err)?;
        }
        if line.markers {
            draw_markers(&mut chart, line.colour, &placed, marker, colour)?;
        }
        if line.marks {
            if let Some(label) = mark_off_scale(&mut chart, s, line, &place, y_hi, marker)? {
                labels.push(label);
            }
        }
    }
    // Each reference's label at the right end, under its line (where a gradient above a
    // threshold, or a σ_max above 1, leaves room) — above it in the chart's lowest 30 %, where
    // the axis is (chance on the accuracy chart) — on a plate. A label that would overlap one
    // already placed goes to the line's other side, or failing that a row further out.
    let mut placed: Vec<(i32, i32)> = Vec::new(); // pixel rows (top, bottom) of each plate
    for r in &spec.references {
        let Some(y) = place(r.value) else { continue };
        let colour = r.colour.map_or(s.fg, |c| s.run(c));
        let style = s.text(1.0, colour).pos(Pos::new(HPos::Right, VPos::Top));
        let (tw, th) = chart
            .plotting_area()
            .estimate_text_size(&r.label, &style)
            .unwrap_or((0, 0));
        let (tw, th, pad) = (tw as i32, th as i32, s.px(3.0));
        let line_px = chart.backend_coord(&(x_hi, y)).1;
        let free = |dy: i32| {
            let (top, bottom) = (line_px + dy - pad, line_px + dy + th + pad);
            placed.iter().all(|&(t, b)| bottom <= t || top >= b)
        };
        let below = y - y_lo > 0.3 * (y_hi - y_lo);
        let offset = |side_below: bool, row: i32| {
            let apart = s.px(6.0) + row * (th + 2 * pad);
            if side_below {
                apart
            } else {
                -apart - th
            }
        };
        let dy = (0..spec.references.len() as i32)
            .flat_map(|row| [offset(below, row), offset(!below, row)])
            .find(|&dy| free(dy))
            .unwrap_or(offset(below, 0));
        placed.push((line_px + dy - pad, line_px + dy + th + pad));
        let dx = -s.px(6.0);
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((x_hi, y))
                    + Rectangle::new(
                        [(dx - tw - pad, dy - pad), (dx + pad, dy + th + pad)],
                        s.bg.mix(0.85).filled(),
                    )
                    + Text::new(r.label.clone(), (dx, dy), style),
            ))
            .map_err(err)?;
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
    drawn.attrs.push(("data-points", counts.join(",")));
    let references: Vec<String> = spec
        .references
        .iter()
        .map(|r| r.value.to_string())
        .collect();
    drawn.attrs.push(("data-references", references.join(",")));
    Ok(drawn)
}

/// A line's values off the scale (an arrow at the top each, the largest written once) and
/// where it stopped being a number (a cross at the top): returns the label to write.
fn mark_off_scale<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, super::XY>,
    s: &Style,
    line: &Line,
    place: &impl Fn(f64) -> Option<f64>,
    y_hi: f64,
    marker: i32,
) -> Result<Option<(f64, String, RGBColor)>, String>
where
    DB::ErrorType: 'static,
{
    let colour = s.run(line.colour);
    let glyph = run_style(line.colour).glyph;
    let over: Vec<(f64, f64)> = line
        .points
        .iter()
        .copied()
        .filter(|p| place(p.1).is_some_and(|l| l > y_hi + 1e-9))
        .collect();
    chart
        .draw_series(
            over.iter()
                .map(|&(x, _)| TriangleMarker::new((x, y_hi), marker + s.px(2.0), colour.filled())),
        )
        .map_err(err)?;
    let off_scale = over.iter().max_by(|a, b| a.1.total_cmp(&b.1)).copied();
    let first_bad = line.points.iter().find(|p| place(p.1).is_none());
    if let Some(&(x, _)) = first_bad {
        chart
            .draw_series(std::iter::once(Cross::new(
                (x, y_hi),
                marker + s.px(2.0),
                colour.stroke_width(s.px(3.0).max(1) as u32),
            )))
            .map_err(err)?;
    }
    let word = first_bad.map(|p| if p.1.is_nan() { "NaN" } else { "∞" });
    let text = match (off_scale, word) {
        (Some((_, y)), Some(w)) => format!("{glyph} ↑ {}, then {w}", num(y)),
        (Some((_, y)), None) => format!("{glyph} ↑ {}", num(y)),
        (None, Some(w)) => format!("{glyph} {w}"),
        (None, None) => return Ok(None),
    };
    let at = off_scale.or(first_bad.copied()).map(|p| p.0);
    Ok(at.map(|x| (x, text, colour)))
}
