//! The training worker: owns the [`Trainer`], takes commands, and trains in slices of a few
//! tens of milliseconds so that a pause is heard between slices.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::engine::config::Config;
use crate::engine::gemm::blocked_gemm;
use crate::engine::real::Real;
use crate::engine::theory::predicted_delta_rms;
use crate::engine::trainer::{RunState, Trainer};
use crate::protocol::{BenchResult, FromWorker, GemmResult, Phase, Progress, Speed, ToWorker};

/// How long one slice of training may run before the worker checks its messages again.
const SLICE_MS: f64 = 30.0;
/// Shortest interval between two progress messages while playing.
const PROGRESS_MS: f64 = 100.0;

/// What the worker is asked to do until further notice.
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
}

thread_local! {
    static RUN: RefCell<Option<Run>> = const { RefCell::new(None) };
    static RUNS: RefCell<u64> = const { RefCell::new(0) };
    static PUMP_SCHEDULED: RefCell<bool> = const { RefCell::new(false) };
    static SPEED: RefCell<Speed> = const { RefCell::new(Speed::Medium) };
    /// When progress was last posted while playing (progress is throttled; records are not).
    static LAST_PROGRESS: RefCell<f64> = const { RefCell::new(f64::NEG_INFINITY) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn now_ms() -> f64 {
    scope()
        .performance()
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

fn post(msg: &FromWorker) {
    match super::to_js(msg) {
        Ok(v) => {
            let _ = scope().post_message(&v);
        }
        Err(e) => web_sys::console::error_1(&format!("gradscope worker: {e}").into()),
    }
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
}

fn handle(cmd: ToWorker) {
    match cmd {
        ToWorker::Start { config } => start_run(config),
        ToWorker::Benchmark { sizes } => benchmark(&sizes),
        ToWorker::SetSpeed { speed } => SPEED.with_borrow_mut(|s| *s = speed),
        other => {
            let is_reset = matches!(other, ToWorker::Reset { .. });
            let reply = RUN.with_borrow_mut(|run| {
                let Some(run) = run.as_mut() else {
                    return Some("no run yet: send start first".to_string());
                };
                let t = &mut run.trainer;
                let result = match other {
                    ToWorker::Play => {
                        run.goal = Goal::Play;
                        Ok(())
                    }
                    ToWorker::Pause => {
                        run.goal = Goal::Idle;
                        Ok(())
                    }
                    ToWorker::Step => {
                        run.goal = Goal::Steps(1);
                        Ok(())
                    }
                    ToWorker::Epoch => {
                        run.goal = Goal::EndOfEpoch;
                        Ok(())
                    }
                    ToWorker::SetLr { lr } => t.set_learning_rate(lr).map_err(|e| e.to_string()),
                    ToWorker::SetClipping { clipping } => {
                        t.set_clipping(clipping).map_err(|e| e.to_string())
                    }
                    ToWorker::SetEpochs { epochs } => {
                        t.set_epochs(epochs);
                        Ok(())
                    }
                    ToWorker::Reset { new_weights } => {
                        t.reset(new_weights);
                        // A new id, so records of the old run still in flight are dropped.
                        run.id = next_run_id();
                        run.goal = Goal::EndOfEpoch;
                        Ok(())
                    }
                    ToWorker::Start { .. }
                    | ToWorker::Benchmark { .. }
                    | ToWorker::SetSpeed { .. } => Ok(()),
                };
                result.err()
            });
            if let Some(message) = reply {
                post(&FromWorker::Error { message });
            }
            if is_reset {
                announce_run();
            }
            report_progress(0.0);
            schedule_pump();
        }
    }
}

/// After a reset the page needs the (possibly new) config and starts an empty history.
fn announce_run() {
    RUN.with_borrow(|run| {
        if let Some(run) = run {
            post(&FromWorker::Started {
                run: run.id,
                config: run.trainer.config().clone(),
            });
        }
    });
}

fn start_run(config: Config) {
    match Trainer::new(config) {
        Ok(trainer) => {
            let id = next_run_id();
            post(&FromWorker::Started {
                run: id,
                config: trainer.config().clone(),
            });
            RUN.with_borrow_mut(|run| {
                *run = Some(Run {
                    id,
                    trainer,
                    // Epoch 0 (the network as initialized) is measured straight away.
                    goal: Goal::EndOfEpoch,
                })
            });
            report_progress(0.0);
            schedule_pump();
        }
        Err(e) => post(&FromWorker::Error {
            message: e.to_string(),
        }),
    }
}

fn next_run_id() -> u64 {
    RUNS.with_borrow_mut(|n| {
        *n += 1;
        *n
    })
}

fn schedule_pump() {
    schedule_pump_after(0);
}

fn schedule_pump_after(delay_ms: i32) {
    let already = PUMP_SCHEDULED.with_borrow_mut(|s| std::mem::replace(s, true));
    if already {
        return;
    }
    let cb = Closure::once_into_js(|| {
        PUMP_SCHEDULED.with_borrow_mut(|s| *s = false);
        pump();
    });
    let _ =
        scope().set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), delay_ms);
}

/// Trains for up to one slice toward the current goal, posting records as epochs complete.
fn pump() {
    let started = now_ms();
    let mut samples = 0usize;
    let (max_steps, pause_ms) = SPEED.with_borrow(|s| s.pacing());
    let mut steps = 0usize;
    let goal = RUN.with_borrow_mut(|run| {
        let Some(run) = run.as_mut() else {
            return Goal::Idle;
        };
        while run.goal != Goal::Idle && run.trainer.state() == RunState::Running {
            let batch = run.trainer.config().batch_size;
            let record = run.trainer.step();
            samples += batch;
            if let Some(record) = record {
                let theory = (record.epoch == 0).then(|| {
                    let t = &run.trainer;
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
            steps += 1;
            let paced = run.goal == Goal::Play && max_steps.is_some_and(|m| steps >= m);
            if now_ms() - started > SLICE_MS || paced {
                break;
            }
        }
        if run.trainer.state() != RunState::Running {
            run.goal = Goal::Idle;
        }
        run.goal
    });
    let now = now_ms();
    let elapsed = (now - started).max(1e-3);
    // While playing, ten progress messages a second are plenty; a stop is always reported.
    let due = LAST_PROGRESS.with_borrow(|t| now - *t >= PROGRESS_MS);
    if due || goal != Goal::Play {
        LAST_PROGRESS.with_borrow_mut(|t| *t = now);
        report_progress(samples as f64 / (elapsed / 1000.0));
    }
    match goal {
        Goal::Idle => {}
        Goal::Play => schedule_pump_after(pause_ms),
        _ => schedule_pump(),
    }
}

fn report_progress(samples_per_second: f64) {
    RUN.with_borrow(|run| {
        let Some(run) = run else { return };
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
            },
        });
    });
}

/// One training epoch on the digits per size (after the epoch-0 pass), timed here.
fn benchmark(sizes: &[(usize, usize)]) {
    let results = sizes
        .iter()
        .filter_map(|&(depth, width)| {
            let mut t = Trainer::new(Config {
                depth,
                width,
                epochs: 2,
                ..Config::default()
            })
            .ok()?;
            t.run_epoch();
            let start = now_ms();
            t.run_epoch();
            let ms = now_ms() - start;
            let n = t.dataset().train.len() as f64;
            Some(BenchResult {
                depth,
                width,
                samples_per_second: n / (ms / 1000.0),
                epoch_ms: ms,
            })
        })
        .collect();
    post(&FromWorker::Benchmark {
        results,
        gemm: gemm_benchmark(),
    });
}

/// GFLOP/s of both matrix-product kernels at the batch shapes training uses.
fn gemm_benchmark() -> Vec<GemmResult> {
    let mut out = Vec::new();
    for (m, k, n) in [(32, 64, 64), (32, 256, 256), (32, 512, 512)] {
        let a = vec![0.5f32; m * k];
        let b = vec![0.25f32; k * n];
        let mut c = vec![0.0f32; m * n];
        let flops = (2 * m * k * n) as f64;
        let reps = (2e8 / flops).ceil() as usize;
        for kernel in ["matrixmultiply", "blocked"] {
            let start = now_ms();
            for _ in 0..reps {
                let (ta, tb, tc) = (
                    (&a[..], k as isize, 1),
                    (&b[..], n as isize, 1),
                    (&mut c[..], n as isize, 1),
                );
                if kernel == "blocked" {
                    blocked_gemm(m, k, n, 1.0, ta, tb, 0.0, tc);
                } else {
                    <f32 as Real>::gemm(m, k, n, 1.0, ta, tb, 0.0, tc);
                }
            }
            let secs = (now_ms() - start) / 1000.0;
            out.push(GemmResult {
                kernel: kernel.to_string(),
                m,
                k,
                n,
                gflops: flops * reps as f64 / secs / 1e9,
            });
        }
    }
    out
}
