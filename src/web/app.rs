//! The page: reads the link, starts the worker, lays out the panels, and keeps the address
//! bar following the runs (one effect).

use leptos::prelude::*;

use super::client;
use super::controls::Controls;
use super::dom::{after_frames, hash, push_query, query_string, replace_query};
use super::keys::on_key;
use super::lesson::player::LessonPlayer;
use super::panels::{
    clip_explainer::ClipExplainer, code::CodePanel, diagnosis::DiagnosisPanel, footer::Footer,
    gradients::Gradients, heatmaps::Heatmaps, layer_table::LayerTable, lesson_line::LessonLine,
    notices::Notices, phone_tabs::PhoneTabs, results::ResultsCharts, runs::RunSummaries,
    shortcuts::ShortcutHelp, transport::Transport,
};
use super::state::AppState;
use crate::protocol::{Phase, ToWorker};
use crate::url_state::{decode, encode};
use wasm_bindgen::JsCast;

/// What `?bench=1` shows until the benchmark reports (or in a build without it).
#[cfg(feature = "bench")]
const BENCH_NOTE: &str = "benchmark running…";
#[cfg(not(feature = "bench"))]
const BENCH_NOTE: &str = "This build has no benchmark: build it with `trunk build --release --features bench --dist dist-bench` (e2e/tools/bench.mjs does).";

pub fn start() {
    console_error_panic_hook::set_once();
    // A link to a built-in lesson: its file first (the link's runs come from it).
    let query = query_string();
    let lesson = form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .filter(|(k, _)| k == "lesson")
        .last()
        .and_then(|(_, id)| crate::lesson::builtin::find(&id))
        .filter(|b| b.text().is_none());
    // (Leptos' own executor starts with the mount: wasm-bindgen's runs the wait.)
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(b) = lesson {
            // A failure shows as the link's notice (the lesson could not be loaded).
            let _ = super::lesson::open::fetch_builtin(b.id).await;
        }
        leptos::mount::mount_to_body(App);
    });
}

