//! One bar per Dense layer and run, input side to output side, on one shared log10 axis: how
//! much gradient reaches each layer at the shown epoch. Runs sit side by side within a layer,
//! each in its colour.

use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{decade_label, err, metric_axis, run_colour, DrawResult};
use crate::chart_scale::{log10_point, LogPoint};
use crate::url_state::{GradMetric, Theme};

/// One run's bars.
pub struct BarRun<'a> {
    /// Index into the run palette.
    pub colour: usize,
    /// One value per Dense layer, already interpolated for the animation.
    pub values: &'a [f64],
    /// Mean-field prediction of δ rms per hidden layer at initialization, if shown.
    pub theory: Option<&'a [f64]>,
}

/// What the bar chart shows.
pub struct Bars<'a> {
    pub theme: Theme,
    pub metric: GradMetric,
    pub epoch: usize,
    pub runs: &'a [BarRun<'a>],
    /// The log10 axis range in whole decades, kept steady while the runs go on.
    pub range: (f64, f64),
}

pub fn draw(canvas: &HtmlCanvasElement, bars: &Bars) -> DrawResult {
    let Bars {
        theme,
        metric,
        epoch,
        runs,
        range,
    } = *bars;
    let Some((root, s)) = super::begin(canvas, theme)? else {
        return Ok(());
    };
    let n = runs
        .iter()
        .map(|r| r.values.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let (lo, hi) = range;
    let title = match metric {
        GradMetric::GradNorm => "Gradient of each layer's weights",
        GradMetric::DeltaRms => "Back-propagated gradient at each layer",
    };
    let mut chart = ChartBuilder::on(&root)
        .margin(s.px(10.0))
        .caption(format!("{title} — epoch {epoch}"), s.text(1.25, s.fg))
        .x_label_area_size(s.px(s.font * 3.2))
        .y_label_area_size(s.px(s.font * 5.0))
        .build_cartesian_2d(0.5f64..n as f64 + 0.5, lo..hi)
        .map_err(err)?;
    let mut mesh = chart.configure_mesh();
    s.theme_mesh(&mut mesh, 1.0);
    mesh.disable_x_mesh()
        .x_labels(n.min(20))
        .y_labels(((hi - lo) as usize + 1).min(12))
        .x_label_formatter(&|x| {
            let i = x.round() as usize;
            if (x - x.round()).abs() > 1e-6 || i == 0 || i > n {
                String::new()
            } else if i == n {
                "out".into()
            } else {
                i.to_string()
            }
        })
        .y_label_formatter(&|y| decade_label(*y))
        .x_desc("layer (input → output)")
        .y_desc(metric_axis(metric))
        .draw()
        .map_err(err)?;

    // Each layer's slot (0.8 wide) is shared by the runs.
    let k = runs.len().max(1) as f64;
    let width = 0.8 / k;
    let mid = (lo + hi) / 2.0;
    let narrow = (n as f64 * k) > 24.0;
    let mut any_nan_marks = false;
    let mut shapes: Vec<(f64, f64, f64, f64, RGBColor, bool)> = Vec::new();
    // Markers for values a log axis cannot place, in the run's colour so they stay its own.
    let mut labels: Vec<(&str, f64, f64, f64, RGBColor)> = Vec::new();
    // A run's slot for its layer i: hidden layers from the left, its output layer always in
    // the last slot ("out"), so runs of different depths line up where they can.
    let slot = |r: usize, i: usize, len: usize| {
        let layer = if i + 1 == len { n } else { i + 1 };
        layer as f64 - 0.4 + r as f64 * width
    };
    for (r, run) in runs.iter().enumerate() {
        let colour = run_colour(run.colour);
        let len = run.values.len();
        for (i, &v) in run.values.iter().enumerate() {
            let x0 = slot(r, i, len);
            let (x1, xc) = (x0 + width * 0.92, x0 + width * 0.46);
            match log10_point(v) {
                LogPoint::At(l) => shapes.push((x0, lo, x1, l.clamp(lo, hi), colour, true)),
                LogPoint::Zero => labels.push(("0", xc, lo + 0.04 * (hi - lo), 0.95, colour)),
                LogPoint::Inf => {
                    shapes.push((x0, lo, x1, hi, colour, false));
                    labels.push(("∞", xc, hi - 0.05 * (hi - lo), 1.2, colour));
                }
                // Wide bars get the word; narrow ones (deep nets) a pale mark, named below.
                LogPoint::NaN | LogPoint::Negative if !narrow => {
                    labels.push(("NaN", xc, mid, 0.9, colour))
                }
                LogPoint::NaN | LogPoint::Negative => {
                    let h = 0.06 * (hi - lo);
                    shapes.push((x0, mid - h, x1, mid + h, colour, false));
                    any_nan_marks = true;
                }
            }
        }
    }
    chart
        .draw_series(shapes.iter().map(|&(x0, y0, x1, y1, c, solid)| {
            let style = if solid {
                c.filled()
            } else {
                c.mix(0.35).filled()
            };
            Rectangle::new([(x0, y0), (x1, y1)], style)
        }))
        .map_err(err)?;
    chart
        .draw_series(
            labels
                .iter()
                .map(|&(t, x, y, size, c)| Text::new(t, (x, y), s.centered(size, c))),
        )
        .map_err(err)?;
    if any_nan_marks {
        chart
            .draw_series(std::iter::once(Text::new(
                "pale marks: NaN",
                (1.0, mid + 0.15 * (hi - lo)),
                s.text(0.95, s.muted),
            )))
            .map_err(err)?;
    }
    // Theory ticks: a short dark line across each run's bar.
    let line = s.fg.stroke_width(s.px(2.0) as u32);
    // Where each tick landed, in canvas pixels: the browser tests sample the pixels there.
    let mut tick_px = Vec::new();
    for (r, run) in runs.iter().enumerate() {
        let Some(theory) = run.theory else { continue };
        for (i, &v) in theory.iter().enumerate() {
            if let LogPoint::At(l) = log10_point(v) {
                if l < lo || l > hi {
                    continue;
                }
                // Theory covers the hidden layers only.
                let x0 = slot(r, i, usize::MAX);
                let (x1, xc) = (x0 + width * 0.92, x0 + width * 0.46);
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(x0, l), (x1, l)],
                        line,
                    )))
                    .map_err(err)?;
                let (px, py) = chart.backend_coord(&(xc, l));
                tick_px.push(format!("[{px},{py}]"));
            }
        }
    }
    let _ = canvas.set_attribute("data-theory-px", &format!("[{}]", tick_px.join(",")));
    root.present().map_err(err)
}
