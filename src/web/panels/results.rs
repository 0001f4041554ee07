//! Loss and accuracy curves of every run, overlaid: one colour and marker per run; train
//! dashed, validation solid.

use leptos::html::Canvas;
use leptos::prelude::*;

use crate::web::charts::{self, curves};
use crate::web::dom::after_frames;
use crate::web::run_style::run_style;
use crate::web::state::AppState;

#[component]
pub fn ResultsCharts() -> impl IntoView {
    let state = expect_context::<AppState>();
    let loss_ref = NodeRef::<Canvas>::new();
    let acc_ref = NodeRef::<Canvas>::new();
    for (frames, node, which) in [
        (2, loss_ref, curves::Curve::Loss),
        (3, acc_ref, curves::Curve::Accuracy),
    ] {
        Effect::new(move |_| {
            let theme = state.theme.get();
            state.resize.track();
            state.redraw.track();
            let Some(canvas) = node.get() else { return };
            after_frames(frames, move || {
                state.store.with_untracked(|store| {
                    let runs = curves::runs(store);
                    if runs.iter().all(|r| r.records.is_empty()) {
                        charts::placeholder(&canvas, theme, "Curves appear after epoch 0.");
                    } else if let Err(e) = curves::draw(&canvas, theme, which, &runs) {
                        web_sys::console::warn_1(&format!("curve: {e}").into());
                    }
                })
            });
        });
    }
    let legend = move || {
        state.store.with(|s| {
            let labels = s.labels();
            s.runs()
                .iter()
                .zip(labels)
                .filter(|_| s.is_comparing())
                .map(|(r, label)| {
                    view! {
                        <span class=format!("key {}", run_style(r.colour).class)>
                            {format!("{} {label}", run_style(r.colour).glyph)}
                        </span>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="curve-legend" id="curve-legend">
            {legend}
            <span class="key key-style">"╌ train"</span>
            <span class="key key-style">"━ validation"</span>
        </div>
        <div class="card chart-card card-loss"><canvas id="chart-loss" node_ref=loss_ref class="chart small" role="img" aria-label="Loss by epoch for every run, train dashed and validation solid; each run's line above the charts gives its latest accuracy."></canvas></div>
        <div class="card chart-card card-acc"><canvas id="chart-accuracy" node_ref=acc_ref class="chart small" role="img" aria-label="Accuracy by epoch for every run, train dashed and validation solid; each run's line above the charts gives its latest validation accuracy."></canvas></div>
    }
}
