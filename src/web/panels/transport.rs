//! The transport bar: reset, play/pause, step, epoch, new weights, compare — acting on every
//! run together — with the epoch counter, the phase and the theme.

use leptos::prelude::*;

use super::export::ExportMenu;
use super::notices::HeaderChips;
use crate::format::{duration, num};
use crate::protocol::{Phase, SLOW_EPOCH_S};
use crate::store::MAX_RUNS;
use crate::url_state::Theme;
use crate::web::dom::icon;
use crate::web::state::AppState;

const ICON_PLAY: &str = "M7 4.5v15l13-7.5z";
const ICON_PAUSE: &str = "M6 4h4.5v16H6zM13.5 4H18v16h-4.5z";
const ICON_STEP: &str = "M5 5v14l10-7zM16 5h3v14h-3z";
const ICON_RESET: &str = "M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z";
const ICON_DICE: &str = "M5 3h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm2.5 3a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm9 9a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zM12 10.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z";
const ICON_PRESENT: &str = "M3 4h18v12H3zm2 2v8h14V6zM11 16h2v3h3v2H8v-2h3z";
const ICON_COMPARE: &str = "M3 5h8v14H3zm10 0h8v14h-8zM5 7v10h4V7zm10 0v10h4V7z";

#[component]
pub fn Transport() -> impl IntoView {
    let state = expect_context::<AppState>();
    let store = state.store;
    let playing = Memo::new(move |_| store.with(|s| s.playing()));
    let epoch_text = move || {
        store.with(|s| {
            let total = s.runs().iter().map(|r| r.config.epochs).max().unwrap_or(0);
            // The furthest run: a run that stopped early (diverged) says so in its own line.
            match s.runs().iter().filter_map(|r| r.epoch()).max() {
                Some(shown) => format!("{shown} / {total}"),
                None => format!("– / {total}"),
            }
        })
    };
    // The first run still working tells where training is.
    let step_text = move || {
        store.with(|s| {
            let run = s.runs().iter().find(|r| {
                r.progress
                    .as_ref()
                    .is_some_and(|p| !matches!(p.phase, Phase::Finished | Phase::Diverged))
            });
            run.and_then(|r| r.progress.as_ref())
                .map_or(String::new(), |p| {
                    let slow = p
                        .epoch_seconds
                        .filter(|t| *t >= SLOW_EPOCH_S)
                        .map_or(String::new(), |t| {
                            format!(" · about {} an epoch", duration(t))
                        });
                    if p.epoch == 0 {
                        // Short: at 1280 px the status has two lines (the chart's caption and
                        // the verdict say what epoch 0 is).
                        format!("epoch 0: step {}/{}{slow}", p.step, p.steps_per_epoch)
                    } else if p.step == 0 && p.phase != Phase::Playing {
                        // Stopped between epochs: the last one is recorded, the next not begun.
                        format!("epoch {} next{slow}", p.epoch)
                    } else {
                        format!(
                            "in epoch {}: step {}/{}{slow}",
                            p.epoch, p.step, p.steps_per_epoch
                        )
                    }
                })
        })
    };
    // Samples/s while training, unless an epoch's duration is announced (it says more).
    let speed_text = move || {
        let (total, slow): (f64, bool) = store.with(|s| {
            let working = || {
                s.runs()
                    .iter()
                    .filter_map(|r| r.progress.as_ref())
                    .filter(|p| p.phase == Phase::Playing)
            };
            let slow = working().any(|p| p.epoch_seconds.is_some_and(|t| t >= SLOW_EPOCH_S));
            (working().map(|p| p.samples_per_second).sum(), slow)
        });
        if total > 0.0 && !slow {
            format!("{} samples/s", num(total.round()))
        } else {
            String::new()
        }
    };
    let phase_chip = move || {
        let phases: Vec<Option<Phase>> =
            store.with(|s| s.runs().iter().map(|r| r.phase()).collect());
        let all = |f: fn(Option<Phase>) -> bool| phases.iter().all(|p| f(*p));
        if all(|p| p == Some(Phase::Diverged)) {
            ("chip chip-alarm", "diverged")
        } else if store.with(|s| s.held_at().is_some()) && !phases.contains(&Some(Phase::Playing)) {
            // A lesson's question is open: the runs wait for it, they are not done.
            ("chip", "waiting for an answer")
        } else if all(|p| matches!(p, Some(Phase::Finished | Phase::Diverged))) {
            ("chip chip-done", "finished")
        } else if playing.get() {
            ("chip chip-live", "training")
        } else if phases.contains(&Some(Phase::Playing)) {
            // Measuring epoch 0, a step or an epoch asked for: busy without play.
            ("chip chip-live", "working")
        } else if phases.contains(&None) {
            ("chip", "starting")
        } else {
            ("chip", "paused")
        }
    };
    let full = Memo::new(move |_| store.with(|s| s.runs().len() >= MAX_RUNS));
    view! {
        <header class="topbar">
            <h1 class="brand">
                <span class="logo" aria-hidden="true">"∇"</span>
                <span class="name">"gradscope"</span>
                <span class="tagline">"watch gradients vanish or explode"</span>
            </h1>
            <div class="transport" role="toolbar" aria-label="Training">
                <button id="btn-reset" class="icon-btn" title="Reset every run to its initial weights (R)" aria-label="Reset"
                    on:click=move |_| { state.reset(false); }>{icon(ICON_RESET)}<span class="btn-label" aria-hidden="true">"reset"</span></button>
                <button id="btn-play" class="play-btn"
                    title=move || if playing.get() { "Pause (Space)" } else { "Play (Space)" }
                    aria-label=move || if playing.get() { "Pause" } else { "Play" }
                    aria-pressed=move || playing.get().to_string()
                    on:click=move |_| { state.play_pause(); }>
                    {move || if playing.get() { icon(ICON_PAUSE).into_any() } else { icon(ICON_PLAY).into_any() }}
                </button>
                <button id="btn-step" class="icon-btn" title="One mini-batch step for every run (→)" aria-label="Step"
                    on:click=move |_| { state.step(); }>{icon(ICON_STEP)}<span class="btn-label" aria-hidden="true">"step"</span></button>
                <button id="btn-epoch" class="text-btn" title="Train every run to the end of its epoch (E)"
                    on:click=move |_| { state.epoch(); }>"+1 epoch"</button>
                <button id="btn-reinit" class="icon-btn" title="New initial weights, shared by every run (N)" aria-label="New weights"
                    on:click=move |_| { state.reset(true); }>{icon(ICON_DICE)}<span class="btn-label" aria-hidden="true">"new weights"</span></button>
                <button id="btn-compare" class="text-btn compare-btn" disabled=move || full.get()
                    title="Compare: add a copy of the selected run, then change what you want to compare (C)"
                    on:click=move |_| { state.compare(); }>{icon(ICON_COMPARE)}" compare"</button>
            </div>
            <div class="status" aria-live="polite">
                <div class="epoch"><span class="epoch-word">"Epoch "</span><b id="epoch-counter">{epoch_text}</b></div>
                <div class="sub">
                    <span class=move || phase_chip().0 id="phase-chip">{move || phase_chip().1}</span>
                    " " <span id="step-text">{step_text}</span> " " <span class="muted">{speed_text}</span>
                </div>
            </div>
            <HeaderChips/>
            <div class="view-opts">
                <ExportMenu/>
                <button id="btn-present" class="icon-btn" aria-pressed=move || state.presenting.get().to_string()
                    title="Presenter mode: the charts fill the screen, the controls fold away (P; Esc leaves)"
                    on:click=move |_| { state.toggle_presenting(); }>
                    {icon(ICON_PRESENT)}<span class="btn-label-keep">"present"</span>
                </button>
                <button id="btn-help" class="icon-btn" title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts"
                    on:click=move |_| state.help_open.set(true)><kbd aria-hidden="true">"?"</kbd></button>
                <label for="ctl-theme" class="sr-only">"Theme"</label>
                <select id="ctl-theme" title="Colour theme: light, dark, or lecture (large type)"
                    on:change=move |ev| {
                        if let Some(t) = Theme::from_name(&event_target_value(&ev)) {
                            state.theme.set(t);
                        }
                    }
                    prop:value=move || state.theme.get().name().to_string()>
                    {Theme::ALL.iter().map(|t| {
                        let t = *t;
                        view! { <option value=t.name() selected=move || state.theme.get() == t>{t.name()}</option> }
                    }).collect_view()}
                </select>
            </div>
        </header>
    }
}
