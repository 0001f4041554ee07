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

/// What a header chip stands for, and so what its × dismisses.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum ChipKind {
    /// A run (by id) that diverged; a run rebuilt or diverging anew has a new id.
    Diverged(u64),
    Info,
    Link,
    Error,
}

#[derive(Clone, PartialEq)]
struct Chip {
    kind: ChipKind,
    text: String,
    title: String,
}

/// Chips in the header, each dismissible: every diverged run, in the audience's words; a
/// passing message (after Back); and, while presenting, the link's and the last error's
/// notices in short.
#[component]
pub fn HeaderChips() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dismissed = RwSignal::new(Vec::<u64>::new());
    let chips = Memo::new(move |_| {
        let gone = dismissed.get();
        let mut chips: Vec<Chip> = state.store.with(|s| {
            s.runs()
                .iter()
                .enumerate()
                .filter(|(_, r)| r.phase() == Some(Phase::Diverged) && !gone.contains(&r.id))
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
                    Chip {
                        kind: ChipKind::Diverged(r.id),
                        text: format!("{who} diverged{when}"),
                        title: format!(
                            "{who} diverged{when}: its loss is no longer a number, and its \
                             training stopped. The diagnosis says what to change."
                        ),
                    }
                })
                .collect()
        });
        if let Some(info) = state.info.get() {
            chips.push(Chip {
                kind: ChipKind::Info,
                title: info.clone(),
                text: info,
            });
        }
        if state.presenting.get() {
            let notices = state.notices.get();
            if !notices.is_empty() {
                chips.push(Chip {
                    kind: ChipKind::Link,
                    text: "Link: some settings ignored".into(),
                    title: notices.join(" · "),
                });
            }
            if let Some(error) = state.error.get() {
                chips.push(Chip {
                    kind: ChipKind::Error,
                    title: error.clone(),
                    text: error,
                });
            }
        }
        chips
    });
    let dismiss = move |kind: ChipKind| match kind {
        ChipKind::Diverged(id) => dismissed.update(|v| v.push(id)),
        ChipKind::Info => state.info.set(None),
        ChipKind::Link => state.notices.set(Vec::new()),
        ChipKind::Error => state.error.set(None),
    };
    view! {
        <div class="header-chips" role="status">
            <For each=move || chips.get() key=|c| (c.kind, c.text.clone()) let:chip>
                <span class=match chip.kind {
                        ChipKind::Diverged(_) => "chip chip-alarm alert-chip diverged-chip",
                        ChipKind::Info => "chip alert-chip notice-chip info-chip",
                        _ => "chip alert-chip notice-chip",
                    }
                    id=match chip.kind {
                        ChipKind::Info => Some("info-chip"),
                        ChipKind::Link => Some("url-chip"),
                        ChipKind::Error => Some("error-chip"),
                        ChipKind::Diverged(_) => None,
                    }
                    title=chip.title.clone()>
                    <span class="chip-text">{chip.text.clone()}</span>
                    <button class="chip-x" aria-label="Dismiss" on:click=move |_| dismiss(chip.kind)>"×"</button>
                </span>
            </For>
        </div>
    }
}
