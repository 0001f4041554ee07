//! The bottom row of presenter mode: the lesson's title and what to watch in one line (the
//! settings panel that carries it otherwise is folded away), and the curves' key.

use leptos::prelude::*;

use crate::presets;
use crate::web::state::AppState;

#[component]
pub fn LessonLine() -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = Memo::new(move |_| state.store.with(|s| s.lesson()));
    let lesson = move || id.get().and_then(presets::find);
    view! {
        <div class="lesson-row">
            <Show when=move || lesson().is_some()>
                <p class="lesson-line" id="lesson-line"
                    title=move || lesson().map_or(String::new(), |p| format!("{} — {}", p.title, p.watch))>
                    <b>{move || lesson().map(|p| p.title)}</b>
                    " · " {move || lesson().map(|p| p.watch)}
                </p>
            </Show>
            <span class="curves-key" aria-hidden="true">"╌ train  ━ validation"</span>
        </div>
    }
}
