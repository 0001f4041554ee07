//! The runs on screen: one to [`MAX_RUNS`] of them, each a configuration, its records, its
//! state and its colour. The store is the only thing that changes them, through the named
//! methods below; the page draws what it holds and the worker trains what [`Store::jobs`]
//! lists. It is pure Rust, so every rule here is tested natively.

use crate::engine::config::{max_epochs, Config, ConfigError};
use crate::engine::metrics::EpochRecord;
use crate::engine::settings::{self, describe, Setting};
use crate::protocol::{Phase, Progress};
pub use crate::run::Run;
pub use crate::url_state::MAX_RUNS;

#[derive(Clone, Debug, PartialEq)]
pub struct Store {
    runs: Vec<Run>,
    /// The run the controls edit.
    selected: usize,
    /// The lesson the runs came from (kept while settings are adjusted; dropped when runs are
    /// added or removed, since its text speaks of its own runs).
    lesson: Option<&'static str>,
    /// What the user asked for; each run's phase follows a moment later.
    playing: bool,
    next_id: u64,
    /// While a lesson's question is open: the epoch the runs wait at (no run trains past it,
    /// so nothing gives the answer away).
    hold: Option<usize>,
}

/// What a transport button asks of the worker after the store has changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    Play,
    Pause,
}

impl Store {
    /// A store holding these runs (at least one: the default run stands in for none).
    pub fn new(configs: Vec<Config>, lesson: Option<&'static str>) -> Store {
        let mut store = Store {
            runs: Vec::new(),
            selected: 0,
            lesson,
            playing: false,
            next_id: 0,
            hold: None,
        };
        store.replace_runs(configs);
        store
    }

    fn replace_runs(&mut self, configs: Vec<Config>) {
        let mut configs: Vec<Config> = configs.into_iter().take(MAX_RUNS).collect();
        if configs.is_empty() {
            configs.push(Config::default());
        }
        self.runs = configs
            .into_iter()
            .enumerate()
            .map(|(colour, config)| Run::unbuilt(colour, config))
            .collect();
        for i in 0..self.runs.len() {
            self.rebuild(i);
        }
        self.selected = 0;
    }

    fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// A new id and an empty history for run `i` (the worker builds it afresh).
    fn rebuild(&mut self, i: usize) {
        let id = self.fresh_id();
        let run = &mut self.runs[i];
        run.id = id;
        run.history.clear();
        run.theory = None;
        run.progress = None;
    }

    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_run(&self) -> &Run {
        &self.runs[self.selected]
    }

