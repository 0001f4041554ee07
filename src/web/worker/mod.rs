//! The training worker: owns one [`Trainer`] per run on screen, takes commands, and trains in
//! slices of a few tens of milliseconds so that a pause is heard between slices. Within a
//! slice the runs take turns — always the one furthest behind — so they advance together.

use std::cell::RefCell;

#[cfg(feature = "bench")]
mod bench;
mod scope;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::MessageEvent;

use scope::{now_ms, post, scope};

use crate::engine::config::Config;
use crate::engine::data::{Dataset, DatasetKind};
use crate::engine::theory::{predicted_delta_rms, predicted_time_delta_rms};
use crate::engine::trainer::{RunState, Trainer};
use crate::epoch_clock::EpochClock;
use crate::protocol::{FromWorker, Phase, Progress, RunJob, Speed, ToWorker};

/// How long one slice of training may run before the worker checks its messages again.
const SLICE_MS: f64 = 30.0;
/// Shortest interval between two progress messages while playing.
const PROGRESS_MS: f64 = 100.0;

/// What a run is asked to do until further notice.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Goal {
    Idle,
    Play,
    Steps(usize),
    EndOfEpoch,
}

struct Run {
    id: u64,
    trainer: Trainer,
    goal: Goal,
    /// Samples trained in the current slice (for the samples/s figure).
    samples: usize,
    /// How long its epochs take (announced for slow ones).
    clock: EpochClock,
}

impl Run {
    fn active(&self) -> bool {
        self.goal != Goal::Idle && self.trainer.state() == RunState::Running
    }

    /// How far along the run is, in epochs: the run furthest behind steps next.
    fn position(&self) -> f64 {
        let t = &self.trainer;
        t.epoch() as f64 + t.steps_into_epoch() as f64 / t.steps_per_epoch().max(1) as f64
    }
}

