//! Messages between the page (controls, charts) and the worker that trains.

use serde::{Deserialize, Serialize};

use crate::engine::config::Config;
use crate::engine::metrics::{EpochRecord, PartialLayers};

/// A run the worker should train: its id (a new id means a new run) and configuration, as
/// the `key:value,…` text of its differences from the default (`settings::diff_text`, which
/// reads back exactly): decoding it reuses the settings table the worker has anyway, where a
/// derived decoder for every field of `Config` cost the worker about 4 KB.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunJob {
    pub id: u64,
    pub config: String,
}

impl RunJob {
    pub fn new(id: u64, config: &Config) -> RunJob {
        RunJob {
            id,
            config: crate::engine::settings::diff_text(&Config::default(), config),
        }
    }

    /// The configuration the text describes, or why it does not describe one.
    pub fn config(&self) -> Result<Config, String> {
        let (config, notices) =
            crate::engine::settings::apply_diff_text(&Config::default(), &self.config);
        match notices.into_iter().next() {
            Some(problem) => Err(problem),
            None => config.validate().map(|_| config).map_err(|e| e.to_string()),
        }
    }
}

// Externally tagged (serde's default, `{"runs": {…}}` or `"play"`): an internally tagged enum
// buffers every message in serde's `Content` tree first, which cost both modules ~10 KB.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToWorker {
    /// The runs to train, in order. A run whose id the worker has keeps training (its live
    /// settings — learning rate, clipping, epochs — follow the configuration); a new id is
    /// built and measured (epoch 0); a run not listed is dropped.
    Runs {
        runs: Vec<RunJob>,
    },
    /// Every run trains on, together.
    Play,
    Pause,
    /// One mini-batch for every run.
    Step,
    /// Every run trains until its current epoch completes.
    Epoch,
    SetSpeed {
        speed: Speed,
    },
    /// Measure training throughput (the benchmark build): one epoch of each named network (a `RunJob`'s text, so
    /// that the worker needs no decoder for `Config`).
    #[cfg(feature = "bench")]
    Benchmark {
        networks: Vec<(String, RunJob)>,
    },
}

/// How fast play runs: slow enough to follow each step in a lecture, or flat out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speed {
    Slow,
    /// Slow enough to watch an epoch go by, fast enough for a lecture.
    #[default]
    Medium,
    Fast,
}

impl Speed {
    pub const ALL: [Speed; 3] = [Speed::Slow, Speed::Medium, Speed::Fast];

    pub fn name(self) -> &'static str {
        match self {
            Speed::Slow => "slow",
            Speed::Medium => "medium",
            Speed::Fast => "fast",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.name() == s)
    }

    /// The speed when none was chosen: slow (about 3 s an epoch for the default network) in
    /// the lecture theme and in presenter mode, where someone is talking over it; medium
    /// otherwise.
    pub fn for_view(chosen: Option<Speed>, lecture: bool, presenting: bool) -> Speed {
        chosen.unwrap_or(if lecture || presenting {
            Speed::Slow
        } else {
            Speed::Medium
        })
    }

    /// (most steps per slice, pause after a slice in ms); None = as many as fit in a slice.
    pub fn pacing(self) -> (Option<usize>, i32) {
        match self {
            Speed::Slow => (Some(1), 60),
            Speed::Medium => (Some(4), 30),
            Speed::Fast => (None, 0),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Paused,
    Playing,
    Finished,
    Diverged,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// The epoch in progress (0 = measuring the initial network).
    pub epoch: usize,
    pub step: usize,
    pub steps_per_epoch: usize,
    pub phase: Phase,
    /// Training samples per second over the last slice (0 when idle).
    pub samples_per_second: f64,
    /// The worker's WebAssembly memory, in bytes (for the memory measurement).
    #[serde(default)]
    pub memory_bytes: f64,
    /// While epoch 0 is measured: the gradient figures of the batches measured so far.
    #[serde(default)]
    pub partial: Option<PartialLayers>,
    /// Seconds an epoch takes at the run's pace, as measured by its clock (`EpochClock`).
    #[serde(default)]
    pub epoch_seconds: Option<f64>,
}

/// Epochs at least this long are announced with their expected duration.
pub const SLOW_EPOCH_S: f64 = 3.0;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchResult {
    pub network: String,
    pub samples_per_second: f64,
    /// Samples × time steps per second (a sample of the MLP is one step): what a recurrent
    /// epoch and an MLP epoch share.
    pub sample_steps_per_second: f64,
    pub epoch_ms: f64,
    /// The next epoch's time with every layer's histograms measured (an MLP's; the same as
    /// `epoch_ms` would be for a recurrent network, which has none).
    pub epoch_ms_histograms: f64,
    /// The median over the pairs of epochs (without, then with the histograms) of the second's
    /// time over the first's, less 1, in %.
    pub histogram_cost_pct: f64,
}

/// Throughput of one matrix-product kernel on one shape (m×k times k×n).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GemmResult {
    pub kernel: String,
    pub m: usize,
    pub k: usize,
    pub n: usize,
    pub gflops: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FromWorker {
    Ready,
    Progress {
        run: u64,
        progress: Progress,
    },
    Record {
        run: u64,
        record: EpochRecord,
    },
    /// Mean-field prediction of each hidden layer's δ rms at initialization (None where the
    /// theory does not apply), sent after the epoch-0 record.
    Theory {
        run: u64,
        delta_rms: Option<Vec<f64>>,
    },
    Error {
        message: String,
    },
    #[cfg(feature = "bench")]
    Benchmark {
        results: Vec<BenchResult>,
        gemm: Vec<GemmResult>,
    },
}
