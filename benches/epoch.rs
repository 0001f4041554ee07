//! Training throughput: one epoch on the digits (1437 training samples), per-layer figures on
//! and off; one epoch of each recurrent cell on delayed digits at T = 100 (throughput in
//! sample-steps); and the matrix product behind them.

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, Throughput,
};
use gradscope::engine::config::Config;
use gradscope::engine::gemm::{tiled_sgemm, Sgemm};
use gradscope::engine::model::ModelKind;
use gradscope::engine::real::matrixmultiply_sgemm;
use gradscope::engine::trainer::{RunState, Trainer};
use std::hint::black_box;

fn epoch(c: &mut Criterion) {
    let mut group = c.benchmark_group("epoch_digits");
    group.sample_size(10);
    for (depth, width) in [(10, 64), (50, 256)] {
        for (figures, histograms) in [(true, true), (true, false), (false, false)] {
            let config = Config {
                depth,
                width,
                epochs: 1000,
                ..Config::default()
            };
            let mut t = Trainer::new(config).expect("valid");
            t.set_measure_layers(figures);
            t.set_histograms(histograms);
            t.run_epoch(); // epoch 0 (no update) out of the way
            group.throughput(Throughput::Elements(t.dataset().train.len() as u64));
            let id = format!(
                "{depth}x{width}/figures_{}{}",
                if figures { "on" } else { "off" },
                if histograms { "_histograms" } else { "" }
            );
            time_epochs(&mut group, id, &mut t);
        }
    }
    group.finish();
}

/// Times one training epoch after another (a run that finished starts over, epoch 0 untimed).
fn time_epochs(group: &mut BenchmarkGroup<'_, WallTime>, id: String, t: &mut Trainer) {
    group.bench_function(BenchmarkId::from_parameter(id), |b| {
        b.iter(|| {
            if t.state() != RunState::Running {
                t.reset(false);
                t.run_epoch();
            }
            black_box(t.run_epoch())
        })
    });
}

fn recurrent_epoch(c: &mut Criterion) {
    let mut group = c.benchmark_group("epoch_delayed_digits");
    group.sample_size(10);
    for model in [ModelKind::Rnn, ModelKind::Lstm] {
        let mut config = Config::default();
        config.switch_model(model);
        config.seq_len = 100;
        config.width = 64;
        config.epochs = 1000;
        let mut t = Trainer::new(config).expect("valid");
        t.run_epoch();
        group.throughput(Throughput::Elements(t.dataset().train.len() as u64 * 100));
        time_epochs(&mut group, format!("{}_T100x64", model.name()), &mut t);
    }
    group.finish();
}

/// One layer's histogram over what the validation pass gives at width 64 (360 samples × 64
/// units): normal pre-activations, ReLU outputs (half exact zeros), saturated tanh outputs.
fn histogram(c: &mut Criterion) {
    use gradscope::engine::histogram::{Bins, Histogram};
    use rand::SeedableRng;
    use rand_distr::{Distribution, Normal};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    let normal: Vec<f32> = Normal::new(0.0f32, 1.0)
        .unwrap()
        .sample_iter(&mut rng)
        .take(360 * 64)
        .collect();
    let relu: Vec<f32> = normal.iter().map(|&z| z.max(0.0)).collect();
    let tanh: Vec<f32> = normal.iter().map(|&z| (3.0 * z).tanh()).collect();
    let tanh_bins = Bins::Range {
        lo: -1.0,
        hi: 1.0,
        n: 20,
    };
    let mut group = c.benchmark_group("histogram_23040_values");
    group.throughput(Throughput::Elements(normal.len() as u64));
    for (name, values, bins) in [
        ("normal", &normal, Bins::SignedLog),
        ("relu", &relu, Bins::SignedLog),
        ("tanh", &tanh, tanh_bins),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| black_box(Histogram::of(black_box(values), bins)))
        });
    }
    group.finish();
}

fn gemm(c: &mut Criterion) {
    let mut group = c.benchmark_group("gemm_f32");
    for (m, k, n) in [(32, 64, 64), (32, 256, 256), (32, 512, 512)] {
        let a = vec![0.5f32; m * k];
        let b = vec![0.25f32; k * n];
        let mut out = vec![0.0f32; m * n];
        group.throughput(Throughput::Elements((2 * m * k * n) as u64));
        let kernels: [(&str, Sgemm); 2] = [
            ("matrixmultiply", matrixmultiply_sgemm),
            ("tiled", tiled_sgemm),
        ];
        for (name, gemm) in kernels {
            group.bench_function(BenchmarkId::new(name, format!("{m}x{k}x{n}")), |bench| {
                bench.iter(|| {
                    gemm(
                        m,
                        k,
                        n,
                        1.0,
                        (&a, k as isize, 1),
                        (&b, n as isize, 1),
                        0.0,
                        (&mut out, n as isize, 1),
                    );
                    black_box(&out);
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, epoch, recurrent_epoch, histogram, gemm);
criterion_main!(benches);
