//! The clipping explainer in a dialog: the static page `clip-explainer.html` (written from the
//! engine's clipping by [`crate::clip_demo`]) in a frame that is created when the dialog first
//! opens, so it costs the app's load nothing.

use leptos::html::Button;
use leptos::prelude::*;

use crate::web::state::AppState;

#[component]
pub fn ClipExplainer() -> impl IntoView {
    let state = expect_context::<AppState>();
    let close_ref = NodeRef::<Button>::new();
    // Once opened, the frame stays (reopening does not load it again).
    let opened = RwSignal::new(false);
    // Focus moves to Close when it opens, and back to the page when it closes (so that Space
    // plays again).
    Effect::new(move |was_open: Option<bool>| {
        let open = state.clip_explainer.get();
        if open {
            opened.set(true);
            if let Some(b) = close_ref.get() {
                let _ = b.focus();
            }
        } else if was_open == Some(true) {
            crate::web::dom::blur_focus();
        }
        open
    });
    let close = move || state.clip_explainer.set(false);
    view! {
        <div class="overlay" class:hidden=move || !state.clip_explainer.get()
            on:click=move |ev| {
                if ev.target() == ev.current_target() {
                    close();
                }
            }>
            <div class="dialog card clip-explainer" id="clip-explainer" role="dialog" aria-modal="true"
                aria-label="What clipping does to a gradient"
                on:keydown=move |ev| {
                    ev.stop_propagation();
                    if ev.key() == "Escape" {
                        close();
                    }
                }>
                <div class="dialog-head">
                    <a href="clip-explainer.html" target="_blank" rel="noopener">"Open on its own page"</a>
                    <button id="clip-explainer-close" node_ref=close_ref on:click=move |_| close()>"Close (Esc)"</button>
                </div>
                <Show when=move || opened.get()>
                    <iframe src="clip-explainer.html" title="What clipping does to a gradient"></iframe>
                </Show>
            </div>
        </div>
    }
}
