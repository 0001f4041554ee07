//! Layer × epoch maps for every run, side by side on one colour range: the gradient, or the
//! notes' other signs over time — weights that grow without bound (exploding), lower layers
//! whose weights barely move (vanishing); or, inside each layer, the distributions.

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
        let dist = (state.dist_quantity.get(), state.dist_layer.get());
        let theme = state.theme.get();
        state.resize.track();
        state.redraw.track();
        state.view_epoch.track();
        let Some(canvas) = heat_ref.get() else { return };
        // Each chart draws in a frame of its own, so no frame carries all of them.
        after_frames(1, move || {
            state.store.with_untracked(|store| {
                let highlight = state.view_epoch.get_untracked();
                if let Some(message) = map_card::empty_message(store, quantity, dist, highlight) {
                    charts::placeholder(&canvas, theme, message);
                    return;
                }
                let drawn = charts::draw_on(&canvas, theme, |root, s| {
                    map_card::plot(root, s, store, quantity, metric, highlight, dist)
                });
                if let Err(e) = drawn {
                    web_sys::console::warn_1(&format!("heatmap: {e}").into());
                }
            })
        });
    });
    let pick = move |q: HeatQuantity| move |_| state.heat.set(q);
    let showing_dist = move || state.heat.get() == HeatQuantity::Distributions;
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
                    <button id="heat-dist" class:active=showing_dist
                        title="Inside each layer: the histogram of its activations, inputs, δ, weights or gradients"
                        on:click=pick(HeatQuantity::Distributions)>"distributions"</button>
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
            // Static controls (a reactive list of buttons and layer options cost the page ~4 KB).
            <div class="chart-head" class:hidden=move || !showing_dist()>
                <select id="dist-quantity" aria-label="Distribution of"
                    prop:value=move || state.dist_quantity.get().to_string()
                    on:change=move |ev| state.dist_quantity.set(event_target_value(&ev).parse().unwrap_or(0))>
                    <option value="0">"activations f(z), on the validation set"</option>
                    <option value="1">"pre-activations z, on the validation set"</option>
                    <option value="2">"back-propagated δ = ∂L/∂z, last step"</option>
                    <option value="3">"weights W, end of epoch"</option>
                    <option value="4">"gradients ∂L/∂W, last step"</option>
                </select>
                <label title="Leave empty for every layer at the shown epoch">"one layer over epochs: "
                    <input id="dist-layer" type="number" min="1" placeholder="all" class="dist-layer"
                        on:change=move |ev| state.dist_layer.set(
                            event_target_value(&ev).parse::<usize>().ok().and_then(|l| l.checked_sub(1))) />
                </label>
            </div>
            <canvas id="chart-heatmap" node_ref=heat_ref class="chart medium" role="img"
                aria-label="Map of layers by epochs, one panel per run, colour on a log scale. The per-layer table lists the same figures epoch by epoch."></canvas>
        </div>
    }
}
