//! Layer × epoch maps of a per-layer figure on a log10 colour scale (the gradient, the weight
//! norm or the update ratio): a vanishing band or an exploding corner shows at a glance. One
//! map per run, side by side on one shared colour range. Viridis, with a legend; zero, NaN
//! and ±Inf get cells of their own.

use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{err, heat_panel, DrawResult, Drawn, Root, Style};
use crate::chart_scale::{decade_range, log10_point, LogPoint};
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
pub(super) fn column(spec: &HeatSpec, r: &EpochRecord) -> Vec<f64> {
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
            HeatQuantity::Gradient
            | HeatQuantity::StepNorm
            | HeatQuantity::SigmaMax
            | HeatQuantity::Distributions,
            GradMetric::GradNorm,
        ) => "‖∂L/∂W‖ by layer and epoch",
        (
            HeatQuantity::Gradient
            | HeatQuantity::StepNorm
            | HeatQuantity::SigmaMax
            | HeatQuantity::Distributions,
            GradMetric::DeltaRms,
        ) => "δ rms by layer and epoch",
        (
            HeatQuantity::Gradient
            | HeatQuantity::StepNorm
            | HeatQuantity::SigmaMax
            | HeatQuantity::Distributions,
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
            HeatQuantity::Gradient
            | HeatQuantity::StepNorm
            | HeatQuantity::SigmaMax
            | HeatQuantity::Distributions,
            GradMetric::GradNorm,
        ) => (
            "Gradient ‖∂L/∂W‖ by layer and epoch",
            "‖∂L/∂W‖",
            |l| l.grad_norm,
        ),
        (
            HeatQuantity::Gradient
            | HeatQuantity::StepNorm
            | HeatQuantity::SigmaMax
            | HeatQuantity::Distributions,
            GradMetric::ClippedGradNorm,
        ) => (
            "Gradient after clipping by layer and epoch",
            "clipped",
            |l| l.clipped_grad_norm,
        ),
        (
            HeatQuantity::Gradient
            | HeatQuantity::StepNorm
            | HeatQuantity::SigmaMax
            | HeatQuantity::Distributions,
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
    let extra =
        (s.px(s.font * (heat_panel::FIRST_Y_AREA - heat_panel::OTHER_Y_AREA)) as u32).min(pw / 2);
    let each = (pw - extra) / n as u32;
    let breaks: Vec<u32> = (1..n as u32).map(|k| extra + k * each).collect();
    let areas = plot.split_by_breakpoints(breaks, Vec::<u32>::new());
    let mut probes = Vec::new();
    let mut drawn = Drawn::default();
    for (k, (area, panel)) in areas.iter().zip(panels).enumerate() {
        let (probe, d) = heat_panel::draw(area, s, spec, panel, epochs, k == 0, n > 1)?;
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
