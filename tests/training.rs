//! Whole runs: determinism, the lessons the app teaches, divergence, mid-run changes.

use gradscope::engine::activation::Activation;
use gradscope::engine::clip::Clipping;
use gradscope::engine::config::Config;
use gradscope::engine::data::{Dataset, DatasetKind};
use gradscope::engine::init::Initializer;
use gradscope::engine::metrics::{EpochRecord, Status};
use gradscope::engine::network::BatchNormPlacement;
use gradscope::engine::trainer::{RunState, Trainer};

fn run(config: Config) -> Vec<EpochRecord> {
    let mut t = Trainer::new(config).expect("valid config");
    while t.run_epoch().is_some() {}
    t.records().to_vec()
}

fn small(epochs: usize) -> Config {
    Config {
        depth: 3,
        width: 16,
        epochs,
        ..Config::default()
    }
}

#[test]
fn the_same_seed_gives_identical_records() {
    for bn in BatchNormPlacement::ALL {
        let c = Config {
            batch_norm: bn,
            ..small(2)
        };
        assert_eq!(run(c.clone()), run(c));
    }
}

#[test]
fn a_new_weight_seed_changes_the_weights_but_not_the_data_order() {
    let a = Trainer::new(small(3)).unwrap();
    let b = Trainer::new(Config {
        init_seed: 99,
        ..small(3)
    })
    .unwrap();
    assert_ne!(
        a.network().unwrap().dense(0).kernel.value,
        b.network().unwrap().dense(0).kernel.value
    );
    let (mut a, mut b) = (a, b);
    for _ in 0..3 {
        a.run_epoch();
        b.run_epoch();
        assert_eq!(a.data_order(), b.data_order());
    }
    // And a different data seed visits the samples in another order.
    let mut c = Trainer::new(Config {
        seed: 5,
        ..small(3)
    })
    .unwrap();
    c.run_epoch();
    c.run_epoch();
    a.reset(false);
    a.run_epoch();
    a.run_epoch();
    assert_ne!(a.data_order(), c.data_order());
}

#[test]
fn reset_replays_and_reinitialize_draws_new_weights() {
    let mut t = Trainer::new(small(2)).unwrap();
    while t.run_epoch().is_some() {}
    let first = t.records().to_vec();
    t.reset(false);
    while t.run_epoch().is_some() {}
    assert_eq!(
        t.records(),
        &first[..],
        "reset with the same weights replays the run"
    );
    let w0 = t.network().unwrap().dense(0).kernel.value.clone();
    t.reset(true);
    assert_ne!(t.network().unwrap().dense(0).kernel.value, w0);
    assert_eq!(t.config().init_seed, 1);
    assert_eq!(t.records().len(), 0);
}

#[test]
fn epoch_zero_measures_without_updating() {
    let mut t = Trainer::new(Config {
        batch_norm: BatchNormPlacement::Before,
        ..small(1)
    })
    .unwrap();
    let w = t.network().unwrap().dense(0).kernel.value.clone();
    let r = t.run_epoch().unwrap();
    assert_eq!(r.epoch, 0);
    assert_eq!(
        t.network().unwrap().dense(0).kernel.value,
        w,
        "epoch 0 changes no weight"
    );
    let bn = t.network().unwrap().hidden[0].bn.as_ref().unwrap();
    assert!(
        bn.moving_mean.iter().all(|&m| m == 0.0),
        "nor a moving average"
    );
    assert!(r
        .layers
        .iter()
        .all(|l| l.update_ratio == Some(0.0) && l.grad_norm > 0.0));
    assert_eq!(r.layers.len(), 4);
    let r1 = t.run_epoch().unwrap();
    assert_ne!(t.network().unwrap().dense(0).kernel.value, w);
    assert!(r1
        .layers
        .iter()
        .all(|l| l.update_ratio.is_some_and(|u| u > 0.0)));
    assert!(t.run_epoch().is_none());
    assert_eq!(t.state(), RunState::Finished);
}

#[test]
fn epoch_figures_are_in_range_on_a_toy_set() {
    // Ranges only (tests/layer_figures.rs checks every figure against its definition): the
    // xor set's training samples take two batches of 512.
    let mut t = Trainer::new(Config {
        batch_size: 512,
        dataset: DatasetKind::Xor,
        ..small(1)
    })
    .unwrap();
    let r0 = t.run_epoch().unwrap();
    assert_eq!(t.steps_per_epoch(), 2);
    for l in &r0.layers {
        assert!(l.grad_norm.is_finite() && l.delta_rms > 0.0);
        assert!(l.dead.is_none_or(|d| (0.0..=1.0).contains(&d)));
        assert!((0.0..=1.0).contains(&l.saturated));
    }
    assert!((r0.train_loss - std::f64::consts::LN_2).abs() < 0.5);
}

