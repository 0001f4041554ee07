//! The benchmark mode (`?bench=1`): engine throughput in the worker, frame times on the page
//! while training, and time to the first chart. Results go to `#bench-results` as JSON.

use std::cell::RefCell;

use leptos::prelude::*;

use super::app::AppState;
use super::client;
use crate::protocol::{BenchResult, ToWorker};

/// How long frame times are sampled while training.
const FRAME_WINDOW_MS: f64 = 6000.0;

thread_local! {
    static ENGINE: RefCell<Option<Vec<BenchResult>>> = const { RefCell::new(None) };
    static FRAMES: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

pub fn engine_results(results: Vec<BenchResult>) {
    ENGINE.with_borrow_mut(|e| *e = Some(results));
}

/// Phase 1: sample frame times while the default run plays; phase 2: engine throughput.
pub fn run(state: AppState) {
    state.playing.set(true);
    client::send(ToWorker::Play);
    let start = now_ms();
    sample_frame(state, start, start);
}

fn sample_frame(state: AppState, start: f64, last: f64) {
    request_animation_frame(move || {
        let t = now_ms();
        FRAMES.with_borrow_mut(|f| f.push(t - last));
        if t - start < FRAME_WINDOW_MS {
            sample_frame(state, start, t);
        } else {
            state.play_pause();
            client::send(ToWorker::Benchmark {
                sizes: vec![(10, 64), (50, 256)],
            });
            wait_for_engine(state);
        }
    });
}

fn wait_for_engine(state: AppState) {
    let done = ENGINE.with_borrow(|e| e.clone());
    match done {
        Some(engine) => publish(state, engine),
        None => set_timeout(
            move || wait_for_engine(state),
            std::time::Duration::from_millis(100),
        ),
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn publish(state: AppState, engine: Vec<BenchResult>) {
    let mut frames = FRAMES.with_borrow(|f| f.clone());
    // The first frame includes start-up; drop it.
    if !frames.is_empty() {
        frames.remove(0);
    }
    frames.sort_by(|a, b| a.total_cmp(b));
    let json = serde_json::json!({
        "engine": engine,
        "frames": frames.len(),
        "frame_ms_median": percentile(&frames, 0.5),
        "frame_ms_p95": percentile(&frames, 0.95),
        "frame_ms_max": frames.last().copied().unwrap_or(f64::NAN),
        "first_chart_ms": state.first_chart_ms.get_untracked(),
        "epochs_while_sampling": state.records.with_untracked(|r| r.len()),
    });
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("bench-results"))
    {
        el.set_text_content(Some(&json.to_string()));
        let _ = el.set_attribute("data-done", "true");
    }
}