#[derive(Default)]
struct State {
    runs: Vec<Run>,
    playing: bool,
    speed: Speed,
    pump_scheduled: bool,
    /// When progress was last posted while playing (progress is throttled; records are not).
    last_progress: f64,
    /// Loaded datasets by (kind, noise, sequence length), shared by the runs: every run sees the same samples.
    datasets: Vec<(DatasetKind, f64, usize, Dataset)>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

pub fn start() {
    console_error_panic_hook::set_once();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
        match serde_wasm_bindgen::from_value::<ToWorker>(ev.data()) {
            Ok(cmd) => handle(cmd),
            Err(e) => post(&FromWorker::Error {
                message: format!("unreadable command: {e}"),
            }),
        }
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    post(&FromWorker::Ready);
    // The worker starts before the page is ready (index.html): unpack the digits meanwhile.
    STATE.with_borrow_mut(|s| {
        dataset(&mut s.datasets, &Config::default());
    });
}

fn handle(cmd: ToWorker) {
    #[cfg(feature = "bench")]
    if let ToWorker::Benchmark { networks } = cmd {
        bench::benchmark(networks);
        return;
    }
    STATE.with_borrow_mut(|s| {
        let goal = match cmd {
            ToWorker::Runs { runs } => {
                sync_runs(s, runs);
                None
            }
            ToWorker::Play => {
                s.playing = true;
                Some(Goal::Play)
            }
            ToWorker::Pause => {
                s.playing = false;
                Some(Goal::Idle)
            }
            ToWorker::Step => Some(Goal::Steps(1)),
            ToWorker::Epoch => Some(Goal::EndOfEpoch),
            ToWorker::SetSpeed { speed } => {
                s.speed = speed;
                None
            }
            #[cfg(feature = "bench")]
            ToWorker::Benchmark { .. } => None,
        };
        if let Some(goal) = goal {
            for r in &mut s.runs {
                r.goal = goal;
            }
        }
        report_progress(s);
    });
    schedule_pump(0);
}

/// Makes the worker's runs those of the page: keeps the ids it has (following their live
/// settings), builds the new ones, drops the rest.
fn sync_runs(s: &mut State, jobs: Vec<RunJob>) {
    let jobs: Vec<(u64, Config)> = jobs
        .iter()
        .filter_map(|j| match j.config() {
            Ok(config) => Some((j.id, config)),
            Err(message) => {
                post(&FromWorker::Error { message });
                None
            }
        })
        .collect();
    let mut old = std::mem::take(&mut s.runs);
    let new_bytes: usize = jobs
        .iter()
        .filter(|(id, _)| !old.iter().any(|r| r.id == *id))
        .map(|(_, config)| {
            let data = dataset(&mut s.datasets, config);
            let n = config.parameter_count(data.train.features, data.classes);
            n * config.bytes_per_parameter()
        })
        .sum();
    reserve_memory(new_bytes);
    for (id, config) in jobs {
        if let Some(i) = old.iter().position(|r| r.id == id) {
            let mut run = old.swap_remove(i);
            if let Err(e) = follow_live_settings(&mut run.trainer, &config) {
                post(&FromWorker::Error { message: e });
            }
            s.runs.push(run);
            continue;
        }
        let data = dataset(&mut s.datasets, &config);
        match Trainer::with_data(config, data) {
            Ok(mut trainer) => s.runs.push(Run {
                trainer: {
                    // The Distributions view's histograms, every epoch.
                    trainer.set_histograms(true);
                    trainer
                },
                id,
                // Epoch 0 (the network as initialized) is measured straight away.
                goal: if s.playing {
                    Goal::Play
                } else {
                    Goal::EndOfEpoch
                },
                samples: 0,
                clock: EpochClock::default(),
            }),
            Err(e) => post(&FromWorker::Error {
                message: e.to_string(),
            }),
        }
    }
}

/// Grows WebAssembly memory once for networks about to be built. Left to the allocator, a
/// 100 × 512 network grows it a megabyte at a time, hundreds of times, and each growth costs
/// the browser a new ArrayBuffer: measured, about 0.4 s of the first bars' wait. Freed at
/// once, the block stays with the allocator, which carves the layers out of it.
fn reserve_memory(bytes: usize) {
    const WORTH_IT: usize = 16 << 20;
    if bytes >= WORTH_IT {
        // try_: if memory cannot grow that far, nothing is lost (the build reports it).
        let mut block = Vec::<u8>::new();
        let _ = block.try_reserve_exact(bytes);
        drop(std::hint::black_box(block));
    }
}

fn follow_live_settings(t: &mut Trainer, config: &Config) -> Result<(), String> {
    let now = t.config().clone();
    if now.lr != config.lr {
        t.set_learning_rate(config.lr).map_err(|e| e.to_string())?;
    }
    if now.clipping != config.clipping {
        t.set_clipping(config.clipping).map_err(|e| e.to_string())?;
    }
    if now.epochs != config.epochs {
        t.set_epochs(config.epochs);
    }
    Ok(())
}

/// The dataset a configuration trains on, loaded once per (task, noise, sequence length).
fn dataset(cache: &mut Vec<(DatasetKind, f64, usize, Dataset)>, config: &Config) -> Dataset {
    let noise = if config.dataset.is_toy() {
        config.noise
    } else {
        0.0
    };
    let steps = if config.dataset.is_sequence() {
        config.seq_len
    } else {
        0
    };
    let key = |(kind, n, t, _): &&(DatasetKind, f64, usize, Dataset)| {
        *kind == config.dataset && *n == noise && *t == steps
    };
    if let Some((_, _, _, d)) = cache.iter().find(key) {
        return d.clone();
    }
    let d = Dataset::load(config.dataset, noise, config.seq_len);
    cache.push((config.dataset, noise, steps, d.clone()));
    d
}

fn schedule_pump(delay_ms: i32) {
    let already = STATE.with_borrow_mut(|s| std::mem::replace(&mut s.pump_scheduled, true));
    if already {
        return;
    }
    let cb = Closure::once_into_js(|| {
        STATE.with_borrow_mut(|s| s.pump_scheduled = false);
        pump();
    });
    let _ =
        scope().set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), delay_ms);
}

