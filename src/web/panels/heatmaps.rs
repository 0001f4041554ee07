//! Layer × epoch maps for every run, side by side on one colour range: the gradient, or the
//! notes' other signs over time — weights that grow without bound (exploding), lower layers
//! whose weights barely move (vanishing).

use leptos::html::Canvas;
use leptos::prelude::*;

use crate::chart_scale::decade_range;
use crate::engine::metrics::LayerStats;
use crate::url_state::GradMetric;
use crate::web::charts::{self, heatmap};
use crate::web::dom::after_frames;
use crate::web::state::{AppState, HeatQuantity};

/// Title, legend name and the per-layer value of a map.
fn spec_of(
    q: HeatQuantity,
    metric: GradMetric,
) -> (&'static str, &'static str, fn(&LayerStats) -> f64) {
    match (q, metric) {
        (HeatQuantity::Gradient, GradMetric::GradNorm) => (
            "Gradient ‖∂L/∂W‖ by layer and epoch",
            "‖∂L/∂W‖",
            |l| l.grad_norm,
        ),
        (HeatQuantity::Gradient, GradMetric::DeltaRms) => {
            ("Back-propagated δ by layer and epoch", "δ rms", |l| {
                l.delta_rms
            })
        }
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

#[component]
pub fn Heatmaps() -> impl IntoView {
    let state = expect_context::<AppState>();
    let heat_ref = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let metric = state.metric.get();
        let quantity = state.heat.get();
        let theme = state.theme.get();
        state.resize.track();
        state.redraw.track();
        state.view_epoch.track();
        let Some(canvas) = heat_ref.get() else { return };
        // Each chart draws in a frame of its own, so no frame carries all of them.
        after_frames(1, move || {
            state.store.with_untracked(|store| {
                if store.runs().iter().all(|r| r.records().is_empty()) {
                    charts::placeholder(
                        &canvas,
                        |dpr| charts::Style::new(theme, dpr),
                        "The layer × epoch map fills in as epochs complete.",
                    );
                    return;
                }
                let (title, legend, value) = spec_of(quantity, metric);
                // Epoch 0 makes no update: leave it out of the update ratio's range.
                let range = decade_range(
                    store
                        .runs()
                        .iter()
                        .flat_map(|r| r.records().iter())
                        .filter(|r| quantity != HeatQuantity::UpdateRatio || r.epoch > 0)
                        .flat_map(|r| r.layers.iter().map(value)),
                    2.0,
                );
                let labels: Vec<String> = (1..=store.runs().len())
                    .map(|k| format!("Run {k}"))
                    .collect();
                let panels: Vec<heatmap::HeatPanel> = store
                    .runs()
                    .iter()
                    .zip(&labels)
                    .map(|(r, label)| heatmap::HeatPanel {
                        label,
                        colour: r.colour,
                        records: r.records(),
                    })
                    .collect();
                let spec = heatmap::HeatSpec {
                    title,
                    legend,
                    value: &value,
                    range,
                    per_update: quantity == HeatQuantity::UpdateRatio,
                    highlight: state.view_epoch.get_untracked(),
                };
                let _ = canvas.set_attribute("data-panels", &panels.len().to_string());
                let _ = canvas.set_attribute("data-range", &format!("{},{}", range.0, range.1));
                if let Err(e) = heatmap::draw(&canvas, theme, &spec, &panels) {
                    web_sys::console::warn_1(&format!("heatmap: {e}").into());
                }
            })
        });
    });
    let pick = move |q: HeatQuantity| move |_| state.heat.set(q);
    view! {
        <div class="card chart-card">
            <div class="chart-head">
                <div class="segmented" role="group" aria-label="Map of">
                    <button id="heat-gradient" class:active=move || state.heat.get() == HeatQuantity::Gradient
                        title="The gradient measure chosen above" on:click=pick(HeatQuantity::Gradient)>"gradient"</button>
                    <button id="heat-weights" class:active=move || state.heat.get() == HeatQuantity::WeightNorm
                        title="Frobenius norm of each kernel at the end of the epoch: exponential growth is a sign of exploding"
                        on:click=pick(HeatQuantity::WeightNorm)>"weight norm"</button>
                    <button id="heat-updates" class:active=move || state.heat.get() == HeatQuantity::UpdateRatio
                        title="‖ΔW‖/‖W‖ of the epoch's last step: lower layers that barely move are a sign of vanishing"
                        on:click=pick(HeatQuantity::UpdateRatio)>"update ratio"</button>
                </div>
            </div>
            <canvas id="chart-heatmap" node_ref=heat_ref class="chart medium"></canvas>
        </div>
    }
}
