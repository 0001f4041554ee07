//! The page: state shared by the panels, the worker connection, URL sync and keyboard.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::client;
use super::controls::Controls;
use super::panels::{Charts, DiagnosisPanel, Footer, Notices, ResultsCharts, Transport};
use crate::engine::config::{Config, EPOCHS_RANGE};
use crate::engine::metrics::EpochRecord;
use crate::protocol::{FromWorker, Phase, Progress, Speed, ToWorker};
use crate::url_state::{decode, encode, GradMetric, Theme, UrlState};

/// Everything the panels read and change. Signals are `Copy`, so this is too.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The configuration shown in the controls and run by the worker.
    pub config: RwSignal<Config>,
    pub records: RwSignal<Vec<EpochRecord>>,
    /// The epoch the bar chart shows; None follows the latest.
    pub view_epoch: RwSignal<Option<usize>>,
    /// Mean-field prediction of δ rms per hidden layer at initialization.
    pub theory: RwSignal<Option<Vec<f64>>>,
    pub progress: RwSignal<Option<Progress>>,
    /// Which run the records belong to (messages of older runs are dropped).
    pub run_id: RwSignal<u64>,
    /// What the user asked for; the worker's phase follows a moment later.
    pub playing: RwSignal<bool>,
    pub metric: RwSignal<GradMetric>,
    pub theme: RwSignal<Theme>,
    pub speed: RwSignal<Speed>,
    /// The lesson picked last (empty: none).
    pub lesson: RwSignal<String>,
    /// Notices about the URL that could not be fully read.
    pub notices: RwSignal<Vec<String>>,
    /// The last problem (a refused value, a worker error).
    pub error: RwSignal<Option<String>>,
    /// Bumped when the window resizes, so charts redraw at the new size.
    pub resize: RwSignal<u32>,
    /// Bumped (at most every [`REDRAW_MS`]) when the records change: the charts follow this,
    /// not every record, so a fast run cannot flood the page with redraws.
    pub redraw: RwSignal<u64>,
    /// Milliseconds from navigation start to the first chart with data (benchmark figure).
    pub first_chart_ms: RwSignal<Option<f64>>,
}

impl AppState {
    fn new(url: UrlState, notices: Vec<String>) -> Self {
        AppState {
            config: RwSignal::new(url.config),
            records: RwSignal::new(Vec::new()),
            theory: RwSignal::new(None),
            view_epoch: RwSignal::new(None),
            progress: RwSignal::new(None),
            run_id: RwSignal::new(0),
            playing: RwSignal::new(false),
            metric: RwSignal::new(url.metric),
            theme: RwSignal::new(url.theme),
            speed: RwSignal::new(url.speed),
            notices: RwSignal::new(notices),
            lesson: RwSignal::new(url.lesson.map(str::to_string).unwrap_or_default()),
            error: RwSignal::new(None),
            resize: RwSignal::new(0),
            redraw: RwSignal::new(0),
            first_chart_ms: RwSignal::new(None),
        }
    }

    /// Applies a change to the configuration. Learning rate, clipping and epochs change the
    /// running network in place; anything else builds a new run.
    pub fn change(&self, f: impl FnOnce(&mut Config)) {
        let old = self.config.get_untracked();
        let mut new = old.clone();
        f(&mut new);
        if new == old {
            return;
        }
        if let Err(e) = new.validate() {
            self.error.set(Some(format!("Not applied — {e}")));
            return;
        }
        self.error.set(None);
        let structural = Config {
            lr: old.lr,
            clipping: old.clipping,
            epochs: old.epochs,
            ..new.clone()
        } != old;
        self.config.set(new.clone());
        if structural {
            self.restart(new);
        } else {
            if new.lr != old.lr {
                client::send(ToWorker::SetLr { lr: new.lr });
            }
            if new.clipping != old.clipping {
                client::send(ToWorker::SetClipping {
                    clipping: new.clipping,
                });
            }
            if new.epochs != old.epochs {
                client::send(ToWorker::SetEpochs { epochs: new.epochs });
                if self.playing.get_untracked() {
                    client::send(ToWorker::Play);
                }
            }
        }
        self.sync_url();
    }