    pub fn lesson(&self) -> Option<&'static str> {
        self.lesson
    }

    pub fn playing(&self) -> bool {
        self.playing
    }

    pub fn is_comparing(&self) -> bool {
        self.runs.len() > 1
    }

    /// Whether any run is a recurrent network (the charts then show time steps).
    pub fn has_recurrent(&self) -> bool {
        self.runs.iter().any(|r| r.config.model.is_recurrent())
    }

    /// What the worker should be training: (run id, configuration), in order.
    pub fn jobs(&self) -> Vec<(u64, Config)> {
        let cap = |c: &Config| Config {
            epochs: self.hold.map_or(c.epochs, |h| c.epochs.min(h)),
            ..c.clone()
        };
        self.runs.iter().map(|r| (r.id, cap(&r.config))).collect()
    }

    /// Holds every run at `epoch` (None lets them train on to their own epochs).
    pub fn hold(&mut self, epoch: Option<usize>) {
        self.hold = epoch;
    }

    pub fn held_at(&self) -> Option<usize> {
        self.hold
    }

    /// Whether every run has trained its own epochs (or diverged): not merely stopped at a
    /// lesson's hold, whose "finished" phase lingers until the worker hears of the release.
    pub fn complete(&self) -> bool {
        self.hold.is_none()
            && self.runs.iter().all(|r| match r.phase() {
                Some(Phase::Diverged) => true,
                Some(Phase::Finished) => r.epoch() >= Some(r.config.epochs),
                _ => false,
            })
    }

    /// The configurations, for the link.
    pub fn configs(&self) -> Vec<Config> {
        self.runs.iter().map(|r| r.config.clone()).collect()
    }

    pub fn select(&mut self, i: usize) {
        if i < self.runs.len() {
            self.selected = i;
        }
    }

    /// Changes run `i`'s configuration. Live settings (learning rate, clipping, epochs) change
    /// the running network; any other change rebuilds the run. Refused, with the reason, when
    /// the result is out of range. Returns whether anything changed.
    pub fn change(&mut self, i: usize, f: impl FnOnce(&mut Config)) -> Result<bool, ConfigError> {
        let Some(run) = self.runs.get(i) else {
            return Ok(false);
        };
        let mut new = run.config.clone();
        f(&mut new);
        if new == run.config {
            return Ok(false);
        }
        new.validate()?;
        let structural = settings::differences(&run.config, &new)
            .iter()
            .any(|s| !s.live);
        self.runs[i].config = new;
        if structural {
            self.rebuild(i);
        }
        Ok(true)
    }

    /// Replaces every run with new ones (fresh ids: nothing of the old runs is kept).
    pub fn load(&mut self, configs: Vec<Config>) {
        self.replace_runs(configs);
        self.lesson = None;
    }

    /// Replaces every run with these (fresh ids) and names their lesson: an earlier
    /// experiment brought back (the browser's Back and Forward).
    pub fn restore(&mut self, configs: Vec<Config>, lesson: Option<&'static str>) {
        self.replace_runs(configs);
        self.lesson = lesson;
        self.playing = false;
    }

    /// Replaces every run with a lesson step's (a fresh start, even where only live settings
    /// differ); `id` names a built-in lesson, for the link.
    pub fn load_lesson(&mut self, configs: Vec<Config>, id: Option<&'static str>) {
        self.replace_runs(configs);
        self.lesson = id;
        self.playing = false;
    }

    /// Compare: duplicates the selected run (same data, same initial weights) and selects the
    /// copy, so the next change applies to it. None when [`MAX_RUNS`] are shown already.
    pub fn compare(&mut self) -> Option<usize> {
        if self.runs.len() >= MAX_RUNS {
            return None;
        }
        let colour = self.runs.len();
        let config = self.runs[self.selected].config.clone();
        self.runs.push(Run::unbuilt(colour, config));
        let i = self.runs.len() - 1;
        self.rebuild(i);
        self.selected = i;
        self.lesson = None;
        Some(i)
    }

    /// Removes run `i` (the last run stays). Returns whether it was removed.
    pub fn remove(&mut self, i: usize) -> bool {
        if self.runs.len() <= 1 || i >= self.runs.len() {
            return false;
        }
        self.runs.remove(i);
        for (k, r) in self.runs.iter_mut().enumerate() {
            r.colour = k;
        }
        if self.selected >= i && self.selected > 0 {
            self.selected -= 1;
        }
        self.lesson = None;
        true
    }

    /// Starts every run over: from the same initial weights, or from new ones (the same new
    /// weights for every run, so they stay comparable). Play stops.
    pub fn reset(&mut self, new_weights: bool) {
        self.playing = false;
        for i in 0..self.runs.len() {
            if new_weights {
                let c = &mut self.runs[i].config;
                c.init_seed = c.init_seed.wrapping_add(1);
            }
            self.rebuild(i);
        }
    }

    /// Play or pause every run together. Play when no run has anything left to do starts
    /// over if every run diverged (with the settings as they are now), and otherwise gives
    /// every run ten more epochs (the diverged ones stay stopped).
    pub fn play_pause(&mut self) -> Transport {
        if self.playing {
            self.playing = false;
            return Transport::Pause;
        }
        // Held for a lesson's question, the runs wait: play does not extend them.
        if self.hold.is_none() && self.runs.iter().all(Run::done) {
            if self.runs.iter().all(|r| r.phase() == Some(Phase::Diverged)) {
                self.reset(false);
            } else {
                // Every run gets the same ten more epochs (a diverged one stays stopped), so
                // extending never makes the runs differ.
                for r in &mut self.runs {
                    r.config.epochs = (r.config.epochs + 10).min(max_epochs());
                }
            }
        }
        self.playing = true;
        Transport::Play
    }

    /// Every run trains on (a lesson step starting, or released after its question).
    pub fn start(&mut self) {
        self.playing = true;
    }

    /// A step or an epoch asked for: play stops first.
    pub fn pause(&mut self) -> bool {
        std::mem::replace(&mut self.playing, false)
    }

    fn run_mut(&mut self, id: u64) -> Option<&mut Run> {
        self.runs.iter_mut().find(|r| r.id == id)
    }

    /// An epoch record from the worker; dropped when it belongs to no run on screen.
    pub fn add_record(&mut self, id: u64, record: EpochRecord) -> bool {
        self.run_mut(id).map(|r| r.history.push(record)).is_some()
    }

    pub fn set_theory(&mut self, id: u64, theory: Option<Vec<f64>>) {
        if let Some(r) = self.run_mut(id) {
            r.theory = theory;
        }
    }

    /// A run's progress; play ends by itself once every run is done.
    pub fn set_progress(&mut self, id: u64, progress: Progress) {
        if let Some(r) = self.run_mut(id) {
            r.progress = Some(progress);
        }
        if self.runs.iter().all(Run::done) {
            self.playing = false;
        }
    }

    /// The settings in which the runs differ (table order).
    pub fn differing(&self) -> Vec<&'static Setting> {
        let first = &self.runs[0].config;
        settings::SETTINGS
            .iter()
            .filter(|s| {
                self.runs[1..].iter().any(|r| {
                    settings::differences(first, &r.config)
                        .iter()
                        .any(|d| std::ptr::eq(*d, *s))
                })
            })
            .collect()
    }

    /// A legend label per run naming what sets it apart ("clipvalue 0.5", "init he_normal");
    /// with one run, its main settings; "same settings" for copies not yet changed.
    pub fn labels(&self) -> Vec<String> {
        let differing = self.differing();
        self.runs
            .iter()
            .map(|r| {
                let mut parts: Vec<String> = Vec::new();
                for s in &differing {
                    let d = describe(s, &r.config);
                    if !parts.contains(&d) {
                        parts.push(d);
                    }
                }
                let c = &r.config;
                if !self.is_comparing() && c.model.is_recurrent() {
                    format!(
                        "{} · {} · T {} · {} units",
                        c.model.name(),
                        c.activation.name(),
                        c.seq_len,
                        c.width
                    )
                } else if !self.is_comparing() {
                    format!(
                        "{} · {} · {}×{}",
                        c.activation.name(),
                        c.init.name(),
                        c.depth,
                        c.width
                    )
                } else if parts.is_empty() {
                    "same settings".into()
                } else {
                    parts.join(", ")
                }
            })
            .collect()
    }
}