/// Trains for up to one slice, the run furthest behind first, posting records as epochs
/// complete; then schedules the next slice if any run still has work.
fn pump() {
    let started = now_ms();
    let next = STATE.with_borrow_mut(|s| {
        let (max_steps, pause_ms) = s.speed.pacing();
        let active = s.runs.iter().filter(|r| r.active()).count().max(1);
        let mut steps = 0usize;
        let mut now = started;
        for r in &mut s.runs {
            r.samples = 0;
        }
        while let Some(run) = s
            .runs
            .iter_mut()
            .filter(|r| r.active())
            .min_by(|a, b| a.position().total_cmp(&b.position()))
        {
            now = step(run, now);
            steps += 1;
            let paced = s.playing && max_steps.is_some_and(|m| steps >= m * active);
            if now - started > SLICE_MS || paced {
                break;
            }
        }
        for r in &mut s.runs {
            if r.trainer.state() != RunState::Running {
                r.goal = Goal::Idle;
            }
            if !r.active() {
                r.clock.pause();
            }
        }
        let busy = s.runs.iter().any(Run::active);
        // While playing, ten progress messages a second are plenty; a stop is always reported.
        if now - s.last_progress >= PROGRESS_MS || !busy || !s.playing {
            s.last_progress = now;
            let elapsed = (now - started).max(1e-3) / 1000.0;
            for r in &s.runs {
                post_progress(r, r.samples as f64 / elapsed);
            }
        }
        let delay = if s.playing { pause_ms } else { 0 };
        busy.then_some(delay)
    });
    if let Some(delay) = next {
        schedule_pump(delay);
    }
}

/// One mini-batch of one run, from `now` (ms), with its record (and, after epoch 0, the
/// theory) posted; returns when it ended.
fn step(run: &mut Run, now: f64) -> f64 {
    run.samples += run.trainer.config().batch_size;
    run.clock.start(now);
    let record = run.trainer.step();
    let ended = now_ms();
    run.clock.stepped(ended, record.is_some());
    if let Some(record) = record {
        let theory = (record.epoch == 0).then(|| {
            let t = &run.trainer;
            if let Some(last) = record.time_steps.last() {
                return predicted_time_delta_rms(t.config(), &t.dataset().train, last.delta_rms);
            }
            let output = record.layers.last().map_or(f64::NAN, |l| l.delta_rms);
            let data = t.dataset();
            predicted_delta_rms(t.config(), &data.train, data.classes, output)
        });
        post(&FromWorker::Record {
            run: run.id,
            record,
        });
        if let Some(delta_rms) = theory {
            post(&FromWorker::Theory {
                run: run.id,
                delta_rms,
            });
        }
        if run.goal == Goal::EndOfEpoch {
            run.goal = Goal::Idle;
        }
    }
    if let Goal::Steps(n) = run.goal {
        run.goal = if n <= 1 {
            Goal::Idle
        } else {
            Goal::Steps(n - 1)
        };
    }
    ended
}

fn report_progress(s: &State) {
    for r in &s.runs {
        post_progress(r, 0.0);
    }
}

fn post_progress(run: &Run, samples_per_second: f64) {
    let t = &run.trainer;
    let phase = match t.state() {
        RunState::Diverged => Phase::Diverged,
        RunState::Finished => Phase::Finished,
        RunState::Running if run.goal == Goal::Idle => Phase::Paused,
        RunState::Running => Phase::Playing,
    };
    post(&FromWorker::Progress {
        run: run.id,
        progress: Progress {
            epoch: t.epoch(),
            step: t.steps_into_epoch(),
            steps_per_epoch: t.steps_per_epoch(),
            phase,
            samples_per_second,
            memory_bytes: crate::web::wasm_memory_bytes(),
            partial: t.epoch_so_far(),
            epoch_seconds: run.clock.epoch_seconds(t.steps_per_epoch()),
        },
    });
}
