//! Every figure of every layer at the shown epoch, as numbers (for the selected run).

use leptos::prelude::*;

use super::gradients::shown_epoch;
use crate::format::{num, num_opt, pct_opt};
use crate::web::state::AppState;

#[component]
pub fn LayerTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let shown = move || {
        state.redraw.track();
        let view = state.view_epoch.get();
        state.store.with(|s| {
            let epoch = shown_epoch(s, view)?;
            let run = s.selected_run();
            let record = run.records_upto(epoch).last()?.clone();
            let whose = if s.is_comparing() {
                format!(" — run {}", s.selected() + 1)
            } else {
                String::new()
            };
            Some((record, whose))
        })
    };
    let title = move || {
        shown().map_or("Numbers for every layer".to_string(), |(r, whose)| {
            format!("Numbers for every layer{whose} — epoch {}", r.epoch)
        })
    };
    // The rows are built only while the table is open (it starts closed).
    let open = RwSignal::new(false);
    let rows = move || {
        open.get().then(shown).flatten().map(|(r, _)| {
            let depth = r.layers.len().saturating_sub(1);
            r.layers
                .iter()
                .map(|l| {
                    let name = if l.layer > depth {
                        "out".to_string()
                    } else {
                        l.layer.to_string()
                    };
                    view! {
                        <tr>
                            <td>{name}</td>
                            <td>{num(l.grad_norm)}</td>
                            <td>{num(l.delta_rms)}</td>
                            <td>{num(l.weight_norm)}</td>
                            <td>{num_opt(l.update_ratio)}</td>
                            <td>{num(l.act_mean)}</td>
                            <td>{num(l.act_std)}</td>
                            <td>{pct_opt(Some(l.saturated))}</td>
                            <td>{pct_opt(l.dead)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <details class="card layer-table" id="layer-table"
            on:toggle=move |ev| open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))>
            <summary>{title}</summary>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Per-layer figures, scrollable">
                <table>
                    <thead>
                        <tr>
                            <th title="layer, input side first">"layer"</th>
                            <th title="Frobenius norm of the kernel gradient, before clipping, mean over the epoch's steps">"‖∂L/∂W‖"</th>
                            <th title="RMS of the back-propagated gradient ∂L/∂z, mean over the epoch's steps">"δ rms"</th>
                            <th title="Frobenius norm of the kernel at the end of the epoch">"‖W‖"</th>
                            <th title="‖ΔW‖ / ‖W‖ of the epoch's last step (healthy: often around 1e-3); — when the weights were all 0">"update / weight"</th>
                            <th title="mean of the layer's activations on the validation set (logits for the output layer)">"act mean"</th>
                            <th title="standard deviation of the layer's activations on the validation set">"act sd"</th>
                            <th title="sigmoid/tanh outputs whose slope is under 5 % of its peak">"saturated"</th>
                            <th title="ReLU and leaky ReLU layers: units whose input is ≤ 0 for every validation sample (a dead ReLU passes no gradient; a dead leaky ReLU only its 0.01 slope); — for other layers">"dead"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
}
