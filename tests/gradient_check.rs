//! Back-propagation against central finite differences, computed in f64 through the very
//! same generic code the app runs in f32.

use gradscope::engine::activation::Activation;
use gradscope::engine::batch_norm::Mode;
use gradscope::engine::init::Initializer;
use gradscope::engine::matrix::Matrix;
use gradscope::engine::network::{Architecture, BatchNormPlacement, Network};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const H: f64 = 1e-6;

fn network(activation: Activation, bn: BatchNormPlacement, seed: u64) -> Network<f64> {
    let arch = Architecture {
        inputs: 5,
        classes: 4,
        depth: 3,
        width: 6,
        activation,
        init: Initializer::GlorotUniform,
        batch_norm: bn,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut net = Network::new(arch, &mut rng);
    // Move every variable (biases, gamma, beta too) off its initial value, so no gradient
    // is trivially zero and gamma ≠ 1 is exercised.
    for p in net.params_mut() {
        for v in p.value.iter_mut() {
            *v += rng.random_range(-0.5..0.5);
        }
    }
    net
}

fn batch(seed: u64) -> (Matrix<f64>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xBA7C);
    let n = 7;
    let x = Matrix::from_vec(
        n,
        5,
        (0..n * 5).map(|_| rng.random_range(-1.5..1.5)).collect(),
    );
    let y = (0..n).map(|_| rng.random_range(0..4usize)).collect();
    (x, y)
}

/// ∂L/∂θ of every variable by central differences, (L(θ+h) − L(θ−h)) / 2h, element by element.
fn numeric_gradients(
    net: &mut Network<f64>,
    x: &Matrix<f64>,
    y: &[usize],
    l2: f64,
) -> Vec<Vec<f64>> {
    let sizes: Vec<usize> = net.params_mut().iter().map(|p| p.value.len()).collect();
    let mut out = Vec::new();
    for (pi, &len) in sizes.iter().enumerate() {
        let mut numeric = vec![0.0; len];
        for (i, n) in numeric.iter_mut().enumerate() {
            let mut loss_at = |delta: f64| {
                let orig = net.params_mut()[pi].value[i];
                net.params_mut()[pi].value[i] = orig + delta;
                let loss = net.compute_gradients(x, y, Mode::TrainNoUpdate, l2).loss;
                net.params_mut()[pi].value[i] = orig;
                loss
            };
            *n = (loss_at(H) - loss_at(-H)) / (2.0 * H);
        }
        out.push(numeric);
    }
    out
}

/// The check's verdict: the largest relative error max|a − n| / max(‖a‖∞, ‖n‖∞, 1e-5) over
/// every variable. The floor matters where the true gradient is exactly 0 (a bias just before
/// batch norm): there the central difference returns rounding noise of about 3e-10 (well
/// below 1e-4 × 1e-5). Passing means < [`TOLERANCE`].
fn relative_error(analytic: &[Vec<f64>], numeric: &[Vec<f64>]) -> f64 {
    analytic
        .iter()
        .zip(numeric)
        .map(|(grads, numeric)| {
            let scale = grads
                .iter()
                .chain(numeric)
                .fold(1e-5f64, |m, v| m.max(v.abs()));
            let err = grads
                .iter()
                .zip(numeric)
                .fold(0.0f64, |m, (a, n)| m.max((a - n).abs()));
            err / scale
        })
        .fold(0.0, f64::max)
}

const TOLERANCE: f64 = 1e-4;

/// The analytic gradients of a network on its batch, and the finite-difference ones.
fn gradients(
    activation: Activation,
    bn: BatchNormPlacement,
    l2: f64,
    seed: u64,
) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let mut net = network(activation, bn, seed);
    let (x, y) = batch(seed);
    net.compute_gradients(&x, &y, Mode::TrainNoUpdate, l2);
    let analytic: Vec<Vec<f64>> = net.params_mut().iter().map(|p| p.grad.clone()).collect();
    let numeric = numeric_gradients(&mut net, &x, &y, l2);
    (analytic, numeric)
}

fn check(activation: Activation, bn: BatchNormPlacement, l2: f64, seed: u64) -> f64 {
    let (analytic, numeric) = gradients(activation, bn, l2, seed);
    relative_error(&analytic, &numeric)
}

#[test]
fn every_activation_and_batch_norm_placement_matches_finite_differences() {
    let mut failures = Vec::new();
    let mut worst: f64 = 0.0;
    let mut worst_plain: f64 = 0.0;
    for activation in Activation::ALL {
        for bn in BatchNormPlacement::ALL {
            for seed in 0..2 {
                let err = check(activation, bn, 0.0, seed);
                if bn == BatchNormPlacement::None {
                    worst_plain = worst_plain.max(err);
                }
                worst = worst.max(err);
                if err.is_nan() || err >= TOLERANCE {
                    failures.push(format!(
                        "{}/{} seed {seed}: {err:.2e}",
                        activation.name(),
                        bn.name()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "relative error ≥ 1e-4: {failures:?}");
    // With batch norm the worst case is the bias just before it, whose true gradient is 0:
    // there the central difference returns rounding noise measured against the 1e-5 floor.
    println!("worst relative error over 7 activations × 3 placements × 2 seeds: {worst:.1e} (without batch norm: {worst_plain:.1e})");
}

#[test]
fn l2_penalty_gradient_matches_finite_differences() {
    for bn in BatchNormPlacement::ALL {
        let err = check(Activation::Tanh, bn, 0.01, 7);
        assert!(err < TOLERANCE, "{}: {err:.2e}", bn.name());
    }
}

#[test]
fn the_check_rejects_one_element_off_by_one_percent() {
    // The same comparison the suite relies on, fed an analytic gradient with one element
    // 1 % off: in every variable, at its largest element (the check is relative to it).
    let (analytic, numeric) = gradients(Activation::Sigmoid, BatchNormPlacement::Before, 0.0, 3);
    assert!(
        relative_error(&analytic, &numeric) < TOLERANCE,
        "the true gradient passes"
    );
    for v in 0..analytic.len() {
        let mut wrong = analytic.clone();
        let (i, _) = wrong[v]
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
            .unwrap();
        if wrong[v][i].abs() < 1e-3 {
            continue; // a gradient of (almost) 0: 1 % of it is below the floor by design
        }
        wrong[v][i] *= 1.01;
        let err = relative_error(&wrong, &numeric);
        assert!(
            err >= TOLERANCE,
            "variable {v}: 1 % off passed with {err:.1e}"
        );
    }
}
