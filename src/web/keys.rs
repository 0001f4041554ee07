//! Keyboard shortcuts: one table ([`SHORTCUTS`]) feeds the handler's help overlay and the
//! footer. Keys act on every run, from anywhere on the page, except while typing in a field.
//! Letters work with or without Shift (Caps Lock and projector remotes send capitals).

use leptos::prelude::*;

use super::state::AppState;
use crate::lesson::builtin;
use crate::store::Store;
use crate::url_state::GradMetric;

/// What a key does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    PlayPause,
    Step,
    Epoch,
    Reset,
    NewWeights,
    Compare,
    SwitchMeasure,
    SwitchMap,
    Present,
    Fullscreen,
    NextLesson,
    PreviousLesson,
    /// A lesson by its place in the menu (the digit pressed).
    PickLesson,
    Blank,
    Help,
    Close,
}

/// A shortcut as the help overlay shows it: the keys, and what they do.
pub struct Shortcut {
    /// Key names as `KeyboardEvent.key` reports them (letters in lower case).
    pub keys: &'static [&'static str],
    /// How the overlay writes the keys.
    pub shown: &'static str,
    pub action: Action,
    pub what: &'static str,
}

pub const SHORTCUTS: &[Shortcut] = &[
    Shortcut {
        keys: &[" ", "k"],
        shown: "Space / K",
        action: Action::PlayPause,
        what: "play or pause every run",
    },
    Shortcut {
        keys: &["ArrowRight", "s"],
        shown: "→ / S",
        action: Action::Step,
        what: "one mini-batch step",
    },
    Shortcut {
        keys: &["e"],
        shown: "E",
        action: Action::Epoch,
        what: "train to the end of the epoch",
    },
    Shortcut {
        keys: &["r"],
        shown: "R",
        action: Action::Reset,
        what: "reset to the initial weights",
    },
    Shortcut {
        keys: &["n"],
        shown: "N",
        action: Action::NewWeights,
        what: "new initial weights (shared by every run)",
    },
    Shortcut {
        keys: &["c"],
        shown: "C",
        action: Action::Compare,
        what: "compare: add a copy of the selected run",
    },
    Shortcut {
        keys: &["m"],
        shown: "M",
        action: Action::SwitchMeasure,
        what: "switch the gradient measure (‖∂L/∂W‖ ↔ δ)",
    },
    Shortcut {
        keys: &["w"],
        shown: "W",
        action: Action::SwitchMap,
        what: "switch the layer × epoch map: gradient → weight norm → update ratio",
    },
    Shortcut {
        keys: &["p"],
        shown: "P",
        action: Action::Present,
        what: "presenter mode: charts fill the screen (full screen too)",
    },
    Shortcut {
        keys: &["f"],
        shown: "F",
        action: Action::Fullscreen,
        what: "full screen on or off",
    },
    Shortcut {
        keys: &["PageDown"],
        shown: "PgDn",
        action: Action::NextLesson,
        what: "next step of the lesson (a presentation clicker's forward button); with no lesson open, the next lesson",
    },
    Shortcut {
        keys: &["PageUp"],
        shown: "PgUp",
        action: Action::PreviousLesson,
        what: "previous step (the clicker's back button); with no lesson open, the previous lesson",
    },
    Shortcut {
        keys: &["1", "2", "3", "4", "5", "6", "7", "8", "9"],
        shown: "1–9",
        action: Action::PickLesson,
        what: "with a lesson open: that answer to its question; otherwise the lesson with that number in the menu",
    },
    Shortcut {
        keys: &["b", "."],
        shown: "B / .",
        action: Action::Blank,
        what: "blank the screen; any key brings it back",
    },
    Shortcut {
        keys: &["?"],
        shown: "?",
        action: Action::Help,
        what: "show or hide this list of keys",
    },
    Shortcut {
        keys: &["Escape"],
        shown: "Esc",
        action: Action::Close,
        what: "close this list (the keys act again); leave presenter mode",
    },
];

