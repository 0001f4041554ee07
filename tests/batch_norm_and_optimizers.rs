//! Batch norm statistics and optimizer steps against values worked out by hand.

use gradscope::engine::batch_norm::{BatchNorm, Mode};
use gradscope::engine::matrix::Matrix;
use gradscope::engine::optim::{Optimizer, OptimizerKind};
use gradscope::engine::param::{Param, ParamKind};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn batch_norm_normalizes_by_the_batch_and_moves_its_averages() {
    let mut bn = BatchNorm::<f64>::new(1);
    let mut x = Matrix::from_vec(4, 1, vec![1.0, 2.0, 3.0, 4.0]);
    bn.forward(&mut x, Mode::Train);
    // μ = 2.5, σ² = 1.25 (biased), y = (x − μ)/√(σ² + 1e-3)
    let s = (1.25f64 + 1e-3).sqrt();
    for (y, x0) in x.data.iter().zip([1.0, 2.0, 3.0, 4.0]) {
        assert!(close(*y, (x0 - 2.5) / s));
    }
    // moving = 0.99·moving + 0.01·batch, from mean 0 and variance 1
    assert!(close(bn.moving_mean[0], 0.025));
    assert!(close(bn.moving_var[0], 0.99 + 0.0125));
    // A second batch: [10, 10, 10, 10] has μ = 10, σ² = 0.
    let mut x2 = Matrix::from_vec(4, 1, vec![10.0; 4]);
    bn.forward(&mut x2, Mode::Train);
    assert!(close(bn.moving_mean[0], 0.99 * 0.025 + 0.1));
    assert!(close(bn.moving_var[0], 0.99 * 1.0025));
    assert!(
        x2.data.iter().all(|&y| y == 0.0),
        "a constant batch normalizes to β = 0"
    );
}

#[test]
fn batch_norm_evaluates_with_moving_statistics_and_gamma_beta() {
    let mut bn = BatchNorm::<f64>::new(2);
    bn.moving_mean = vec![1.0, -2.0];
    bn.moving_var = vec![4.0, 0.25];
    bn.gamma.value = vec![2.0, 1.0];
    bn.beta.value = vec![0.5, 0.0];
    let mut x = Matrix::from_vec(1, 2, vec![3.0, -1.0]);
    bn.forward(&mut x, Mode::Eval);
    assert!(close(x.data[0], 2.0 * 2.0 / (4.0f64 + 1e-3).sqrt() + 0.5));
    assert!(close(x.data[1], 1.0 / (0.25f64 + 1e-3).sqrt()));
    assert_eq!(
        bn.moving_mean,
        vec![1.0, -2.0],
        "evaluation leaves the averages alone"
    );
    let mut y = Matrix::from_vec(2, 2, vec![0.0, 1.0, 2.0, 3.0]);
    bn.forward(&mut y, Mode::TrainNoUpdate);
    assert_eq!(
        bn.moving_var,
        vec![4.0, 0.25],
        "the measuring pass leaves them alone too"
    );
}

fn one_param(w: f64, g: f64) -> Param<f64> {
    let mut p = Param::new(ParamKind::Kernel, vec![w]);
    p.grad = vec![g];
    p
}

fn steps(kind: OptimizerKind, lr: f64, grads: &[f64]) -> Vec<f64> {
    let mut opt = Optimizer::<f64>::new(kind);
    let mut p = one_param(1.0, 0.0);
    grads
        .iter()
        .map(|&g| {
            p.grad = vec![g];
            opt.step(&mut [&mut p], lr, false);
            p.value[0]
        })
        .collect()
}

#[test]
fn sgd_steps_against_the_gradient() {
    let w = steps(OptimizerKind::Sgd, 0.1, &[0.5, -1.0]);
    assert!(close(w[0], 0.95) && close(w[1], 1.05));
}

#[test]
fn momentum_accumulates_velocity() {
    // v₁ = −0.1·0.5 = −0.05 → w = 0.95; v₂ = 0.9·(−0.05) − 0.1·0.5 = −0.095 → w = 0.855
    let w = steps(OptimizerKind::Momentum, 0.1, &[0.5, 0.5]);
    assert!(close(w[0], 0.95) && close(w[1], 0.855), "{w:?}");
}