fn best_val(records: &[EpochRecord]) -> f64 {
    records.iter().map(|r| r.val_accuracy).fold(0.0, f64::max)
}

#[test]
fn deep_relu_with_he_learns_the_digits() {
    for seed in 0..3 {
        let records = run(Config {
            depth: 10,
            width: 64,
            activation: Activation::Relu,
            init: Initializer::HeNormal,
            lr: 0.05,
            batch_size: 32,
            epochs: 10,
            seed,
            init_seed: seed,
            ..Config::default()
        });
        let last = records.last().unwrap();
        assert_eq!(last.epoch, 10);
        assert!(
            best_val(&records) >= 0.90,
            "seed {seed}: best val {}",
            best_val(&records)
        );
        assert!(
            last.train_accuracy >= 0.90,
            "seed {seed}: train {}",
            last.train_accuracy
        );
    }
}

#[test]
fn deep_sigmoid_with_glorot_stays_near_chance_and_its_gradient_vanishes() {
    let records = run(Config {
        depth: 10,
        width: 64,
        activation: Activation::Sigmoid,
        init: Initializer::GlorotUniform,
        lr: 0.05,
        epochs: 10,
        ..Config::default()
    });
    assert!(best_val(&records) < 0.25, "best val {}", best_val(&records));
    let first = &records[0].layers;
    // The back-propagated gradient shrinks layer by layer toward the input (σ' ≤ 1/4).
    for w in first.windows(2).take(first.len() - 2) {
        assert!(
            w[0].delta_rms < w[1].delta_rms,
            "{} vs {}",
            w[0].delta_rms,
            w[1].delta_rms
        );
    }
    assert!(first[0].delta_rms < 1e-4 * first[9].delta_rms);
}

#[test]
fn large_weights_and_a_huge_learning_rate_diverge_cleanly() {
    let mut t = Trainer::new(Config {
        init: Initializer::Large,
        lr: 10.0,
        epochs: 20,
        ..Config::default()
    })
    .unwrap();
    while t.run_epoch().is_some() {}
    assert_eq!(t.state(), RunState::Diverged);
    let last = t.records().last().unwrap();
    assert_eq!(last.status, Status::Diverged);
    assert!(!last.train_loss.is_finite());
    assert!(t.records().len() < 21, "the run stopped early");
    assert!(t.step().is_none(), "a diverged run takes no more steps");
}

#[test]
fn learning_rate_and_clipping_change_mid_run_without_reset() {
    let mut t = Trainer::new(small(3)).unwrap();
    t.run_epoch();
    t.run_epoch();
    t.set_learning_rate(1e-6).unwrap();
    t.set_clipping(Clipping::Value(1e-3)).unwrap();
    let r = t.run_epoch().unwrap();
    assert_eq!(r.epoch, 2, "the run went on");
    // Every element of the last step is at most lr·clip = 1e-9: ‖ΔW‖ ≤ √(64·16)·1e-9.
    let first = &r.layers[0];
    let step = first.update_ratio.unwrap() * first.weight_norm;
    assert!(step > 0.0 && step <= 32.0 * 1e-9 * 1.001, "‖ΔW‖ = {step}");
    assert!(t.set_learning_rate(f64::NAN).is_err());
    assert!(t.set_clipping(Clipping::Norm(-1.0)).is_err());
    assert_eq!(
        t.config().lr,
        1e-6,
        "a refused change leaves the setting alone"
    );
}

#[test]
fn out_of_range_configurations_are_refused_not_run() {
    for bad in [
        Config {
            depth: 0,
            ..Config::default()
        },
        Config {
            depth: 101,
            ..Config::default()
        },
        Config {
            width: 1,
            ..Config::default()
        },
        Config {
            lr: f64::INFINITY,
            ..Config::default()
        },
        Config {
            batch_size: 0,
            ..Config::default()
        },
        Config {
            clipping: Clipping::GlobalNorm(0.0),
            ..Config::default()
        },
        Config {
            noise: f64::NAN,
            ..Config::default()
        },
    ] {
        assert!(Trainer::new(bad).is_err());
    }
}

