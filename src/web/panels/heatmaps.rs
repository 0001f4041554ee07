//! Layer × epoch maps for every run, side by side on one colour range: the gradient, or the
//! notes' other signs over time — weights that grow without bound (exploding), lower layers
//! whose weights barely move (vanishing).

use leptos::html::Canvas;
use leptos::prelude::*;

use crate::store::Store;
use crate::web::charts::{self, map_card};
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
                if let Some(message) = map_card::empty_message(store, quantity) {
                    charts::placeholder(&canvas, theme, message);
                    return;
                }
                let drawn = charts::draw_on(&canvas, theme, |root, s| {
                    map_card::plot(root, s, store, quantity, metric, highlight)
                });
                if let Err(e) = drawn {
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
                    <Show when=move || state.store.with(Store::has_recurrent)>
                        <button id="heat-step-norm" class:active=move || state.heat.get() == HeatQuantity::StepNorm
                            title="The global gradient norm at every training step, before clipping, with the clipping threshold dashed: the spikes that clipping cuts"
                            on:click=pick(HeatQuantity::StepNorm)>"step norm"</button>
                        <button id="heat-sigma" class:active=move || state.heat.get() == HeatQuantity::SigmaMax
                            title="The recurrent kernel's largest singular value by epoch: below 1, the gradient can only fade from one time step to the one before"
                            on:click=pick(HeatQuantity::SigmaMax)>"σ_max"</button>
                    </Show>
                </div>
            </div>
            <canvas id="chart-heatmap" node_ref=heat_ref class="chart medium" role="img"
                aria-label="Map of layers by epochs, one panel per run, colour on a log scale. The per-layer table lists the same figures epoch by epoch."></canvas>
        </div>
    }
}