#[component]
fn App() -> impl IntoView {
    let (url, notices) = decode(&query_string());
    let bench = url.bench;
    let opening = (url.lesson, url.step, url.runs.clone());
    let state = AppState::new(url, notices);
    provide_context(state);

    if let Err(e) = client::spawn(move |msg| state.receive(msg)) {
        state.error.set(Some(e));
    }
    // The worker plays at the view's speed, told again whenever it changes.
    let speed = Memo::new(move |_| state.speed());
    client::send(ToWorker::SetSpeed {
        speed: speed.get_untracked(),
    });
    Effect::new(move |_| client::send(ToWorker::SetSpeed { speed: speed.get() }));
    state.send_runs();
    super::dom::mark("gradscope:runs-sent");
    open_lesson_of_link(state, opening);
    // The address bar follows the runs and the view: always a link that replays them.
    let link = Memo::new(move |_| encode(&state.link()));
    // A new experiment (a lesson, compare, a run removed, a structural change) gets a history
    // entry of its own; adjusting one replaces it. Back and Forward bring one back.
    Effect::new(move |_| {
        // A shared lesson's fragment stays while its lesson is open.
        let (shared, file) = state.player.with(|p| match p {
            Some(p) => (p.shared.clone(), p.file.clone()),
            None => (None, None),
        });
        let fragment = shared.map_or(String::new(), |code| {
            format!("#{}{code}", super::lesson::open::FRAGMENT_KEY)
        });
        let file = file.map_or(String::new(), |f| {
            form_urlencoded::Serializer::new(String::from("&"))
                .append_pair("lesson_file", &f)
                .finish()
        });
        let query = format!("?{}{file}{fragment}", link.get());
        if state.take_push() {
            push_query(&query);
        } else {
            replace_query(&query);
        }
    });
    window_event_listener(leptos::ev::popstate, move |_| {
        let (url, notices) = decode(&query_string());
        let lesson = url.lesson.map(|id| (id, url.step));
        state.restore(url, notices);
        if let Some((id, step)) = lesson {
            state.open_builtin(id, step.saturating_sub(1));
            // Back and Forward move through the history; they never add to it.
            state.push_link.set_value(false);
        }
    });
    // A lesson file dropped anywhere on the page opens.
    window_event_listener(leptos::ev::dragover, |ev| ev.prevent_default());
    window_event_listener(leptos::ev::drop, move |ev| {
        ev.prevent_default();
        // Read through JS (no web-sys feature for the one property).
        let transfer = js_sys::Reflect::get(&ev, &"dataTransfer".into()).unwrap_or_default();
        if !transfer.is_null() && !transfer.is_undefined() {
            state.open_file_list(
                js_sys::Reflect::get(&transfer, &"files".into()).unwrap_or_default(),
            );
        }
    });
    #[cfg(feature = "bench")]
    if bench {
        super::bench::run(state);
    }

    let resize = state.resize;
    window_event_listener(leptos::ev::resize, move |_| resize.update(|n| *n += 1));
    window_event_listener(leptos::ev::keydown, move |ev| on_key(state, ev));
    // A value chosen from a menu or slider hands the keys back to the page (Space plays). On
    // a phone, a setting changed in the settings tab shows the charts again.
    window_event_listener(leptos::ev::change, move |ev| {
        if let Some(el) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok())
        {
            let range = el.get_attribute("type").as_deref() == Some("range");
            if el.tag_name() == "SELECT" || range {
                let _ = el.blur();
            }
            let in_settings = el
                .closest(".settings-block, .lesson-block")
                .ok()
                .flatten()
                .is_some();
            if in_settings && state.settings_open.get_untracked() {
                state.settings_open.set(false);
                if let Some(w) = web_sys::window() {
                    w.scroll_to_with_x_and_y(0.0, 0.0);
                }
            }
        }
    });
    // A button or panel heading clicked with the pointer hands the keys back too: Space then
    // plays instead of pressing the tab or closing the panel again. Activated from the keyboard
    // (a click with no pointer, detail 0), it keeps the focus, as keyboard users expect.
    window_event_listener(leptos::ev::click, |ev| {
        if ev.detail() == 0 {
            return;
        }
        let clicked = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|el| el.closest("button, summary").ok().flatten())
            .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok());
        if let Some(el) = clicked {
            let _ = el.blur();
        }
    });
    // Leaving full screen (Esc, the browser's own controls) leaves presenter mode too — but
    // only a full screen that presenter mode was in: a late event from an earlier exit (F)
    // must not end a presentation that has just begun.
    let presenting_in_fullscreen = StoredValue::new(false);
    let _ = document().add_event_listener_with_callback(
        "fullscreenchange",
        wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
            let on = super::fullscreen::is_on();
            let presenting = state.presenting.get_untracked();
            if on {
                presenting_in_fullscreen.set_value(presenting);
            } else {
                if presenting && presenting_in_fullscreen.get_value() {
                    state.presenting.set(false);
                }
                presenting_in_fullscreen.set_value(false);
            }
            resize.update(|n| *n += 1);
        })
        .into_js_value()
        .unchecked_ref(),
    );

    let theme_class = move || {
        let presenting = if state.presenting.get() {
            " presenting"
        } else {
            ""
        };
        let tab = if state.settings_open.get() {
            " phone-settings"
        } else {
            ""
        };
        // While a question is open, what would give the answer away is hidden.
        let asking = if state.question_open() { " asking" } else { "" };
        format!(
            "app theme-{}{presenting}{tab}{asking}",
            state.theme.get().name()
        )
    };
    // The charts change size when the layout does.
    Effect::new(move |_| {
        state.presenting.track();
        after_frames(1, move || resize.update(|n| *n += 1));
    });
    // The page's phase: the first run's, or "playing" while any run trains.
    let phase_attr = move || {
        state.store.with(|s| {
            let phases: Vec<Option<Phase>> = s.runs().iter().map(|r| r.phase()).collect();
            let name = if phases.iter().any(|p| p.is_none()) {
                "loading"
            } else if phases.contains(&Some(Phase::Playing)) {
                "playing"
            } else if phases.iter().all(|p| *p == Some(Phase::Diverged)) {
                "diverged"
            } else if phases
                .iter()
                .all(|p| matches!(p, Some(Phase::Finished | Phase::Diverged)))
            {
                "finished"
            } else {
                "paused"
            };
            name.to_string()
        })
    };
    // Epochs on screen: the least advanced run's count of records.
    let epochs_attr = move || {
        state.store.with(|s| {
            s.runs()
                .iter()
                .map(|r| r.records().len())
                .min()
                .unwrap_or(0)
                .to_string()
        })
    };
    let runs_attr = move || state.store.with(|s| s.runs().len().to_string());
    // WebAssembly memory of the page and of the worker (read by e2e/tools/memory.mjs).
    let memory_attr = move || {
        let worker = state.store.with(|s| {
            s.runs()
                .iter()
                .filter_map(|r| r.progress.as_ref().map(|p| p.memory_bytes))
                .fold(0.0, f64::max)
        });
        format!("{},{}", super::wasm_memory_bytes(), worker)
    };
    view! {
        <div class=theme_class data-phase=phase_attr data-epochs=epochs_attr data-runs=runs_attr data-memory=memory_attr>
            <Transport/>
            <Notices/>
            <RunSummaries/>
            <LessonPlayer/>
            <main class="layout">
                <aside class="panel controls" aria-label="Configuration">
                    <Controls/>
                </aside>
                <section class="story" aria-label="Gradients">
                    <Gradients/>
                    <Heatmaps/>
                    <LayerTable/>
                    <CodePanel/>
                </section>
                <section class="results" aria-label="Results">
                    <DiagnosisPanel/>
                    <ResultsCharts/>
                </section>
            </main>
            <LessonLine/>
            <PhoneTabs/>
            <Footer/>
            <ShortcutHelp/>
            <ClipExplainer/>
            <div class="blank-screen" id="blank-screen" class:hidden=move || !state.blank.get()
                aria-hidden="true" on:click=move |_| state.blank.set(false)></div>
            {bench.then(|| view! { <pre id="bench-results" class="bench">{BENCH_NOTE}</pre> })}
        </div>
    }
}

/// The lesson a link opens: `?lesson=ID&step=K` (its runs as the link adjusted them),
/// `?lesson_file=PATH`, or a shared `#lesson=…`.
fn open_lesson_of_link(
    state: AppState,
    (id, step, runs): (
        Option<&'static str>,
        usize,
        Vec<crate::engine::config::Config>,
    ),
) {
    if let Some(id) = id {
        state.open_builtin(id, step.saturating_sub(1));
        // The link opened is the page's entry: no new one.
        state.push_link.set_value(false);
        // A link that adjusted the step's runs keeps its own ("Back to the lesson" restores).
        if state.store.with_untracked(|s| s.configs()) != runs {
            state.update(|s| {
                s.load_lesson(runs, Some(id));
                s.hold(None);
            });
        }
    }
    let query = query_string();
    let file = form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .find(|(k, _)| k == "lesson_file")
        .map(|(_, v)| v.into_owned());
    if let Some(path) = file {
        state.open_path(&path);
    }
    if let Some(code) = hash().strip_prefix(&format!("#{}", super::lesson::open::FRAGMENT_KEY)) {
        state.open_fragment(code);
    }
}