    /// Replaces the whole configuration and starts a fresh run with it (a lesson).
    pub fn load(&self, config: Config) {
        if let Err(e) = config.validate() {
            self.error.set(Some(format!("Not applied — {e}")));
            return;
        }
        self.error.set(None);
        self.config.set(config.clone());
        self.restart(config);
        self.sync_url();
    }

    /// Builds a new run from `config`, keeping play going if it was.
    pub fn restart(&self, config: Config) {
        self.records.set(Vec::new());
        self.progress.set(None);
        client::send(ToWorker::Start { config });
        if self.playing.get_untracked() {
            client::send(ToWorker::Play);
        }
    }

    pub fn play_pause(&self) {
        if self.playing.get_untracked() {
            self.playing.set(false);
            client::send(ToWorker::Pause);
            return;
        }
        let phase = self.progress.get_untracked().map(|p| p.phase);
        match phase {
            // Play after a divergence starts over from the same initial weights, with the
            // settings as they are now (a lowered learning rate, clipping turned on…).
            Some(Phase::Diverged) => self.reset(false),
            // Play on a finished run trains on: ten more epochs.
            Some(Phase::Finished) => {
                let more = (self.config.get_untracked().epochs + 10).min(EPOCHS_RANGE.1);
                self.config.update(|c| c.epochs = more);
                client::send(ToWorker::SetEpochs { epochs: more });
                self.sync_url();
            }
            _ => {}
        }
        self.playing.set(true);
        client::send(ToWorker::Play);
    }

    pub fn step(&self) {
        self.pause_quietly();
        client::send(ToWorker::Step);
    }

    pub fn epoch(&self) {
        self.pause_quietly();
        client::send(ToWorker::Epoch);
    }

    pub fn reset(&self, new_weights: bool) {
        self.pause_quietly();
        self.records.set(Vec::new());
        self.progress.set(None);
        client::send(ToWorker::Reset { new_weights });
    }

    fn pause_quietly(&self) {
        if self.playing.get_untracked() {
            self.playing.set(false);
            client::send(ToWorker::Pause);
        }
    }

    /// Writes the configuration into the address bar (replacing, so Back leaves the app).
    pub fn sync_url(&self) {
        let state = UrlState {
            config: self.config.get_untracked(),
            metric: self.metric.get_untracked(),
            theme: self.theme.get_untracked(),
            speed: self.speed.get_untracked(),
            lesson: None,
        };
        let query = format!("?{}", encode(&state));
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&query));
        }
    }

    /// Asks the charts to redraw: now, or when [`REDRAW_MS`] have passed since the last time.
    pub fn request_redraw(&self) {
        let now = now_ms();
        let wait = REDRAW.with_borrow_mut(|r| {
            if r.pending {
                return None;
            }
            let wait = (r.last + REDRAW_MS - now).max(0.0);
            r.pending = wait > 0.0;
            if !r.pending {
                r.last = now;
            }
            Some(wait)
        });
        let redraw = self.redraw;
        match wait {
            Some(w) if w > 0.0 => set_timeout(
                move || {
                    REDRAW.with_borrow_mut(|r| {
                        r.pending = false;
                        r.last = now_ms();
                    });
                    redraw.update(|n| *n += 1);
                },
                std::time::Duration::from_millis(w.ceil() as u64),
            ),
            Some(_) => redraw.update(|n| *n += 1),
            None => {}
        }
    }

    fn receive(&self, msg: FromWorker) {
        match msg {
            FromWorker::Ready | FromWorker::Benchmark { .. } => {}
            FromWorker::Started { run, config } => {
                self.run_id.set(run);
                self.records.set(Vec::new());
                self.theory.set(None);
                self.view_epoch.set(None);
                self.request_redraw();
                if config != self.config.get_untracked() {
                    self.config.set(config);
                    self.sync_url();
                }
            }
            FromWorker::Record { run, record } => {
                if run == self.run_id.get_untracked() {
                    self.records.update(|r| r.push(record));
                    self.request_redraw();
                }
            }
            FromWorker::Theory { run, delta_rms } => {
                if run == self.run_id.get_untracked() {
                    self.theory.set(delta_rms);
                    self.request_redraw();
                }
            }
            FromWorker::Progress { run, progress } => {
                if run == self.run_id.get_untracked() {
                    if matches!(progress.phase, Phase::Finished | Phase::Diverged) {
                        self.playing.set(false);
                    }
                    self.progress.set(Some(progress));
                }
            }
            FromWorker::Error { message } => self.error.set(Some(message)),
        }
    }
}

