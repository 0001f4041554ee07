//! Layer × epoch maps for every run, side by side on one colour range: the gradient, or the
//! notes' other signs over time — weights that grow without bound (exploding), lower layers
//! whose weights barely move (vanishing).

use leptos::html::Canvas;
use leptos::prelude::*;

use crate::web::charts::{self, heatmap};
use crate::web::dom::after_frames;
use crate::web::state::{AppState, HeatQuantity};

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
                let highlight = state.view_epoch.get_untracked();
                let Some(spec) = heatmap::data(store, quantity, metric, highlight) else {
                    charts::placeholder(
                        &canvas,
                        theme,
                        "The layer × epoch map fills in as epochs complete.",
                    );
                    return;
                };
                let panels = heatmap::panels(store, &spec);
                if let Err(e) = heatmap::draw(&canvas, theme, &spec, &panels) {
                    web_sys::console::warn_1(&format!("heatmap: {e}").into());
                }
            })
        });
    });
    let pick = move |q: HeatQuantity| move |_| state.heat.set(q);
    view! {
        <div class="card chart-card card-map">
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
            <canvas id="chart-heatmap" node_ref=heat_ref class="chart medium" role="img"
                aria-label="Map of layers by epochs, one panel per run, colour on a log scale. The per-layer table lists the same figures epoch by epoch."></canvas>
        </div>
    }
}
