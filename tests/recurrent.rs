//! The recurrent network: back-propagation through time against central finite differences
//! (f64, the same generic code the app runs in f32), the exact linear case, the recurrent
//! initializers, σ_max, the delayed-digits task, and what a recurrent run records.

use gradscope::engine::activation::Activation;
use gradscope::engine::config::Config;
use gradscope::engine::data::{delayed_digits, digits, DatasetKind, DELAY_NOISE_SD};
use gradscope::engine::init::Initializer;
use gradscope::engine::matrix::Matrix;
use gradscope::engine::model::ModelKind;
use gradscope::engine::recurrent::spectral::sigma_max;
use gradscope::engine::recurrent::{CellKind, RecurrentInit, RnnArchitecture, RnnNetwork};
use gradscope::engine::trainer::Trainer;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const H: f64 = 1e-6;
const TOLERANCE: f64 = 1e-4;
const INPUTS: usize = 3;

fn network(cell: CellKind, activation: Activation, gain: f64, seed: u64) -> RnnNetwork<f64> {
    let arch = RnnArchitecture {
        cell,
        inputs: INPUTS,
        classes: 4,
        units: 5,
        activation,
        init: Initializer::GlorotUniform,
        recurrent_init: RecurrentInit::Orthogonal,
        recurrent_gain: gain,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut net = RnnNetwork::new(arch, &mut rng);
    // Biases off zero, so that no gradient is trivially 0.
    for p in net.params_mut() {
        for v in p.value.iter_mut() {
            *v += rng.random_range(-0.2..0.2);
        }
    }
    net
}

fn sequences(steps: usize, seed: u64) -> (Matrix<f64>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5E0);
    let n = 6;
    let cols = steps * INPUTS;
    let x = (0..n * cols).map(|_| rng.random_range(-1.0..1.0)).collect();
    let y = (0..n).map(|_| rng.random_range(0..4usize)).collect();
    (Matrix::from_vec(n, cols, x), y)
}

/// max |analytic − numeric| / max(‖·‖∞, 1e-5) over every variable (W, U, b, output).
fn gradient_error(
    cell: CellKind,
    activation: Activation,
    (steps, gain): (usize, f64),
    l2: f64,
    seed: u64,
) -> f64 {
    let mut net = network(cell, activation, gain, seed);
    let (x, y) = sequences(steps, seed);
    net.compute_gradients(&x, &y, l2);
    let analytic: Vec<Vec<f64>> = net.params_mut().iter().map(|p| p.grad.clone()).collect();
    let mut worst: f64 = 0.0;
    for (pi, grads) in analytic.iter().enumerate() {
        let mut numeric = vec![0.0; grads.len()];
        for (i, n) in numeric.iter_mut().enumerate() {
            let mut loss_at = |d: f64| {
                let orig = net.params_mut()[pi].value[i];
                net.params_mut()[pi].value[i] = orig + d;
                let loss = net.compute_gradients(&x, &y, l2).loss;
                net.params_mut()[pi].value[i] = orig;
                loss
            };
            *n = (loss_at(H) - loss_at(-H)) / (2.0 * H);
            // A kink (ReLU's, SELU's at 0) within H of some pre-activation makes the
            // difference straddle it; a hundred times closer it does not (measured: an LSTM
            // with SELU at T = 50, where one z lies 1e-7 from 0).
            if (*n - grads[i]).abs() > TOLERANCE * grads[i].abs().max(1e-3) {
                *n = (loss_at(H / 100.0) - loss_at(-H / 100.0)) / (2.0 * H / 100.0);
            }
        }
        let scale = grads
            .iter()
            .chain(&numeric)
            .fold(1e-5f64, |m, v| m.max(v.abs()));
        let err = grads
            .iter()
            .zip(&numeric)
            .fold(0.0f64, |m, (a, n)| m.max((a - n).abs()));
        worst = worst.max(err / scale);
    }
    worst
}