/// The action bound to a key, if any (letters match either case).
pub fn action_of(key: &str) -> Option<Action> {
    let key = if key.chars().count() == 1 {
        key.to_ascii_lowercase()
    } else {
        key.to_string()
    };
    SHORTCUTS
        .iter()
        .find(|s| s.keys.contains(&key.as_str()))
        .map(|s| s.action)
}

/// Whether the key event belongs to a field the user is typing in (or to a focused button
/// that handles Space and Enter itself).
fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    let el = ev
        .target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok());
    let tag = el.as_ref().map(|e| e.tag_name()).unwrap_or_default();
    let key = ev.key();
    match tag.as_str() {
        "INPUT" | "SELECT" | "TEXTAREA" => key != "Escape",
        "BUTTON" | "SUMMARY" | "A" => matches!(key.as_str(), " " | "Enter"),
        _ => el.is_some_and(|e| e.closest("[contenteditable]").ok().flatten().is_some()),
    }
}

pub fn on_key(state: AppState, ev: web_sys::KeyboardEvent) {
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || typing(&ev) {
        return;
    }
    // A blank screen: any key brings the page back, and does nothing else.
    if state.blank.get_untracked() {
        state.blank.set(false);
        ev.prevent_default();
        return;
    }
    let Some(action) = action_of(&ev.key()) else {
        return;
    };
    // With the key list open, only the keys that close it act.
    if state.help_open.get_untracked() && !matches!(action, Action::Help | Action::Close) {
        return;
    }
    match action {
        Action::PlayPause => state.play_pause(),
        Action::Step => state.step(),
        Action::Epoch => state.epoch(),
        Action::Reset => state.reset(false),
        Action::NewWeights => state.reset(true),
        Action::Compare => state.compare(),
        Action::SwitchMeasure => state.metric.update(|m| {
            *m = match m {
                GradMetric::GradNorm => GradMetric::DeltaRms,
                GradMetric::DeltaRms | GradMetric::ClippedGradNorm => GradMetric::GradNorm,
            }
        }),
        Action::SwitchMap => {
            let recurrent = state.store.with_untracked(Store::has_recurrent);
            state.heat.update(|h| *h = h.next(recurrent))
        }
        Action::Present => state.toggle_presenting(),
        Action::Fullscreen => super::fullscreen::toggle(),
        Action::NextLesson | Action::PreviousLesson => {
            let step = if action == Action::NextLesson { 1 } else { -1 };
            match state.player.get_untracked() {
                Some(p) if step > 0 => state.go_to_step(p.step + 1),
                Some(p) => state.go_to_step(p.step.saturating_sub(1)),
                None => state.open_builtin(builtin::neighbour(None, step).id, 0),
            }
        }
        Action::PickLesson => {
            let place = ev.key().parse::<usize>().unwrap_or(0);
            // With a lesson open, digits answer its question (and do nothing else: a stray
            // key must not leave the lecture's lesson).
            let open = state.player.with_untracked(|p| {
                p.as_ref().map(|p| {
                    let q = p.asking().then(|| p.lesson.steps[p.step].ask.clone());
                    q.flatten().map_or(0, |q| q.choices.len())
                })
            });
            match (open, builtin::BUILT_IN.get(place.wrapping_sub(1))) {
                (Some(n), _) if (1..=n).contains(&place) => {
                    state.answer(super::lesson::Answer::Chose(place - 1))
                }
                (Some(_), _) | (None, None) => return,
                (None, Some(b)) => state.open_builtin(b.id, 0),
            }
        }
        Action::Blank => state.blank.set(true),
        Action::Help => state.help_open.update(|o| *o = !*o),
        Action::Close => {
            if state.help_open.get_untracked() {
                state.help_open.set(false);
            } else if state.presenting.get_untracked() {
                state.toggle_presenting();
            } else {
                return;
            }
        }
    }
    ev.prevent_default();
}
