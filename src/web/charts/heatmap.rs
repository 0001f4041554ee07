//! Layer × epoch maps of a per-layer figure on a log10 colour scale (the gradient, the weight
//! norm or the update ratio): a vanishing band or an exploding corner shows at a glance. One
//! map per run, side by side on one shared colour range. Viridis, with a legend; zero, NaN
//! and ±Inf get cells of their own.

use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{
    axis, chart_on, err, int_ticks, nice_ticks, plot_size, stride, viridis, DrawResult, Drawn,
    Root, Style,
};
use crate::chart_scale::{decade_range, log10_point, unit, LogPoint};
use crate::engine::metrics::{EpochRecord, LayerStats, Status};
use crate::store::Store;
use crate::url_state::{GradMetric, Theme};
use crate::web::state::HeatQuantity;

/// One run's map.
pub struct HeatPanel<'a> {
    pub label: &'a str,
    pub colour: usize,
    pub records: &'a [EpochRecord],
}

/// What the maps show: a title, the legend's name for the quantity, and the value per layer.
#[derive(Clone, Debug)]
pub struct HeatSpec {
    pub title: &'static str,
    /// The title where the long one does not fit (a presenter cell).
    pub short_title: &'static str,
    pub legend: &'static str,
    pub value: fn(&LayerStats) -> f64,
    /// A recurrent run's δ map has one row per time step (t = 1 at the bottom), then the
    /// output layer's row: the time × epoch map.
    pub through_time: bool,
    /// log10 range shared by every panel.
    pub range: (f64, f64),
    /// The figure is about an update: epoch 0 (which makes none) is left empty, and a
    /// diverged epoch (whose update was not made) shows as NaN.
    pub per_update: bool,
    pub highlight: Option<usize>,
    /// Each panel's caption ("Run 1", …).
    pub labels: Vec<String>,
}

/// One map column: a record's value per row, bottom (layer 1, or time step 1) to top (the
/// output layer).
fn column(spec: &HeatSpec, r: &EpochRecord) -> Vec<f64> {
    if spec.through_time && !r.time_steps.is_empty() {
        super::bar_data::delta_through_time(r)
    } else {
        r.layers.iter().map(spec.value).collect()
    }
}

/// The title where the long one does not fit.
fn short_title_of(q: HeatQuantity, metric: GradMetric) -> &'static str {
    match (q, metric) {
        (
            HeatQuantity::Gradient | HeatQuantity::StepNorm | HeatQuantity::SigmaMax,
            GradMetric::GradNorm,
        ) => "‖∂L/∂W‖ by layer and epoch",
        (
            HeatQuantity::Gradient | HeatQuantity::StepNorm | HeatQuantity::SigmaMax,
            GradMetric::DeltaRms,
        ) => "δ rms by layer and epoch",
        (
            HeatQuantity::Gradient | HeatQuantity::StepNorm | HeatQuantity::SigmaMax,
            GradMetric::ClippedGradNorm,
        ) => "clipped ‖∂L/∂W‖ by epoch",
        (HeatQuantity::WeightNorm, _) => "‖W‖ by layer and epoch",
        (HeatQuantity::UpdateRatio, _) => "‖ΔW‖/‖W‖ by layer and epoch",
    }
}

/// Title, legend name and the per-layer value of a map.
fn spec_of(
    q: HeatQuantity,
    metric: GradMetric,
) -> (&'static str, &'static str, fn(&LayerStats) -> f64) {
    match (q, metric) {
        (
            HeatQuantity::Gradient | HeatQuantity::StepNorm | HeatQuantity::SigmaMax,
            GradMetric::GradNorm,
        ) => (
            "Gradient ‖∂L/∂W‖ by layer and epoch",
            "‖∂L/∂W‖",
            |l| l.grad_norm,
        ),
        (
            HeatQuantity::Gradient | HeatQuantity::StepNorm | HeatQuantity::SigmaMax,
            GradMetric::ClippedGradNorm,
        ) => (
            "Gradient after clipping by layer and epoch",
            "clipped",
            |l| l.clipped_grad_norm,
        ),
        (
            HeatQuantity::Gradient | HeatQuantity::StepNorm | HeatQuantity::SigmaMax,
            GradMetric::DeltaRms,
        ) => ("Back-propagated δ by layer and epoch", "δ rms", |l| {
            l.delta_rms
        }),
        (HeatQuantity::WeightNorm, _) => {
            ("Weight norm ‖W‖ by layer and epoch", "‖W‖", |l| {
                l.weight_norm
            })
        }
        (HeatQuantity::UpdateRatio, _) => (
            "How far each step moves the weights, ‖ΔW‖/‖W‖",
            "‖ΔW‖/‖W‖",
            |l| l.update_ratio.unwrap_or(f64::NAN),
        ),
    }
}

/// The maps of every run in the store (None before any record): the screen and the exports
/// both draw this.
pub fn data(
    store: &Store,
    quantity: HeatQuantity,
    metric: GradMetric,
    highlight: Option<usize>,
) -> Option<HeatSpec> {
    if store.runs().iter().all(|r| r.records().is_empty()) {
        return None;
    }
    let (mut title, legend, value) = spec_of(quantity, metric);
    let mut short_title = short_title_of(quantity, metric);
    // With no recurrent run on screen, a trace's button is gone: its choice shows the gradient.
    let quantity = match quantity.trace() {
        Some(_) => HeatQuantity::Gradient,
        None => quantity,
    };
    let through_time = quantity == HeatQuantity::Gradient
        && metric == GradMetric::DeltaRms
        && store.has_recurrent();
    if through_time {
        title = "Back-propagated δ by time step and epoch";
        short_title = "δ rms by time step and epoch";
    }
    let mut spec = HeatSpec {
        title,
        short_title,
        legend,
        value,
        through_time,
        range: (0.0, 0.0),
        per_update: quantity == HeatQuantity::UpdateRatio,
        highlight,
        labels: (1..=store.runs().len())
            .map(|k| format!("Run {k}"))
            .collect(),
    };
    // Epoch 0 makes no update: leave it out of the update ratio's range.
    spec.range = decade_range(
        store
            .runs()
            .iter()
            .flat_map(|r| r.records().iter())
            .filter(|r| quantity != HeatQuantity::UpdateRatio || r.epoch > 0)
            .flat_map(|r| column(&spec, r)),
        2.0,
    );
    Some(spec)
}

