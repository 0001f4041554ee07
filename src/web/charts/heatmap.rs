//! Layer × epoch heatmap of log10 gradient magnitude: a vanishing band or an exploding corner
//! shows at a glance. Viridis, with a legend; zero, NaN and ±Inf get cells of their own.

use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{decade_label, err, metric_value, viridis, DrawResult, Style};
use crate::chart_scale::{decade_ticks, log10_point, unit, LogPoint};
use crate::engine::metrics::EpochRecord;
use crate::url_state::{GradMetric, Theme};

pub fn draw(
    canvas: &HtmlCanvasElement,
    theme: Theme,
    metric: GradMetric,
    records: &[EpochRecord],
    range: (f64, f64),
    highlight: Option<usize>,
) -> DrawResult {
    let Some((root, s)) = super::begin(canvas, theme)? else {
        return Ok(());
    };
    let (w, _) = root.dim_in_pixel();
    let legend_w = s.px(s.font * 7.0).min(w as i32 / 3).max(1) as u32;
    let (plot, legend) = root.split_horizontally(w.saturating_sub(legend_w));
    let layers = records
        .iter()
        .map(|r| r.layers.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let epochs = records.last().map_or(1, |r| r.epoch + 1).max(1);
    let (lo, hi) = range;

    let mut chart = ChartBuilder::on(&plot)
        .margin(s.px(10.0))
        .caption("Gradient by layer and epoch", s.text(1.25, s.fg))
        .x_label_area_size(s.px(s.font * 3.2))
        .y_label_area_size(s.px(s.font * 4.2))
        .build_cartesian_2d(-0.5f64..epochs as f64 - 0.5, 0.5f64..layers as f64 + 0.5)
        .map_err(err)?;
    let mut mesh = chart.configure_mesh();
    s.theme_mesh(&mut mesh, 1.0);
    mesh.disable_mesh()
        .x_labels(epochs.min(12))
        .y_labels(layers.min(12))
        .x_label_formatter(&|x| {
            if (x - x.round()).abs() < 1e-6 && *x >= 0.0 {
                format!("{}", x.round() as i64)
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|y| {
            let i = y.round() as usize;
            if (y - y.round()).abs() > 1e-6 || i == 0 || i > layers {
                String::new()
            } else if i == layers {
                "out".into()
            } else {
                i.to_string()
            }
        })
        .x_desc("epoch")
        .y_desc("layer (input at bottom)")
        .draw()
        .map_err(err)?;

    // More epochs than pixel columns: draw every k-th epoch (and the last), each cell k wide.
    let plot_px = plot.dim_in_pixel().0.max(1) as usize;
    let stride = records.len().div_ceil(plot_px / 2).max(1);
    let last_index = records.len().saturating_sub(1);
    let shown = records
        .iter()
        .enumerate()
        .filter(move |(i, _)| i % stride == 0 || *i == last_index)
        .map(|(_, r)| r);
    let cell_w = stride as f64;
    let cells = shown.flat_map(|r| {
        let x = r.epoch as f64;
        r.layers.iter().enumerate().map(move |(i, l)| {
            let y = (i + 1) as f64;
            let v = metric_value(metric, l);
            let colour = match log10_point(v) {
                LogPoint::At(lv) => viridis(unit(lv, lo, hi)).filled(),
                LogPoint::Zero => s.fg.filled(),
                LogPoint::Inf => s.alarm.filled(),
                LogPoint::NaN | LogPoint::Negative => s.alarm.mix(0.45).filled(),
            };
            Rectangle::new([(x - 0.5, y - 0.5), (x - 0.5 + cell_w, y + 0.5)], colour)
        })
    });
    chart.draw_series(cells).map_err(err)?;
    if let Some(e) = highlight {
        let x = e as f64;
        let outline = s.fg.stroke_width(s.px(2.0) as u32);
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(x - 0.5, 0.5), (x + 0.5, layers as f64 + 0.5)],
                outline,
            )))
            .map_err(err)?;
    }

    draw_legend(&legend, &s, metric, lo, hi)?;
    root.present().map_err(err)
}

/// A vertical colour bar with decade ticks, then swatches for 0, NaN and ∞.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    s: &Style,
    metric: GradMetric,
    lo: f64,
    hi: f64,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let top = s.px(s.font * 3.0);
    let bottom = h - s.px(s.font * 8.0);
    let bar_x = s.px(6.0);
    let bar_w = s.px(14.0);
    if bottom <= top + 10 {
        return Ok(());
    }
    let title = match metric {
        GradMetric::GradNorm => "‖∂L/∂W‖",
        GradMetric::DeltaRms => "δ rms",
    };
    area.draw(&Text::new(
        title,
        (bar_x, s.px(s.font * 1.2)),
        s.text(0.9, s.muted),
    ))
    .map_err(err)?;
    let steps = (bottom - top).max(1);
    for py in top..bottom {
        let t = 1.0 - (py - top) as f64 / steps as f64;
        area.draw(&Rectangle::new(
            [(bar_x, py), (bar_x + bar_w, py + 1)],
            viridis(t).filled(),
        ))
        .map_err(err)?;
    }
    let max_ticks = ((bottom - top) / s.px(s.font * 1.8)).max(2) as usize;
    for d in decade_ticks(lo, hi, max_ticks) {
        let t = unit(d as f64, lo, hi);
        let py = bottom - (t * steps as f64).round() as i32;
        area.draw(&PathElement::new(
            vec![(bar_x + bar_w, py), (bar_x + bar_w + s.px(4.0), py)],
            s.muted,
        ))
        .map_err(err)?;
        area.draw(&Text::new(
            decade_label(d as f64),
            (bar_x + bar_w + s.px(6.0), py - s.px(s.font * 0.5)),
            s.text(0.9, s.fg),
        ))
        .map_err(err)?;
    }
    let swatches = [
        (s.fg.mix(1.0), "0"),
        (s.alarm.mix(0.45), "NaN"),
        (s.alarm.mix(1.0), "∞"),
    ];
    for (k, (colour, label)) in swatches.into_iter().enumerate() {
        let y = bottom + s.px(s.font * (1.6 + 1.9 * k as f64));
        area.draw(&Rectangle::new(
            [(bar_x, y), (bar_x + bar_w, y + s.px(s.font))],
            colour.filled(),
        ))
        .map_err(err)?;
        area.draw(&Text::new(
            label,
            (bar_x + bar_w + s.px(6.0), y),
            s.text(0.9, s.fg),
        ))
        .map_err(err)?;
    }
    let _ = w;
    Ok(())
}
