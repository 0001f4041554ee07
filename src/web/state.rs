//! The page's state: the store of runs (the only place runs change) wrapped in a signal, the
//! view settings, and the messages shown to the user. Every change to the runs goes through
//! [`AppState::update`], which tells the worker what to train.

use leptos::prelude::*;

use super::charts::trace::Trace;
use super::client;
use super::dom::now_ms;
use crate::engine::config::Config;
#[cfg(feature = "bench")]
use crate::protocol::{BenchResult, GemmResult};
use crate::protocol::{FromWorker, RunJob, Speed, ToWorker};
use crate::store::{Store, Transport};
use crate::url_state::{GradMetric, Theme, UrlState};

/// What the layer × epoch maps show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum HeatQuantity {
    /// The gradient measure chosen above (‖∂L/∂W‖ or δ).
    #[default]
    Gradient,
    /// ‖W‖: exponential growth is the notes' sign of exploding.
    WeightNorm,
    /// ‖ΔW‖/‖W‖: lower layers that barely move are the notes' sign of vanishing.
    UpdateRatio,
    /// A recurrent run's global gradient norm at every training step, before clipping.
    StepNorm,
    /// A recurrent run's σ_max(U) by epoch.
    SigmaMax,
    /// Each layer's histogram of one quantity (`AppState::dist_quantity`).
    Distributions,
}

impl HeatQuantity {
    /// The next chart in the W key's cycle (the two traces only with a recurrent run).
    pub fn next(self, recurrent: bool) -> HeatQuantity {
        match self {
            HeatQuantity::Gradient => HeatQuantity::WeightNorm,
            HeatQuantity::WeightNorm => HeatQuantity::UpdateRatio,
            HeatQuantity::UpdateRatio => HeatQuantity::Distributions,
            HeatQuantity::Distributions if recurrent => HeatQuantity::StepNorm,
            HeatQuantity::StepNorm if recurrent => HeatQuantity::SigmaMax,
            _ => HeatQuantity::Gradient,
        }
    }