#[test]
fn every_dataset_loads_with_an_80_20_split() {
    for kind in DatasetKind::ALL {
        let d = Dataset::load(kind, 0.2, 0);
        let n = d.train.len() + d.val.len();
        assert_eq!(d.train.len(), n * 4 / 5);
        assert!(d.train.x.iter().all(|v| v.is_finite()));
        assert!(d.train.y.iter().all(|&y| y < d.classes));
        if kind == DatasetKind::Digits {
            assert_eq!((n, d.classes, d.train.features), (1797, 10, 64));
            assert!(d.train.x.iter().all(|&v| (0.0..=1.0).contains(&v)));
            assert!(d.train.x.contains(&1.0));
        }
    }
    assert_eq!(
        Dataset::load(DatasetKind::Digits, 0.0, 0),
        Dataset::load(DatasetKind::Digits, 0.9, 0)
    );
}

/// The rules every run keeps: an "ok" record has a finite loss and finite kernel gradients;
/// a "diverged" record is the last one; the trainer's state says how the run ended.
fn assert_run_rules(c: &Config) {
    let mut t = Trainer::new(c.clone()).unwrap();
    let mut records = Vec::new();
    while let Some(r) = t.run_epoch() {
        records.push(r);
    }
    let what = format!("{c:?}");
    assert!(!records.is_empty(), "{what}");
    for (i, r) in records.iter().enumerate() {
        match r.status {
            Status::Ok => {
                assert!(r.train_loss.is_finite() && r.val_loss.is_finite(), "{what}");
                assert!(r.layers.iter().all(|l| l.grad_norm.is_finite()), "{what}");
                assert!((0.0..=1.0).contains(&r.val_accuracy), "{what}");
            }
            Status::Diverged => assert_eq!(i, records.len() - 1, "diverged is last: {what}"),
        }
    }
    let last = records.last().unwrap();
    let expected = match last.status {
        Status::Ok => RunState::Finished,
        Status::Diverged => RunState::Diverged,
    };
    assert_eq!(t.state(), expected, "{what}");
}

#[test]
fn nothing_panics_across_extreme_configurations() {
    for init in [Initializer::Zeros, Initializer::Large, Initializer::Small] {
        for activation in Activation::ALL {
            for batch_norm in BatchNormPlacement::ALL {
                for batch_size in [1, 2, 512] {
                    if batch_size == 1 && batch_norm != BatchNormPlacement::None {
                        continue; // refused (tests/batch_norm_and_optimizers.rs)
                    }
                    assert_run_rules(&Config {
                        init,
                        activation,
                        batch_norm,
                        batch_size,
                        depth: 30,
                        width: 8,
                        lr: 10.0,
                        epochs: 2,
                        noise: 0.0,
                        dataset: DatasetKind::Spiral,
                        ..Config::default()
                    });
                }
            }
        }
    }
    // The largest network offered, as initialized.
    for batch_norm in [BatchNormPlacement::None, BatchNormPlacement::After] {
        assert_run_rules(&Config {
            depth: 100,
            width: 512,
            batch_norm,
            epochs: 0,
            ..Config::default()
        });
    }
}

#[test]
fn dead_units_are_reported_for_relu_family_hidden_layers_only() {
    use gradscope::engine::activation::Activation;
    use gradscope::engine::init::Initializer;
    let run = |activation, init| {
        let mut t = Trainer::new(Config {
            depth: 3,
            width: 16,
            activation,
            init,
            epochs: 0,
            ..Config::default()
        })
        .unwrap();
        t.run_epoch().unwrap()
    };
    for a in [Activation::Relu, Activation::LeakyRelu] {
        let r = run(a, Initializer::HeNormal);
        assert!(r.layers[..3].iter().all(|l| l.dead.is_some()), "{a:?}");
        assert_eq!(
            r.layers[3].dead, None,
            "{a:?}: the logits have no dead units"
        );
    }
    // Zero init: every tanh unit outputs 0, yet none is "dead" — that is symmetry.
    let r = run(Activation::Tanh, Initializer::Zeros);
    assert!(r.layers.iter().all(|l| l.dead.is_none()));
    let r = run(Activation::Selu, Initializer::Small);
    assert!(r.layers.iter().all(|l| l.dead.is_none()));
    // ReLU with all-zero weights: every input is 0 (≤ 0), so every hidden unit is dead.
    let r = run(Activation::Relu, Initializer::Zeros);
    assert!(r.layers[..3].iter().all(|l| l.dead == Some(1.0)));
}