/// Room left of a map for its layer labels, in fonts: the first panel carries them (and the
/// axis title), the others only a gap.
const FIRST_Y_AREA: f64 = 4.2;
const OTHER_Y_AREA: f64 = 1.5;

/// One panel per run of the store, captioned by `spec.labels`.
pub fn panels<'a>(store: &'a Store, spec: &'a HeatSpec) -> Vec<HeatPanel<'a>> {
    store
        .runs()
        .iter()
        .zip(&spec.labels)
        .map(|(r, label)| HeatPanel {
            label,
            colour: r.colour,
            records: r.records(),
        })
        .collect()
}

/// Draws the maps on the canvas (sized to the screen) and exposes what was drawn.
pub fn draw(
    canvas: &HtmlCanvasElement,
    theme: Theme,
    spec: &HeatSpec,
    panels: &[HeatPanel],
) -> DrawResult {
    super::draw_on(canvas, theme, |root, s| plot(root, s, spec, panels))
}

/// The runs' maps side by side on one colour range, with one legend, on any backend.
pub fn plot<DB: DrawingBackend>(
    root: &Root<DB>,
    s: &Style,
    spec: &HeatSpec,
    panels: &[HeatPanel],
) -> Result<Drawn, String>
where
    DB::ErrorType: 'static,
{
    let (w, h) = root.dim_in_pixel();
    let legend_w = s.px(s.font * 5.5).min(w as i32 / 3).max(1) as u32;
    let (plot, legend) = root.split_horizontally(w.saturating_sub(legend_w));
    let title_h = s.px(s.font * 2.0).clamp(1, h as i32 / 3) as u32;
    let (title_area, plot) = plot.split_vertically(title_h);
    let (tw, _) = title_area.dim_in_pixel();
    // The long title if it fits the maps' width, else the short one (never over the axis).
    let fits = |t: &str, scale: f64| {
        title_area
            .estimate_text_size(t, &s.centered(scale, s.fg))
            .is_ok_and(|(w, _)| w + s.px(8.0) as u32 <= tw)
    };
    let (title, scale) = [
        (spec.title, 1.25),
        (spec.title, 1.0),
        (spec.short_title, 1.25),
    ]
    .into_iter()
    .find(|(t, k)| fits(t, *k))
    .unwrap_or((spec.short_title, 1.0));
    title_area
        .draw(&Text::new(
            title.to_string(),
            (tw as i32 / 2, title_h as i32 / 2),
            s.centered(scale, s.fg),
        ))
        .map_err(err)?;
    // One time axis for every panel: a run that stopped early fills only its epochs.
    let epochs = panels
        .iter()
        .filter_map(|p| p.records.last().map(|r| r.epoch + 1))
        .max()
        .unwrap_or(1);
    // Equal maps: the first panel is wider by the layer labels that only it carries.
    let n = panels.len().max(1);
    let (pw, _) = plot.dim_in_pixel();
    let extra = (s.px(s.font * (FIRST_Y_AREA - OTHER_Y_AREA)) as u32).min(pw / 2);
    let each = (pw - extra) / n as u32;
    let breaks: Vec<u32> = (1..n as u32).map(|k| extra + k * each).collect();
    let areas = plot.split_by_breakpoints(breaks, Vec::<u32>::new());
    let mut probes = Vec::new();
    let mut drawn = Drawn::default();
    for (k, (area, panel)) in areas.iter().zip(panels).enumerate() {
        let (probe, d) = draw_panel(area, s, spec, panel, epochs, k == 0, n > 1)?;
        probes.push(probe);
        if k == 0 {
            drawn = d;
        }
    }
    // The pixel centres of each panel's (epoch 0, layer 1) and (epoch 0, output) cells, for
    // the browser tests to sample.
    drawn
        .attrs
        .push(("data-probe-px", format!("[{}]", probes.join(","))));
    drawn.attrs.push(("data-panels", panels.len().to_string()));
    drawn
        .attrs
        .push(("data-range", format!("{},{}", spec.range.0, spec.range.1)));
    // The swatches for what the maps hold that the colour bar cannot show.
    let mut special = [false; 3];
    for panel in panels {
        for r in panel.records {
            let blank = spec.per_update && r.status == Status::Diverged;
            if spec.per_update && r.epoch == 0 {
                continue;
            }
            for v in column(spec, r) {
                let v = if blank { f64::NAN } else { v };
                match log10_point(v) {
                    LogPoint::Zero => special[0] = true,
                    LogPoint::NaN | LogPoint::Negative => special[1] = true,
                    LogPoint::Inf => special[2] = true,
                    LogPoint::At(_) => {}
                }
            }
        }
    }
    super::heat_legend::draw(&legend, s, spec.legend, spec.range, special)?;
    Ok(drawn)
}

fn draw_panel<DB: DrawingBackend>(
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
