//! The bottom row of presenter mode: the lesson's title and step in one line (the settings
//! panel is folded away), and the curves' key.

use leptos::prelude::*;

use crate::web::state::AppState;

#[component]
pub fn LessonLine() -> impl IntoView {
    let state = expect_context::<AppState>();
    let line = move || {
        state.player.with(|p| {
            // With the player closed, the lesson the runs came from.
            let Some(p) = p.as_ref() else {
                let id = state.store.with(|s| s.lesson())?;
                return crate::lesson::builtin::find(id).map(|b| b.title().to_string());
            };
            let n = p.lesson.steps.len();
            Some(match p.lesson.steps.get(p.step) {
                Some(s) => format!(
                    "{} · step {} of {n} · {}",
                    p.lesson.title,
                    p.step + 1,
                    s.heading
                ),
                None => format!("{} · the end", p.lesson.title),
            })
        })
    };
    view! {
        <div class="lesson-row">
            <Show when=move || line().is_some()>
                <p class="lesson-line" id="lesson-line" title=line>{line}</p>
            </Show>
            <span class="curves-key" aria-hidden="true">"╌ train  ━ validation"</span>
        </div>
    }
}
