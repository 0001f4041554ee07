//! Messages above the charts: a link that could not be fully read, a refused value, and a
//! run that diverged.

use leptos::prelude::*;

use crate::protocol::Phase;
use crate::web::state::AppState;

#[component]
pub fn Notices() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The runs that diverged, named when there are several.
    let diverged = Memo::new(move |_| {
        state.store.with(|s| {
            let labels = s.labels();
            s.runs()
                .iter()
                .enumerate()
                .filter(|(_, r)| r.phase() == Some(Phase::Diverged))
                .map(|(i, _)| {
                    if s.is_comparing() {
                        format!("Run {} ({})", i + 1, labels[i])
                    } else {
                        "The run".to_string()
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="notices">
            <Show when=move || !state.notices.with(|n| n.is_empty())>
                <div class="notice notice-url" id="url-notice" role="status">
                    <b>"Some settings in this link could not be used; defaults stand in: "</b>
                    {move || state.notices.get().join(" · ")}
                    <button class="dismiss" on:click=move |_| state.notices.set(Vec::new())>"dismiss"</button>
                </div>
            </Show>
            <Show when=move || state.error.with(|e| e.is_some())>
                <div class="notice notice-error" id="error-notice" role="alert">
                    {move || state.error.get().unwrap_or_default()}
                    <button class="dismiss" on:click=move |_| state.error.set(None)>"dismiss"</button>
                </div>
            </Show>
            <Show when=move || !diverged.with(Vec::is_empty)>
                <div class="notice notice-diverged" id="diverged-banner" role="alert">
                    <b>{move || format!("{} diverged.", diverged.get().join(", "))}</b>
                    " Its numbers became NaN or infinite and its training stopped. Pick a smaller initializer, turn on clipping or lower the learning rate. Once every run has diverged, play starts them over from the same initial weights; reset (R) does it any time."
                </div>
            </Show>
        </div>
    }
}