#[test]
fn back_propagation_through_time_matches_finite_differences() {
    let mut failures = Vec::new();
    for cell in [CellKind::Simple, CellKind::Lstm] {
        for activation in Activation::ALL {
            for (steps, gain) in [(1, 1.0), (8, 1.3), (50, 0.9)] {
                for seed in 0..2 {
                    let err = gradient_error(cell, activation, (steps, gain), 0.0, seed);
                    if err.is_nan() || err >= TOLERANCE {
                        failures.push(format!(
                            "{cell:?} {} T={steps} seed {seed}: {err:.2e}",
                            activation.name()
                        ));
                    }
                }
            }
        }
        let with_l2 = gradient_error(cell, Activation::Tanh, (8, 1.0), 1e-2, 3);
        assert!(
            with_l2 < TOLERANCE,
            "{cell:?}: L2 on W, U and the output kernel: {with_l2:.2e}"
        );
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn a_linear_network_with_an_orthogonal_kernel_of_gain_g_scales_delta_by_g_per_step() {
    // δ_{t−1} = δ_t·Uᵀ exactly, and gU is g times a rotation: ‖δ_1‖ = g^(T−1)·‖δ_T‖.
    for (steps, gain) in [(10, 0.8), (25, 1.1), (40, 1.0)] {
        let config = Config {
            model: ModelKind::Rnn,
            dataset: DatasetKind::DelayedDigits,
            seq_len: steps,
            width: 16,
            activation: Activation::Linear,
            recurrent_init: RecurrentInit::Orthogonal,
            recurrent_gain: gain,
            epochs: 0,
            ..Config::default()
        };
        let mut t = Trainer::new(config).unwrap();
        let r = t.run_epoch().unwrap();
        assert_eq!(r.time_steps.len(), steps);
        assert_eq!(r.time_steps.first().unwrap().t, 1);
        assert_eq!(r.time_steps.last().unwrap().t, steps);
        let ratio = r.time_steps[0].delta_rms / r.time_steps[steps - 1].delta_rms;
        let expected = gain.powi(steps as i32 - 1);
        assert!(
            (ratio / expected - 1.0).abs() < 1e-4,
            "T={steps} g={gain}: δ_1/δ_T = {ratio:e}, g^(T−1) = {expected:e}"
        );
        let sigma = r.sigma_max.unwrap();
        assert!(
            (sigma - gain).abs() < 1e-5 * gain,
            "σ_max {sigma} vs gain {gain}"
        );
    }
}

#[test]
fn orthogonal_and_identity_kernels_have_every_singular_value_at_the_gain() {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    for n in [1, 2, 7, 64] {
        let q: Vec<f64> = RecurrentInit::Orthogonal.kernel((n, n), 1.0, &mut rng);
        // QᵀQ = I
        for i in 0..n {
            for j in 0..n {
                let dot: f64 = (0..n).map(|k| q[k * n + i] * q[k * n + j]).sum();
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((dot - want).abs() < 1e-12, "n={n} ({i},{j}): {dot}");
            }
        }
        let g: Vec<f64> = RecurrentInit::Orthogonal.kernel((n, n), 1.7, &mut rng);
        assert!((sigma_max(&g, n, n) - 1.7).abs() < 1e-9);
        let id: Vec<f64> = RecurrentInit::Identity.kernel((n, n), 0.5, &mut rng);
        assert!((0..n * n).all(|k| id[k] == if k / n == k % n { 0.5 } else { 0.0 }));
        assert!((sigma_max(&id, n, n) - 0.5).abs() < 1e-12);
        // An LSTM's units×4·units kernel: orthonormal rows (Q Qᵀ = I), σ_max = gain.
        let w = 4 * n;
        let r: Vec<f64> = RecurrentInit::Orthogonal.kernel((n, w), 1.0, &mut rng);
        for i in 0..n {
            for j in 0..n {
                let dot: f64 = (0..w).map(|k| r[i * w + k] * r[j * w + k]).sum();
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((dot - want).abs() < 1e-12, "{n}×{w} ({i},{j}): {dot}");
            }
        }
        let r: Vec<f64> = RecurrentInit::Orthogonal.kernel((n, w), 1.3, &mut rng);
        assert!((sigma_max(&r, n, w) - 1.3).abs() < 1e-9);
        // And a tall one (more rows than columns): orthonormal columns.
        let tall: Vec<f64> = RecurrentInit::Orthogonal.kernel((w, n), 1.0, &mut rng);
        for i in 0..n {
            let dot: f64 = (0..w).map(|k| tall[k * n + i] * tall[k * n + i]).sum();
            assert!((dot - 1.0).abs() < 1e-12);
        }
    }
    // Two draws differ (a random rotation, not a fixed one).
    let a: Vec<f64> = RecurrentInit::Orthogonal.kernel((8, 8), 1.0, &mut rng);
    let b: Vec<f64> = RecurrentInit::Orthogonal.kernel((8, 8), 1.0, &mut rng);
    assert_ne!(a, b);
}

#[test]
fn sigma_max_is_the_largest_singular_value() {
    // diag(3, −5, 2) rotated: singular values 5, 3, 2.
    let u = [0.0, 3.0, 0.0, -5.0, 0.0, 0.0, 0.0, 0.0, 2.0];
    assert!((sigma_max(&u, 3, 3) - 5.0).abs() < 1e-9);
    // A rank-one matrix a·bᵀ has σ_max = ‖a‖·‖b‖.
    let (a, b) = ([1.0, 2.0, 2.0], [0.0, 3.0, 4.0]);
    let outer: Vec<f64> = (0..9).map(|k| a[k / 3] * b[k % 3]).collect();
    assert!((sigma_max(&outer, 3, 3) - 15.0).abs() < 1e-9);
    // Non-square: a 2×4 [[0,0,3,0],[4,0,0,0]] has singular values 4 and 3.
    let wide = [0.0, 0.0, 3.0, 0.0, 4.0, 0.0, 0.0, 0.0];
    assert!((sigma_max(&wide, 2, 4) - 4.0).abs() < 1e-9);
    assert!(sigma_max(&[f64::NAN, 0.0, 0.0, 1.0], 2, 2).is_nan());
    assert_eq!(sigma_max(&[0.0f64; 4], 2, 2), 0.0);
}

#[test]
fn a_delayed_digit_is_its_eight_rows_then_noise() {
    let images = digits();
    for steps in [8, 30, 200] {
        let s = delayed_digits(steps);
        assert_eq!(s.features, steps * 8);
        assert_eq!(s.y, images.y);
        for i in [0, 17, 1796] {
            let row = &s.x[i * s.features..(i + 1) * s.features];
            assert_eq!(&row[..64], &images.x[i * 64..(i + 1) * 64]);
        }
        if steps > 8 {
            let noise: Vec<f64> =
                s.x.chunks_exact(s.features)
                    .flat_map(|r| r[64..].iter().map(|&v| v as f64))
                    .collect();
            let mean = noise.iter().sum::<f64>() / noise.len() as f64;
            let sd =
                (noise.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / noise.len() as f64).sqrt();
            assert!(
                mean.abs() < 0.01 && (sd / DELAY_NOISE_SD - 1.0).abs() < 0.02,
                "{mean} {sd}"
            );
        }
    }
    assert_eq!(
        delayed_digits(30),
        delayed_digits(30),
        "the same sequences every time"
    );
}

fn rnn(steps: usize) -> Config {
    Config {
        model: ModelKind::Rnn,
        dataset: DatasetKind::DelayedDigits,
        seq_len: steps,
        activation: Activation::Tanh,
        init: Initializer::GlorotUniform,
        ..Config::default()
    }
}

#[test]
fn settings_that_do_not_apply_are_refused() {
    let field = |c: Config| c.validate().err().map(|e| e.field);
    assert_eq!(field(rnn(20)), None);
    assert_eq!(
        field(Config {
            dataset: DatasetKind::Digits,
            ..rnn(20)
        }),
        Some("dataset")
    );
    assert_eq!(
        field(Config {
            dataset: DatasetKind::DelayedDigits,
            ..Config::default()
        }),
        Some("dataset")
    );
    let bn = Config {
        batch_norm: gradscope::engine::network::BatchNormPlacement::Before,
        ..rnn(20)
    };
    assert_eq!(field(bn), Some("batch_norm"));
    assert_eq!(
        field(Config {
            seq_len: 7,
            ..rnn(20)
        }),
        Some("seq_len")
    );
    assert_eq!(
        field(Config {
            recurrent_gain: -1.0,
            ..rnn(20)
        }),
        Some("recurrent_gain")
    );
}

#[test]
fn a_recurrent_run_records_every_time_step_and_every_training_step() {
    let config = Config {
        epochs: 1,
        width: 16,
        ..rnn(12)
    };
    let mut t = Trainer::new(config.clone()).unwrap();
    let steps_per_epoch = t.steps_per_epoch();
    let r0 = t.run_epoch().unwrap();
    let r1 = t.run_epoch().unwrap();
    for r in [&r0, &r1] {
        assert_eq!(r.layers.len(), 2, "the cell and the output layer");
        assert_eq!(r.time_steps.len(), 12);
        assert!(r
            .time_steps
            .iter()
            .all(|s| s.delta_rms.is_finite() && s.delta_rms > 0.0));
        assert_eq!(r.step_grad_norms.len(), steps_per_epoch);
        assert!(r.recurrent_grad_norm.unwrap() > 0.0);
    }
    // Orthogonal at gain 1 as initialized; training moves it.
    assert!((r0.sigma_max.unwrap() - 1.0).abs() < 1e-5);
    assert!((r1.sigma_max.unwrap() - 1.0).abs() > 1e-4);
    // The parameter count is what was built: (8 + 16 + 1)·16 + (16 + 1)·10.
    assert_eq!(config.parameter_count(8, 10), 25 * 16 + 17 * 10);
}

#[test]
fn an_lstm_starts_with_its_forget_gate_open_and_sigma_max_at_the_gain() {
    let config = Config {
        model: ModelKind::Lstm,
        seq_len: 15,
        width: 12,
        recurrent_gain: 1.3,
        epochs: 0,
        ..rnn(15)
    };
    let mut t = Trainer::new(config).unwrap();
    let r = t.run_epoch().unwrap();
    assert_eq!(r.time_steps.len(), 15);
    assert!(r.time_steps.iter().all(|s| s.delta_rms > 0.0));
    // U is 12×48 with orthonormal rows times 1.3.
    assert!(
        (r.sigma_max.unwrap() - 1.3).abs() < 1e-5,
        "{:?}",
        r.sigma_max
    );
    // Keras' unit_forget_bias: [i | f | c | o] = [0 | 1 | 0 | 0].
    let arch = RnnArchitecture {
        cell: CellKind::Lstm,
        inputs: 8,
        classes: 10,
        units: 4,
        activation: Activation::Tanh,
        init: Initializer::GlorotUniform,
        recurrent_init: RecurrentInit::Orthogonal,
        recurrent_gain: 1.0,
    };
    let net: RnnNetwork<f64> = RnnNetwork::new(arch, &mut ChaCha8Rng::seed_from_u64(0));
    let bias = &net.cell.bias().value;
    assert_eq!(bias.len(), 16);
    assert!((0..16).all(|k| bias[k] == if (4..8).contains(&k) { 1.0 } else { 0.0 }));
    assert_eq!(net.cell.kernel().value.len(), 8 * 16);
    assert_eq!(net.cell.recurrent().value.len(), 4 * 16);
}