#[test]
fn adam_matches_keras_update_by_hand() {
    // t=1: m = 0.05, v = 0.00025, α = 0.1·√0.001/0.1 = 0.0316228;
    //      Δ = α·0.05/(√0.00025 + 1e-7) = 0.0999994
    // t=2 (g = 0.5): m = 0.095, v = 0.00049975, α = 0.1·√(1−0.999²)/(1−0.81) = 0.023528;
    //      Δ = α·0.095/(√0.00049975 + 1e-7)
    let w = steps(OptimizerKind::Adam, 0.1, &[0.5, 0.5]);
    let d1 = (0.1 * 0.001f64.sqrt() / 0.1) * 0.05 / (0.00025f64.sqrt() + 1e-7);
    assert!(close(w[0], 1.0 - d1), "{w:?}");
    assert!((d1 - 0.099_999_4).abs() < 1e-6);
    let alpha2 = 0.1 * (1.0 - 0.999f64.powi(2)).sqrt() / (1.0 - 0.9f64.powi(2));
    let d2 = alpha2 * 0.095 / (0.000_499_75f64.sqrt() + 1e-7);
    assert!(close(w[1], 1.0 - d1 - d2), "{w:?}");
}

#[test]
fn optimizer_reports_step_sizes_when_asked() {
    let mut opt = Optimizer::<f64>::new(OptimizerKind::Sgd);
    let mut p = Param::new(ParamKind::Kernel, vec![1.0, 1.0]);
    p.grad = vec![3.0, 4.0];
    let sq = opt.step(&mut [&mut p], 0.1, true);
    assert!(close(sq[0], 0.25), "‖Δw‖² = 0.1²·25");
}

#[test]
fn batch_norm_refuses_a_batch_of_one_and_drops_a_trailing_one() {
    use gradscope::engine::config::Config;
    use gradscope::engine::network::BatchNormPlacement;
    use gradscope::engine::trainer::Trainer;
    let bn = Config {
        batch_norm: BatchNormPlacement::Before,
        depth: 2,
        width: 8,
        epochs: 1,
        ..Config::default()
    };
    // Refused everywhere: the config, the command line, the link.
    let one = Config {
        batch_size: 1,
        ..bn.clone()
    };
    let e = one.validate().unwrap_err();
    assert_eq!(e.field, "batch_size");
    assert!(e.message.contains("batch norm"), "{e}");
    assert!(Trainer::new(one).is_err());
    let err = gradscope::cli::parse(
        &["train", "--batch-norm", "before", "--batch-size", "1"].map(String::from),
    )
    .unwrap_err();
    assert!(
        err.0.contains("--batch-size") && err.0.contains("batch norm"),
        "{err}"
    );
    let (state, notices) = gradscope::url_state::decode("batch_norm=after&batch_size=1");
    assert_eq!(state.runs[0].batch_size, 32, "back to the default");
    assert_eq!(notices.len(), 1, "{notices:?}");
    // Digits: 1437 training samples; batches of 4 leave one over, which batch norm drops.
    let mut t = Trainer::new(Config {
        batch_size: 4,
        ..bn.clone()
    })
    .unwrap();
    assert_eq!(t.samples_per_epoch(), 1436);
    assert_eq!(t.steps_per_epoch(), 359);
    let r = t.run_epoch().unwrap();
    assert!(r
        .layers
        .iter()
        .all(|l| l.grad_norm > 0.0 && l.grad_norm.is_finite()));
    // Without batch norm nothing is dropped; with an even split nothing either.
    let mut plain = Config {
        batch_size: 4,
        ..bn.clone()
    };
    plain.batch_norm = BatchNormPlacement::None;
    assert_eq!(Trainer::new(plain).unwrap().samples_per_epoch(), 1437);
    let three = Trainer::new(Config {
        batch_size: 3,
        ..bn
    })
    .unwrap();
    assert_eq!(three.samples_per_epoch(), 1437, "1437 = 3 · 479");
}
