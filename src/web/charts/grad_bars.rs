//! One bar per Dense layer, input side to output side, on a log10 axis: how much gradient
//! reaches each layer at the shown epoch.

use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{decade_label, err, metric_axis, viridis, DrawResult};
use crate::chart_scale::{log10_point, unit, LogPoint};
use crate::url_state::{GradMetric, Theme};

/// What the bar chart shows.
pub struct Bars<'a> {
    pub theme: Theme,
    pub metric: GradMetric,
    pub epoch: usize,
    /// One value per Dense layer, already interpolated for the animation.
    pub values: &'a [f64],
    /// The log10 axis range in whole decades, kept steady while the run goes on.
    pub range: (f64, f64),
    /// Mean-field prediction of δ rms per hidden layer at initialization, if it applies.
    pub theory: Option<&'a [f64]>,
}

pub fn draw(canvas: &HtmlCanvasElement, bars: &Bars) -> DrawResult {
    let Bars {
        theme,
        metric,
        epoch,
        values,
        range,
        theory,
    } = *bars;
    let Some((root, s)) = super::begin(canvas, theme)? else {
        return Ok(());
    };
    let n = values.len().max(1);
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
    let last = n;
    let mut mesh = chart.configure_mesh();
    s.theme_mesh(&mut mesh, 1.0);
    mesh.disable_x_mesh()
        .x_labels(n.min(20))
        .y_labels(((hi - lo) as usize + 1).min(12))
        .x_label_formatter(&|x| {
            let i = x.round() as usize;
            if (x - x.round()).abs() > 1e-6 || i == 0 || i > last {
                String::new()
            } else if i == last {
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

    let half = 0.4;
    let mid = (lo + hi) / 2.0;
    let mut any_nan_marks = false;
    for (i, &v) in values.iter().enumerate() {
        let x = (i + 1) as f64;
        match log10_point(v) {
            LogPoint::At(l) => {
                let top = l.clamp(lo, hi);
                let colour = viridis(unit(l, lo, hi));
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - half, lo), (x + half, top)],
                        colour.filled(),
                    )))
                    .map_err(err)?;
            }
            LogPoint::Zero => {
                chart
                    .draw_series(std::iter::once(Text::new(
                        "0",
                        (x, lo + 0.04 * (hi - lo)),
                        s.centered(0.95, s.alarm),
                    )))
                    .map_err(err)?;
            }
            LogPoint::Inf => {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - half, lo), (x + half, hi)],
                        s.alarm.mix(0.35).filled(),
                    )))
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(Text::new(
                        "∞",
                        (x, hi - 0.05 * (hi - lo)),
                        s.centered(1.2, s.alarm),
                    )))
                    .map_err(err)?;
            }
            // Wide bars get the word; narrow ones (deep nets) a mark, named once below.
            LogPoint::NaN | LogPoint::Negative if n <= 24 => {
                chart
                    .draw_series(std::iter::once(Text::new(
                        "NaN",
                        (x, mid),
                        s.centered(0.9, s.alarm),
                    )))
                    .map_err(err)?;
            }
            LogPoint::NaN | LogPoint::Negative => {
                let h = 0.06 * (hi - lo);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - half, mid - h), (x + half, mid + h)],
                        s.alarm.filled(),
                    )))
                    .map_err(err)?;
                any_nan_marks = true;
            }
        }
    }
    if any_nan_marks {
        chart
            .draw_series(std::iter::once(Text::new(
                "orange marks: NaN",
                (1.0, mid + 0.15 * (hi - lo)),
                s.text(0.95, s.alarm),
            )))
            .map_err(err)?;
    }
    if let Some(theory) = theory {
        let marks = theory
            .iter()
            .enumerate()
            .filter_map(|(i, &v)| match log10_point(v) {
                LogPoint::At(l) if l >= lo && l <= hi => Some(((i + 1) as f64, l)),
                _ => None,
            });
        let line = s.fg.stroke_width(s.px(2.0) as u32);
        for (x, l) in marks {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x - 0.48, l), (x + 0.48, l)],
                    line,
                )))
                .map_err(err)?;
        }
    }
    root.present().map_err(err)
}
