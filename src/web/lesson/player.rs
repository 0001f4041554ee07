//! The lesson player above the charts: its markup is one string ([`player_html`], pure and
//! tested natively), and one click handler reads which button was pressed.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::Answer;
use crate::lesson::check::RunResult;
use crate::lesson::player_html::{player_html, PlayerView};
use crate::web::state::AppState;

#[component]
pub fn LessonPlayer() -> impl IntoView {
    let state = expect_context::<AppState>();
    let player = state.player;
    let note = RwSignal::new(None::<String>);
    // Presenter mode: the explanation opened over the charts (closed on every new step).
    let reveal_open = RwSignal::new(false);
    Effect::new(move |_| {
        player.with(|p| p.as_ref().map(|p| p.step));
        reveal_open.set(false);
    });
    // One memo: the markup changes only when what it shows does, not on every record.
    let html = Memo::new(move |_| {
        let p = player.get()?;
        let own = p.lesson.steps.get(p.step).map(|s| s.link().runs);
        state.store.with(|s| {
            let runs_done = s.complete();
            let explored = own.as_ref().is_some_and(|own| s.configs() != *own);
            let measured = match p.lesson.steps.get(p.step) {
                Some(step) if runs_done && !explored => {
                    let runs: Vec<RunResult> = s
                        .runs()
                        .iter()
                        .map(|r| RunResult {
                            config: &r.config,
                            records: r.records(),
                        })
                        .collect();
                    step.checks
                        .iter()
                        .map(|c| (c.to_string(), c.evaluate(&runs)))
                        .collect()
                }
                _ => Vec::new(),
            };
            Some(player_html(&PlayerView {
                lesson: &p.lesson,
                step: p.step,
                answers: &p.answers,
                runs_done,
                explored,
                measured,
                note: note.get(),
            }))
        })
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("button").ok().flatten())
        else {
            return;
        };
        let Some(p) = player.get_untracked() else {
            return;
        };
        let has = |name: &str| button.has_attribute(name);
        let number = |name: &str| {
            button
                .get_attribute(name)
                .and_then(|v| v.parse::<usize>().ok())
        };
        note.set(None);
        if has("data-reveal-toggle") {
            reveal_open.update(|o| *o = !*o);
        } else if let Some(i) = number("data-choice") {
            state.answer(Answer::Chose(i));
        } else if let Some(i) = number("data-revisit") {
            state.go_to_step(i);
        } else if has("data-just-show") {
            state.answer(Answer::Shown);
        } else if has("data-lesson-next") {
            state.go_to_step(p.step + 1);
        } else if has("data-lesson-prev") {
            state.go_to_step(p.step.saturating_sub(1));
        } else if has("data-lesson-back") {
            state.back_to_step();
        } else if has("data-close") {
            state.close_lesson();
        } else if has("data-download") {
            let text = &p.text;
            let name = format!("{}.md", p.id.unwrap_or("lesson"));
            if let Err(e) = crate::web::panels::export::download_text(text, "text/markdown", &name)
            {
                note.set(Some(e));
            }
        } else if has("data-share") {
            state.share_link(move |r| match r {
                Ok(link) => crate::web::dom::copy_to_clipboard(&link.clone(), move |ok| {
                    note.set(Some(if ok {
                        "Link copied: it carries the whole lesson.".into()
                    } else {
                        format!("Copy this link: {link}")
                    }))
                }),
                Err(e) => note.set(Some(e)),
            });
        }
    };
    let steps = move || player.with(|p| p.as_ref().map_or(0, |p| p.lesson.steps.len()));
    let at = move || player.with(|p| p.as_ref().map_or(0, |p| p.step));
    view! {
        <Show when=move || html.with(Option::is_some)>
            <section class="lesson-player" data-lesson-player data-step=move || (at() + 1).min(steps()) data-steps=steps
                class:asking=move || state.question_open()
                class:open-reveal=move || reveal_open.get()
                aria-label="Lesson" on:click=on_click
                inner_html=move || html.get().unwrap_or_default()></section>
        </Show>
    }
}