    /// The trace this choice shows, if it is one.
    pub fn trace(self) -> Option<Trace> {
        match self {
            HeatQuantity::StepNorm => Some(Trace::StepNorm),
            HeatQuantity::SigmaMax => Some(Trace::SigmaMax),
            _ => None,
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

#[derive(Clone, Copy)]
pub struct AppState {
    pub store: RwSignal<Store>,
    pub metric: RwSignal<GradMetric>,
    pub theme: RwSignal<Theme>,
    /// The speed chosen (in the link or the menu); None: the view's default.
    pub speed_choice: RwSignal<Option<Speed>>,
    pub heat: RwSignal<HeatQuantity>,
    /// The Distributions view: which quantity (an index into `QUANTITIES`), and all layers
    /// at the shown epoch (None) or one layer (0-based) over the epochs.
    pub dist_quantity: RwSignal<usize>,
    pub dist_layer: RwSignal<Option<usize>>,
    /// The epoch the bar charts show; None follows the latest.
    pub view_epoch: RwSignal<Option<usize>>,
    /// Notices about the link that could not be fully read.
    pub notices: RwSignal<Vec<String>>,
    /// The last problem (a refused value, a worker error).
    pub error: RwSignal<Option<String>>,
    /// Bumped when the window resizes, so charts redraw at the new size.
    pub resize: RwSignal<u32>,
    /// Bumped (at most every [`REDRAW_MS`]) when records arrive: charts follow this, not
    /// every record, so a fast run cannot flood the page with redraws.
    pub redraw: RwSignal<u64>,
    redraw_clock: StoredValue<RedrawClock>,
    /// Presenter mode: the charts fill the screen, the controls fold away.
    pub presenting: RwSignal<bool>,
    /// The list of keyboard shortcuts is open.
    pub help_open: RwSignal<bool>,
    /// The clipping explainer is open.
    pub clip_explainer: RwSignal<bool>,
    /// The screen is blanked (a clicker's "b" or "."): any key brings it back.
    pub blank: RwSignal<bool>,
    /// On a phone: the settings tab is shown instead of the charts.
    pub settings_open: RwSignal<bool>,
    /// A passing message for the audience (a chip in the header), e.g. after Back.
    pub info: RwSignal<Option<String>>,
    /// The next change of the link is another experiment: it gets a history entry of its
    /// own, so the browser's Back returns to the one before.
    pub(super) push_link: StoredValue<bool>,
    /// The lesson being played, if any.
    pub player: RwSignal<Option<super::lesson::Player>>,
    /// Why the last lesson could not be opened (it names the line).
    pub lesson_error: RwSignal<Option<String>>,
    /// The page was opened as the benchmark (`bench=1`).
    pub bench: bool,
    /// The worker's engine benchmark, once it has reported.
    #[cfg(feature = "bench")]
    pub bench_engine: RwSignal<Option<(Vec<BenchResult>, Vec<GemmResult>)>>,
}

impl AppState {
    pub fn new(url: UrlState, notices: Vec<String>) -> Self {
        AppState {
            store: RwSignal::new(Store::new(url.runs, url.lesson)),
            metric: RwSignal::new(url.metric),
            theme: RwSignal::new(url.theme),
            speed_choice: RwSignal::new(url.speed),
            heat: RwSignal::new(if url.dist.is_some() {
                HeatQuantity::Distributions
            } else {
                HeatQuantity::default()
            }),
            dist_quantity: RwSignal::new(url.dist.unwrap_or(0)),
            dist_layer: RwSignal::new(None),
            view_epoch: RwSignal::new(None),
            notices: RwSignal::new(notices),
            error: RwSignal::new(None),
            resize: RwSignal::new(0),
            redraw: RwSignal::new(0),
            redraw_clock: StoredValue::new(RedrawClock::default()),
            presenting: RwSignal::new(url.present),
            help_open: RwSignal::new(false),
            clip_explainer: RwSignal::new(false),
            blank: RwSignal::new(false),
            info: RwSignal::new(None),
            settings_open: RwSignal::new(false),
            push_link: StoredValue::new(false),
            player: RwSignal::new(None),
            lesson_error: RwSignal::new(None),
            bench: url.bench,
            #[cfg(feature = "bench")]
            bench_engine: RwSignal::new(None),
        }
    }

    /// The link for what is on screen.
    pub fn link(&self) -> UrlState {
        let (runs, lesson) = self.store.with(|s| (s.configs(), s.lesson()));
        let step = self
            .player
            .with(|p| p.as_ref().map_or(0, |p| p.step))
            .saturating_add(1);
        UrlState {
            runs,
            lesson,
            step,
            metric: self.metric.get(),
            theme: self.theme.get(),
            speed: self.speed_choice.get(),
            present: self.presenting.get(),
            bench: self.bench,
            dist: (self.heat.get() == HeatQuantity::Distributions)
                .then(|| self.dist_quantity.get()),
        }
    }

    /// Changes the store; when the runs to train changed, the worker hears it at once (before
    /// any transport command that follows).
    pub fn update<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let before = self.store.with_untracked(Store::jobs);
        let out = self
            .store
            .try_update(f)
            .expect("the store lives as long as the page");
        let after = self.store.with_untracked(Store::jobs);
        if after != before {
            self.send_runs();
            self.request_redraw();
        }
        out
    }

    /// Tells the worker which runs to train.
    pub fn send_runs(&self) {
        let runs = self
            .store
            .with_untracked(Store::jobs)
            .into_iter()
            .map(|(id, config)| RunJob::new(id, &config))
            .collect();
        client::send(ToWorker::Runs { runs });
    }

    /// Whether the next change of the link is a new history entry (and forgets the request).
    pub fn take_push(&self) -> bool {
        self.push_link
            .try_update_value(|p| std::mem::replace(p, false))
            .unwrap_or(false)
    }

    fn ids(&self) -> Vec<u64> {
        self.store
            .with_untracked(|s| s.runs().iter().map(|r| r.id).collect())
    }

    /// Changes the selected run's configuration; an out-of-range result is refused, with the
    /// reason shown. A structural change (a run rebuilt) is a new experiment in the history.
    pub fn change(&self, f: impl FnOnce(&mut Config)) {
        let before = self.ids();
        let result = self.update(|s| s.change(s.selected(), f));
        if self.ids() != before {
            self.push_link.set_value(true);
        }
        match result {
            Ok(true) => self.error.set(None),
            Ok(false) => {}
            Err(e) => self.error.set(Some(format!("Not applied — {e}"))),
        }
    }

    /// Brings back the experiment a link describes (Back / Forward): its runs start again
    /// from epoch 0, with the view it had.
    pub fn restore(&self, url: UrlState, notices: Vec<String>) {
        self.pause_quietly();
        self.error.set(None);
        self.view_epoch.set(None);
        self.metric.set(url.metric);
        self.theme.set(url.theme);
        self.speed_choice.set(url.speed);
        self.notices.set(notices);
        self.update(|s| s.restore(url.runs, url.lesson));
        self.info
            .set(Some("Back in history: restarted from epoch 0".into()));
    }

    pub fn compare(&self) {
        self.push_link.set_value(true);
        if self.update(Store::compare).is_none() {
            self.push_link.set_value(false);
            self.error.set(Some(format!(
                "At most {} runs can be compared: remove one first.",
                crate::store::MAX_RUNS
            )));
        }
    }

    pub fn remove(&self, run: usize) {
        self.push_link.set_value(true);
        self.update(|s| s.remove(run));
    }

    pub fn select(&self, run: usize) {
        self.update(|s| s.select(run));
    }

    pub fn play_pause(&self) {
        let transport = self.update(Store::play_pause);
        client::send(match transport {
            Transport::Play => ToWorker::Play,
            Transport::Pause => ToWorker::Pause,
        });
    }

    pub fn step(&self) {
        self.pause_quietly();
        client::send(ToWorker::Step);
    }

    pub fn epoch(&self) {
        self.pause_quietly();
        client::send(ToWorker::Epoch);
    }

    /// Every run starts over (from the same weights, or from new ones shared by all runs).
    pub fn reset(&self, new_weights: bool) {
        self.pause_quietly();
        self.view_epoch.set(None);
        self.update(|s| s.reset(new_weights));
    }

    pub(super) fn pause_quietly(&self) {
        if self.update(Store::pause) {
            client::send(ToWorker::Pause);
        }
    }

    /// Presenter mode on (asking for full screen too) or off (leaving full screen).
    pub fn toggle_presenting(&self) {
        let on = !self.presenting.get_untracked();
        self.presenting.set(on);
        if on {
            super::fullscreen::enter();
        } else {
            super::fullscreen::exit();
        }
    }

    /// The speed play runs at: the one chosen, or the view's default (slow for a lecture).
    pub fn speed(&self) -> Speed {
        Speed::for_view(
            self.speed_choice.get(),
            self.theme.get() == crate::url_state::Theme::Lecture,
            self.presenting.get(),
        )
    }

    /// Chooses a speed (the app tells the worker: see `app.rs`).
    pub fn set_speed(&self, speed: Speed) {
        self.speed_choice.set(Some(speed));
    }

    /// Asks the charts to redraw: now, or when [`REDRAW_MS`] have passed since the last time.
    pub fn request_redraw(&self) {
        let now = now_ms();
        let wait = self.redraw_clock.try_update_value(|r| {
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
        let (redraw, clock) = (self.redraw, self.redraw_clock);
        match wait.flatten() {
            Some(w) if w > 0.0 => set_timeout(
                move || {
                    clock.update_value(|r| {
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

    /// A message from the worker.
    pub fn receive(&self, msg: FromWorker) {
        match msg {
            FromWorker::Ready => {}
            #[cfg(feature = "bench")]
            FromWorker::Benchmark { results, gemm } => self.bench_engine.set(Some((results, gemm))),
            FromWorker::Record { run, record } => {
                if record.epoch == 0 {
                    super::dom::mark_once("gradscope:epoch0-record");
                }
                if self.store.try_update(|s| s.add_record(run, record)) == Some(true) {
                    self.request_redraw();
                }
            }
            FromWorker::Theory { run, delta_rms } => {
                self.store.update(|s| s.set_theory(run, delta_rms));
                self.request_redraw();
            }
            FromWorker::Progress { run, progress } => {
                // Epoch 0's first batches already give bars: draw them.
                let partial = progress.partial.is_some();
                self.store.update(|s| s.set_progress(run, progress));
                if partial {
                    self.request_redraw();
                }
            }
            FromWorker::Error { message } => self.error.set(Some(message)),
        }
    }
}
