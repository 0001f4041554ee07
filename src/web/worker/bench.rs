//! The engine benchmark, run in the worker on request: training throughput per network size
//! and the matrix-product kernels' GFLOP/s, timed where the engine really runs.

use crate::engine::config::Config;
use crate::engine::gemm::{tiled_sgemm, Sgemm};
use crate::engine::real::matrixmultiply_sgemm;
use crate::engine::trainer::Trainer;
use crate::protocol::{BenchResult, FromWorker, GemmResult, RunJob};

use super::scope::{now_ms, post};

/// Pairs of epochs per network (after the epoch-0 pass) without and with the per-layer
/// histograms, timed here.
pub fn benchmark(networks: Vec<(String, RunJob)>) {
    let results = networks
        .into_iter()
        .filter_map(|(network, job)| {
            let config = job.config().ok()?;
            let steps = if config.model.is_recurrent() {
                config.seq_len
            } else {
                1
            };
            let mut t = Trainer::new(Config {
                epochs: 2 + 2 * MAX_PAIRS,
                ..config
            })
            .ok()?;
            t.run_epoch();
            // Epochs without and with the histograms in turn (so that both see the same stage
            // of training), at least five pairs and as many as fit in about eight seconds; the
            // medians, and the median of each pair's ratio (a slow spell of the machine then
            // slows both epochs of one pair, not one side of the comparison).
            let mut timed = |histograms: bool| {
                t.set_histograms(histograms);
                let start = now_ms();
                t.run_epoch();
                now_ms() - start
            };
            let (mut off, mut on) = (vec![timed(false)], vec![timed(true)]);
            let pairs = ((8000.0 / (off[0] + on[0])) as usize).clamp(5, MAX_PAIRS);
            for _ in 1..pairs {
                off.push(timed(false));
                on.push(timed(true));
            }
            let mut ratios: Vec<f64> = on.iter().zip(&off).map(|(a, b)| a / b - 1.0).collect();
            let histogram_cost_pct = 100.0 * median(&mut ratios);
            let (ms, epoch_ms_histograms) = (median(&mut off), median(&mut on));
            let samples_per_second = t.dataset().train.len() as f64 / (ms / 1000.0);
            Some(BenchResult {
                network,
                samples_per_second,
                sample_steps_per_second: samples_per_second * steps as f64,
                epoch_ms: ms,
                epoch_ms_histograms,
                histogram_cost_pct,
            })
        })
        .collect();
    post(&FromWorker::Benchmark {
        results,
        gemm: gemm_benchmark(),
    });
}

/// At most this many pairs of epochs per network.
const MAX_PAIRS: usize = 15;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    (v[(n - 1) / 2] + v[n / 2]) / 2.0
}

/// GFLOP/s of both matrix-product kernels at the batch shapes training uses (the engine
/// trains with the tiled one in the browser).
fn gemm_benchmark() -> Vec<GemmResult> {
    let mut out = Vec::new();
    for (m, k, n) in [(32, 64, 64), (32, 256, 256), (32, 512, 512)] {
        let a = vec![0.5f32; m * k];
        let b = vec![0.25f32; k * n];
        let mut c = vec![0.0f32; m * n];
        let flops = (2 * m * k * n) as f64;
        let reps = (2e8 / flops).ceil() as usize;
        let kernels: [(&str, Sgemm); 2] = [
            ("matrixmultiply", matrixmultiply_sgemm),
            ("tiled", tiled_sgemm),
        ];
        for (kernel, gemm) in kernels {
            let mut run = || {
                let start = now_ms();
                for _ in 0..reps {
                    let (ta, tb, tc) = (
                        (&a[..], k as isize, 1),
                        (&b[..], n as isize, 1),
                        (&mut c[..], n as isize, 1),
                    );
                    gemm(m, k, n, 1.0, ta, tb, 0.0, tc);
                }
                (now_ms() - start) / 1000.0
            };
            // Once untimed: V8 first runs a function from its baseline compiler and optimizes
            // it once hot, so a cold kernel would be timed at a fraction of its speed.
            run();
            let secs = (0..3).map(|_| run()).fold(f64::INFINITY, f64::min);
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