/// Shortest interval between two chart redraws (8 per second at most).
pub const REDRAW_MS: f64 = 125.0;

#[derive(Default)]
struct RedrawClock {
    last: f64,
    pending: bool,
}

thread_local! {
    static REDRAW: std::cell::RefCell<RedrawClock> = std::cell::RefCell::new(RedrawClock::default());
}

pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn query_string() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Whether the page was opened as the benchmark (`?bench=1`).
fn bench_mode(query: &str) -> bool {
    query
        .trim_start_matches('?')
        .split('&')
        .any(|kv| kv == "bench=1")
}

pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let query = query_string();
    let bench = bench_mode(&query);
    let cleaned: String = query
        .trim_start_matches('?')
        .split('&')
        .filter(|kv| *kv != "bench=1")
        .collect::<Vec<_>>()
        .join("&");
    let (url, notices) = decode(&cleaned);
    let state = AppState::new(url, notices);
    provide_context(state);

    let receive_state = state;
    if let Err(e) = client::spawn(move |msg| {
        if let FromWorker::Benchmark { results, gemm } = &msg {
            super::bench::engine_results(results.clone(), gemm.clone());
        }
        receive_state.receive(msg);
    }) {
        state.error.set(Some(e));
    }
    client::send(ToWorker::SetSpeed {
        speed: state.speed.get_untracked(),
    });
    state.restart(state.config.get_untracked());
    state.sync_url();
    if bench {
        super::bench::run(state);
    }

    let resize = state.resize;
    window_event_listener(leptos::ev::resize, move |_| resize.update(|n| *n += 1));
    window_event_listener(leptos::ev::keydown, move |ev| on_key(state, ev));

    let theme_class = move || format!("app theme-{}", state.theme.get().name());
    let phase_attr = move || {
        state
            .progress
            .get()
            .map_or("loading", |p| match p.phase {
                Phase::Paused => "paused",
                Phase::Playing => "playing",
                Phase::Finished => "finished",
                Phase::Diverged => "diverged",
            })
            .to_string()
    };
    view! {
        <div
            class=theme_class
            data-phase=phase_attr
            data-epochs=move || state.records.with(|r| r.len()).to_string()
        >
            <Transport/>
            <Notices/>
            <main class="layout">
                <aside class="panel controls" aria-label="Configuration">
                    <Controls/>
                </aside>
                <section class="story" aria-label="Gradients">
                    <Charts/>
                </section>
                <section class="results" aria-label="Results">
                    <DiagnosisPanel/>
                    <ResultsCharts/>
                </section>
            </main>
            <Footer/>
            {bench.then(|| view! { <pre id="bench-results" class="bench">"benchmark running…"</pre> })}
        </div>
    }
}

/// Keyboard: Space play/pause, → or S one step, E one epoch, R reset, N new weights,
/// M switch the gradient measure. Ignored while typing in a field.
fn on_key(state: AppState, ev: web_sys::KeyboardEvent) {
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return;
    }
    let tag = ev
        .target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        .map(|el| el.tag_name())
        .unwrap_or_default();
    // Typing in a field, or Space/Enter on a focused button (the button handles it itself).
    let key = ev.key();
    if matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA")
        || (tag == "BUTTON" && matches!(key.as_str(), " " | "Enter"))
    {
        return;
    }
    let handled = match key.as_str() {
        " " | "k" => {
            state.play_pause();
            true
        }
        "ArrowRight" | "s" => {
            state.step();
            true
        }
        "e" => {
            state.epoch();
            true
        }
        "r" => {
            state.reset(false);
            true
        }
        "n" => {
            state.reset(true);
            true
        }
        "m" => {
            state.metric.update(|m| {
                *m = match m {
                    GradMetric::GradNorm => GradMetric::DeltaRms,
                    GradMetric::DeltaRms => GradMetric::GradNorm,
                }
            });
            state.sync_url();
            true
        }
        _ => false,
    };
    if handled {
        ev.prevent_default();
    }
}
