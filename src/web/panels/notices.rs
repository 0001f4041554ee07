//! Messages: a link that could not be fully read and a refused value (a card above the
//! charts, or a chip in the header while presenting), and a run that diverged (always a chip
//! in the header, in the audience's words, dismissible, so it never moves a chart).

use leptos::prelude::*;

use crate::protocol::Phase;
use crate::web::state::AppState;

/// The notices above the charts (hidden while presenting: the header's chips stand in).
#[component]
pub fn Notices() -> impl IntoView {
    let state = expect_context::<AppState>();
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
                    <span class="chip-text">{move || state.error.get().unwrap_or_default()}</span>
                    <button class="dismiss" on:click=move |_| state.error.set(None)>"dismiss"</button>
                </div>
            </Show>
        </div>
    }
}

/// A diverged run as the audience should hear it: which run, what became of its numbers, when.
#[derive(Clone, PartialEq)]
struct Diverged {
    id: u64,
    text: String,
}

/// Chips in the header: each diverged run (until dismissed), and while presenting the link's
/// and the last error's notices in short.
#[component]
pub fn HeaderChips() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Runs (by id) whose chip was dismissed; a run rebuilt or diverging anew gets a new id.
    let dismissed = RwSignal::new(Vec::<u64>::new());
    let diverged = Memo::new(move |_| {
        state.store.with(|s| {
            s.runs()
                .iter()
                .enumerate()
                .filter(|(_, r)| r.phase() == Some(Phase::Diverged))
                .map(|(i, r)| {
                    let who = if s.is_comparing() {
                        format!("Run {}", i + 1)
                    } else {
                        "The network".to_string()
                    };
                    let when = r
                        .records()
                        .iter()
                        .find(|x| !x.train_loss.is_finite() || !x.val_loss.is_finite())
                        .map_or(String::new(), |x| format!(" in epoch {}", x.epoch));
                    Diverged {
                        id: r.id,
                        text: format!("{who} diverged{when}: its loss is no longer a number"),
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let shown = move || {
        let gone = dismissed.get();
        diverged
            .get()
            .into_iter()
            .filter(|d| !gone.contains(&d.id))
            .collect::<Vec<_>>()
    };
    let presenting = move || state.presenting.get();
    view! {
        <div class="header-chips" role="status">
            <For each=shown key=|d| d.id let:d>
                <span class="chip chip-alarm alert-chip diverged-chip" data-run-id=d.id.to_string()
                    title="Its numbers became NaN or infinite and its training stopped; the diagnosis says what to change.">
                    <span class="chip-text">{d.text.clone()}</span>
                    <button class="chip-x" aria-label="Dismiss"
                        on:click=move |_| dismissed.update(|v| v.push(d.id))>"×"</button>
                </span>
            </For>
            <Show when=move || state.info.with(Option::is_some)>
                <span class="chip alert-chip notice-chip" id="info-chip">
                    <span class="chip-text">{move || state.info.get().unwrap_or_default()}</span>
                    <button class="chip-x" aria-label="Dismiss" on:click=move |_| state.info.set(None)>"×"</button>
                </span>
            </Show>
            <Show when=move || presenting() && !state.notices.with(Vec::is_empty)>
                <span class="chip alert-chip notice-chip" id="url-chip" title=move || state.notices.get().join(" · ")>
                    <span class="chip-text">"Link: some settings ignored"</span>
                    <button class="chip-x" aria-label="Dismiss" on:click=move |_| state.notices.set(Vec::new())>"×"</button>
                </span>
            </Show>
            <Show when=move || presenting() && state.error.with(Option::is_some)>
                <span class="chip alert-chip notice-chip" id="error-chip" title=move || state.error.get().unwrap_or_default()>
                    <span class="chip-text">{move || state.error.get().unwrap_or_default()}</span>
                    <button class="chip-x" aria-label="Dismiss" on:click=move |_| state.error.set(None)>"×"</button>
                </span>
            </Show>
        </div>
    }
}
