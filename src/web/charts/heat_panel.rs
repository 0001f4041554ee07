//! One run's layer × epoch map (or, for a recurrent run's δ, time step × epoch): its cells on
//! the shared colour range, the shown epoch outlined, and the pixel centres the browser tests
//! sample.

use plotters::prelude::*;

use super::heatmap::{column, HeatPanel, HeatSpec};
use super::{
    axis, chart_on, err, int_ticks, nice_ticks, plot_size, stride, viridis, Drawn, Root, Style,
};
use crate::chart_scale::{log10_point, unit, LogPoint};
use crate::engine::metrics::Status;

/// Room left of a map for its layer labels, in fonts: the first panel carries them (and the
/// axis title), the others only a gap.
pub const FIRST_Y_AREA: f64 = 4.2;
pub const OTHER_Y_AREA: f64 = 1.5;

pub fn draw<DB: DrawingBackend>(
    area: &Root<DB>,
    s: &Style,
    spec: &HeatSpec,
    panel: &HeatPanel,
    epochs: usize,
    first: bool,
    captioned: bool,
) -> Result<(String, Drawn), String>
where
    DB::ErrorType: 'static,
{
    let records = panel.records;
    let by_time = spec.through_time && records.iter().any(|r| !r.time_steps.is_empty());
    let layers = records
        .iter()
        .map(|r| column(spec, r).len())
        .max()
        .unwrap_or(1)
        .max(1);
    let epochs = epochs.max(1);
    let (lo, hi) = spec.range;
    let m = s.px(6.0);
    let mut area = area.margin(m, m, m, m);
    if captioned {
        area = area
            .titled(panel.label, s.text(1.0, s.run(panel.colour)))
            .map_err(err)?;
    }
    let x_area = s.px(s.font * 3.2);
    let y_area = s.px(s.font * if first { FIRST_Y_AREA } else { OTHER_Y_AREA });
    let (plot_w, plot_h) = plot_size(&area, x_area, y_area);
    // Epoch labels: round numbers, as many as fit across; layer labels: one per row only
    // if they fit, else every k-th (the output layer always); only the first panel has them.
    let x_ticks = nice_ticks(
        0.0,
        (epochs - 1) as f64,
        stride(plot_w / epochs as f64, s.col_gap(4)) as f64,
        true,
    );
    let y_ticks = if first {
        int_ticks(1, layers, stride(plot_h / layers as f64, s.row_gap()))
    } else {
        Vec::new()
    };
    let (mut chart, drawn) = chart_on(
        &area,
        (x_area, y_area),
        axis(-0.5f64..epochs as f64 - 0.5, x_ticks),
        axis(0.5f64..layers as f64 + 0.5, y_ticks),
    )?;
    let mut mesh = chart.configure_mesh();
    s.theme_mesh(&mut mesh);
    mesh.disable_mesh()
        .x_label_formatter(&|x| format!("{}", x.round() as i64))
        .y_label_formatter(&|y| {
            let i = y.round() as usize;
            if i == layers {
                "out".into()
            } else {
                i.to_string()
            }
        })
        .x_desc("epoch")
        .y_desc(match (first, by_time) {
            (false, _) => "",
            (true, false) => "layer (input at bottom)",
            (true, true) => "time step (start at bottom)",
        })
        .draw()
        .map_err(err)?;

    // More epochs than pixel columns: draw every k-th epoch (and the last), each cell k wide.
    let plot_px = area.dim_in_pixel().0.max(1) as usize;
    let every = records.len().div_ceil(plot_px / 2).max(1);
    let last_index = records.len().saturating_sub(1);
    let shown = records
        .iter()
        .enumerate()
        .filter(move |(i, _)| i % every == 0 || *i == last_index)
        .map(|(_, r)| r);
    let cell_w = every as f64;
    let cells = shown
        .filter(|r| !(spec.per_update && r.epoch == 0))
        .flat_map(|r| {
            let x = r.epoch as f64;
            let blank = spec.per_update && r.status == Status::Diverged;
            column(spec, r).into_iter().enumerate().map(move |(i, v)| {
                let y = (i + 1) as f64;
                let v = if blank { f64::NAN } else { v };
                let colour = match log10_point(v) {
                    LogPoint::At(lv) => viridis(unit(lv, lo, hi)).filled(),
                    LogPoint::Zero => s.fg.filled(),
                    LogPoint::Inf => s.inf.filled(),
                    LogPoint::NaN | LogPoint::Negative => s.alarm.filled(),
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
    let mut drawn = drawn;
    drawn.attrs.push(("data-rows", layers.to_string()));
    Ok((format!("[{},{}]", at(1), at(layers)), drawn))
}