#[test]
fn update_ratio_is_zero_when_nothing_moved_and_undefined_only_for_moving_zero_weights() {
    use gradscope::engine::init::Initializer;
    use gradscope::engine::metrics::update_ratio;
    assert_eq!(update_ratio(0.0, 0.0), Some(0.0));
    assert_eq!(update_ratio(0.0, 2.0), Some(0.0));
    assert_eq!(update_ratio(1e-3, 0.0), None);
    assert_eq!(update_ratio(1e-3, 2.0), Some(5e-4));
    // Zero init: no gradient reaches the hidden kernels, so they never move (ratio 0, not NaN).
    let mut t = Trainer::new(Config {
        depth: 2,
        width: 8,
        init: Initializer::Zeros,
        epochs: 1,
        ..Config::default()
    })
    .unwrap();
    t.run_epoch();
    let r = t.run_epoch().unwrap();
    // Every activation is 0, so even the output kernel's gradient (activations × δ) is 0:
    // only the biases learn. Nothing moved anywhere: 0, never NaN.
    for l in &r.layers {
        assert_eq!(l.update_ratio, Some(0.0), "layer {}", l.layer);
    }
    let json = serde_json::to_value(&r).unwrap();
    assert!(
        json["layers"][2]["dead"].is_null(),
        "the output layer's dead is null"
    );
    assert_eq!(json["layers"][0]["dead"], 1.0);
}

#[test]
fn epoch_zero_so_far_is_the_mean_of_the_batches_measured_and_ends_as_the_record() {
    let mut t = Trainer::new(Config {
        depth: 4,
        width: 16,
        activation: Activation::Tanh,
        ..small(2)
    })
    .unwrap();
    assert!(t.epoch_so_far().is_none(), "nothing measured yet");
    assert!(t.step().is_none());
    let first = t.epoch_so_far().expect("one batch measured");
    assert_eq!(first.steps, 1);
    assert_eq!(first.grad_norm.len(), 5, "every Dense layer");
    assert!(first
        .grad_norm
        .iter()
        .chain(&first.delta_rms)
        .all(|v| v.is_finite() && *v > 0.0));
    // Every batch of epoch 0 updates the figures so far, counted in steps.
    let record = loop {
        if let Some(r) = t.step() {
            break r;
        }
        let so_far = t.epoch_so_far().unwrap();
        assert_eq!(so_far.steps, t.steps_into_epoch());
    };
    assert_eq!(record.epoch, 0);
    // The last partial mean over all batches is exactly what the record holds.
    let steps = t.steps_per_epoch();
    let mut again = Trainer::new(t.config().clone()).unwrap();
    for _ in 0..steps - 1 {
        assert!(again.step().is_none());
    }
    let before_last = again.epoch_so_far().unwrap();
    assert_eq!(before_last.steps, steps - 1);
    let rec = again.step().expect("the epoch-0 record");
    for (l, layer) in rec.layers.iter().enumerate() {
        assert_eq!(layer.grad_norm, record.layers[l].grad_norm, "deterministic");
        // mean over n = (mean over n−1 · (n−1) + last) / n: the record extends the partial.
        let last = layer.grad_norm * steps as f64 - before_last.grad_norm[l] * (steps - 1) as f64;
        assert!(
            last > 0.0 && last.is_finite(),
            "layer {l}: the last batch's own figure"
        );
    }
    assert!(t.epoch_so_far().is_none(), "epoch 1 has no batch yet");
    // Epoch 1 (training now): each step's figures so far, for the Step button's bars.
    assert!(t.step().is_none());
    let one = t.epoch_so_far().expect("epoch 1's first batch");
    assert_eq!((one.epoch, one.steps), (1, 1));
    let mut last = one;
    let record = loop {
        match t.step() {
            Some(r) => break r,
            None => last = t.epoch_so_far().unwrap(),
        }
    };
    assert_eq!((record.epoch, last.epoch, last.steps), (1, 1, steps - 1));
    for (l, layer) in record.layers.iter().enumerate() {
        let own = layer.delta_rms * steps as f64 - last.delta_rms[l] * (steps - 1) as f64;
        assert!(
            own > 0.0 && own.is_finite(),
            "layer {l}: the record extends the partial mean"
        );
    }
}
