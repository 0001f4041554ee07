//! Layer × epoch maps of a per-layer figure on a log10 colour scale (the gradient, the weight
//! norm or the update ratio): a vanishing band or an exploding corner shows at a glance. One
//! map per run, side by side on one shared colour range. Viridis, with a legend; zero, NaN
//! and ±Inf get cells of their own.

use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{decade_label, err, viridis, DrawResult, Style};
use crate::chart_scale::{decade_ticks, log10_point, unit, LogPoint};
use crate::engine::metrics::{EpochRecord, LayerStats, Status};
use crate::url_state::Theme;

/// One run's map.
pub struct HeatPanel<'a> {
    pub label: &'a str,
    pub colour: usize,
    pub records: &'a [EpochRecord],
}

/// What the maps show: a title, the legend's name for the quantity, and the value per layer.
pub struct HeatSpec<'a> {
    pub title: &'a str,
    pub legend: &'a str,
    pub value: &'a dyn Fn(&LayerStats) -> f64,
    /// log10 range shared by every panel.
    pub range: (f64, f64),
    /// The figure is about an update: epoch 0 (which makes none) is left empty, and a
    /// diverged epoch (whose update was not made) shows as NaN.
    pub per_update: bool,
    pub highlight: Option<usize>,
}

/// The runs' maps side by side on one colour range, with one legend.
pub fn draw(
    canvas: &HtmlCanvasElement,
    theme: Theme,
    spec: &HeatSpec,
    panels: &[HeatPanel],
) -> DrawResult {
    let Some((root, s)) = super::begin(canvas, theme)? else {
        return Ok(());
    };
    let (w, h) = root.dim_in_pixel();
    let legend_w = s.px(s.font * 7.0).min(w as i32 / 3).max(1) as u32;
    let (plot, legend) = root.split_horizontally(w.saturating_sub(legend_w));
    let title_h = s.px(s.font * 2.0).clamp(1, h as i32 / 3) as u32;
    let (title_area, plot) = plot.split_vertically(title_h);
    let (tw, _) = title_area.dim_in_pixel();
    title_area
        .draw(&Text::new(
            spec.title.to_string(),
            (tw as i32 / 2, title_h as i32 / 2),
            s.centered(1.25, s.fg),
        ))
        .map_err(err)?;
    let n = panels.len().max(1);
    let areas = plot.split_evenly((1, n));
    let mut probes = Vec::new();
    for (k, (area, panel)) in areas.iter().zip(panels).enumerate() {
        probes.push(draw_panel(area, &s, spec, panel, k == 0, n > 1)?);
    }
    // The pixel centres of each panel's (epoch 0, layer 1) and (epoch 0, output) cells, for
    // the browser tests to sample.
    let _ = canvas.set_attribute("data-probe-px", &format!("[{}]", probes.join(",")));
    draw_legend(&legend, &s, spec.legend, spec.range.0, spec.range.1)?;
    root.present().map_err(err)
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    s: &Style,
    spec: &HeatSpec,
    panel: &HeatPanel,
    first: bool,
    captioned: bool,
) -> Result<String, String>
where
    DB::ErrorType: 'static,
{
    let records = panel.records;
    let layers = records
        .iter()
        .map(|r| r.layers.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let epochs = records.last().map_or(1, |r| r.epoch + 1).max(1);
    let (lo, hi) = spec.range;
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(s.px(6.0))
        .x_label_area_size(s.px(s.font * 3.2))
        .y_label_area_size(if first {
            s.px(s.font * 4.2)
        } else {
            s.px(s.font * 1.5)
        });
    if captioned {
        builder.caption(panel.label, s.text(1.0, super::run_colour(panel.colour)));
    }
    let mut chart = builder
        .build_cartesian_2d(-0.5f64..epochs as f64 - 0.5, 0.5f64..layers as f64 + 0.5)
        .map_err(err)?;
    let mut mesh = chart.configure_mesh();
    s.theme_mesh(&mut mesh, 1.0);
    // As many epoch labels as fit: about one per four characters' width.
    let room = (area.dim_in_pixel().0 as f64 / (s.font * s.dpr * 4.0)).max(2.0) as usize;
    mesh.disable_mesh()
        .x_labels(epochs.min(room).min(8))
        .y_labels(if first { layers.min(12) } else { 0 })
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
        .y_desc(if first { "layer (input at bottom)" } else { "" })
        .draw()
        .map_err(err)?;

    // More epochs than pixel columns: draw every k-th epoch (and the last), each cell k wide.
    let plot_px = area.dim_in_pixel().0.max(1) as usize;
    let stride = records.len().div_ceil(plot_px / 2).max(1);
    let last_index = records.len().saturating_sub(1);
    let shown = records
        .iter()
        .enumerate()
        .filter(move |(i, _)| i % stride == 0 || *i == last_index)
        .map(|(_, r)| r);
    let cell_w = stride as f64;
    let cells = shown
        .filter(|r| !(spec.per_update && r.epoch == 0))
        .flat_map(|r| {
            let x = r.epoch as f64;
            let blank = spec.per_update && r.status == Status::Diverged;
            r.layers.iter().enumerate().map(move |(i, l)| {
                let y = (i + 1) as f64;
                let v = if blank { f64::NAN } else { (spec.value)(l) };
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
    if let Some(e) = spec.highlight.filter(|e| *e < epochs) {
        let x = e as f64;
        let outline = s.fg.stroke_width(s.px(2.0) as u32);
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(x - 0.5, 0.5), (x + 0.5, layers as f64 + 0.5)],
                outline,
            )))
            .map_err(err)?;
    }
    let at = |layer: usize| {
        let (x, y) = chart.backend_coord(&(0.0, layer as f64));
        format!("[{x},{y}]")
    };
    Ok(format!("[{},{}]", at(1), at(layers)))
}

/// A vertical colour bar with decade ticks, then swatches for 0, NaN and ∞.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    s: &Style,
    title: &str,
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
    area.draw(&Text::new(
        title.to_string(),
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
