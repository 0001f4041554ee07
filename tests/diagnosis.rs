//! The diagnosis rules on real runs of the lessons, and on hand-made records at the edges.

use gradscope::engine::activation::Activation;
use gradscope::engine::config::Config;
use gradscope::engine::diagnose::{diagnose, Verdict};
use gradscope::engine::init::Initializer;
use gradscope::engine::metrics::{EpochRecord, LayerStats, Status};
use gradscope::engine::trainer::Trainer;

fn verdict_after(config: Config, epochs: usize) -> (Verdict, String) {
    let mut t = Trainer::new(Config {
        epochs,
        ..config.clone()
    })
    .unwrap();
    while t.run_epoch().is_some() {}
    let d = diagnose(&config, t.records());
    (
        d.verdict,
        format!("{}\n{:?}\n{:?}", d.headline, d.evidence, d.advice),
    )
}

fn cfg(activation: Activation, init: Initializer) -> Config {
    Config {
        activation,
        init,
        ..Config::default()
    }
}

#[test]
fn the_lessons_get_the_right_verdict() {
    let cases = [
        (
            cfg(Activation::Relu, Initializer::HeNormal),
            0,
            Verdict::Ready,
        ),
        (
            cfg(Activation::Relu, Initializer::HeNormal),
            8,
            Verdict::Healthy,
        ),
        (
            cfg(Activation::Selu, Initializer::LecunNormal),
            0,
            Verdict::Ready,
        ),
        (
            cfg(Activation::Sigmoid, Initializer::GlorotUniform),
            0,
            Verdict::Vanishing,
        ),
        (
            cfg(Activation::Relu, Initializer::Small),
            0,
            Verdict::Vanishing,
        ),
        (
            cfg(Activation::Relu, Initializer::Zeros),
            0,
            Verdict::Vanishing,
        ),
        (
            cfg(Activation::Tanh, Initializer::Large),
            0,
            Verdict::Exploding,
        ),
        (
            cfg(Activation::Relu, Initializer::Large),
            0,
            Verdict::Exploding,
        ),
        (
            Config {
                lr: 10.0,
                ..cfg(Activation::Relu, Initializer::Large)
            },
            5,
            Verdict::Diverged,
        ),
    ];
    for (config, epochs, want) in cases {
        let (got, why) = verdict_after(config.clone(), epochs);
        assert_eq!(
            got,
            want,
            "{} + {} after {epochs} epochs: {why}",
            config.activation.name(),
            config.init.name()
        );
    }
}

#[test]
fn advice_names_the_fix_the_notes_teach() {
    let c = cfg(Activation::Sigmoid, Initializer::GlorotUniform);
    let mut t = Trainer::new(Config {
        epochs: 0,
        ..c.clone()
    })
    .unwrap();
    t.run_epoch();
    let d = diagnose(&c, t.records());
    let all = texts(&d);
    assert!(all.contains("ReLU") && all.contains("He"), "{all}");
    assert!(all.contains("batch normalization"), "{all}");
    let big = Config {
        lr: 10.0,
        ..cfg(Activation::Relu, Initializer::Large)
    };
    let mut t = Trainer::new(Config {
        epochs: 5,
        ..big.clone()
    })
    .unwrap();
    while t.run_epoch().is_some() {}
    let d = diagnose(&big, t.records());
    let all = texts(&d);
    assert!(all.contains("he_normal") && all.contains("Clip"), "{all}");
    // A tenth of the learning rate does not stop weights of sd 1 diverging (tests/advice.rs).
    assert!(!all.contains("Lower the learning rate"), "{all}");
}

fn texts(d: &gradscope::engine::diagnose::Diagnosis) -> String {
    d.advice
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn layer(layer: usize, grad_norm: f64, delta_rms: f64) -> LayerStats {
    LayerStats {
        layer,
        grad_norm,
        clipped_grad_norm: grad_norm,
        delta_rms,
        weight_norm: 1.0,
        update_ratio: Some(1e-3),
        act_mean: 0.0,
        act_std: 1.0,
        saturated: 0.0,
        dead: Some(0.0),
        hist: None,
    }
}

fn record(layers: Vec<LayerStats>, loss: f64) -> EpochRecord {
    EpochRecord {
        epoch: 1,
        train_loss: loss,
        train_accuracy: 0.95,
        val_loss: loss,
        val_accuracy: 0.95,
        status: if loss.is_finite() {
            Status::Ok
        } else {
            Status::Diverged
        },
        layers,
        ..Default::default()
    }
}

#[test]
fn edge_cases_never_panic_and_read_sensibly() {
    let c = Config::default();
    assert_eq!(diagnose(&c, &[]).verdict, Verdict::Waiting);
    // Thresholds: ratio just inside and outside 1e-2.
    let ok = record(
        vec![layer(1, 1.0, 0.02), layer(2, 1.0, 1.0), layer(3, 1.0, 1.0)],
        1.0,
    );
    assert_eq!(diagnose(&c, &[ok]).verdict, Verdict::Healthy);
    let vanish = record(
        vec![layer(1, 1.0, 0.005), layer(2, 1.0, 1.0), layer(3, 1.0, 1.0)],
        1.0,
    );
    assert_eq!(diagnose(&c, &[vanish]).verdict, Verdict::Vanishing);
    // NaN figures with a finite loss, a depth-1 network, an infinite loss.
    let nan = record(
        vec![
            layer(1, f64::NAN, f64::NAN),
            layer(2, 1.0, 1.0),
            layer(3, 1.0, 1.0),
        ],
        1.0,
    );
    let d = diagnose(&c, &[nan]);
    assert_eq!(
        d.verdict,
        Verdict::Diverged,
        "NaN figures are never healthy"
    );
    assert!(
        d.evidence
            .iter()
            .any(|e| e.contains("layer 1's ‖∂L/∂W‖ is NaN")),
        "{:?}",
        d.evidence
    );
    // Any figure will do, in any layer: an infinite activation sd in the output layer.
    let mut inf_sd = record(vec![layer(1, 1.0, 1.0), layer(2, 1.0, 1.0)], 1.0);
    inf_sd.layers[1].act_std = f64::INFINITY;
    let d = diagnose(&c, &[inf_sd]);
    assert_eq!(d.verdict, Verdict::Diverged);
    assert!(
        d.evidence
            .iter()
            .any(|e| e.contains("the output layer's activation sd is +Inf")),
        "{:?}",
        d.evidence
    );
    // A figure that does not apply (None) is not a problem.
    let mut na = record(vec![layer(1, 1.0, 1.0), layer(2, 1.0, 1.0)], 1.0);
    na.layers[1].dead = None;
    na.layers[0].update_ratio = None;
    assert_eq!(diagnose(&c, &[na]).verdict, Verdict::Healthy);
    let shallow = record(vec![layer(1, 0.5, 0.01), layer(2, 1.0, 0.1)], 1.0);
    assert_eq!(diagnose(&c, &[shallow]).verdict, Verdict::Healthy);
    let inf = record(
        vec![layer(1, f64::INFINITY, 1.0), layer(2, 1.0, 1.0)],
        f64::INFINITY,
    );
    let d = diagnose(&c, &[inf]);
    assert_eq!(d.verdict, Verdict::Diverged);
    assert!(d.evidence[0].contains("+Inf"));
    let empty = record(Vec::new(), 1.0);
    assert_eq!(
        diagnose(&c, &[empty]).verdict,
        Verdict::Healthy,
        "no layers: nothing wrong to report"
    );
}

#[test]
fn zero_init_reads_as_no_gradient_without_nan_and_with_one_relevant_tip() {
    for activation in [Activation::Tanh, Activation::Relu] {
        let c = cfg(activation, Initializer::Zeros);
        let mut t = Trainer::new(Config {
            epochs: 1,
            ..c.clone()
        })
        .unwrap();
        while t.run_epoch().is_some() {}
        let d = diagnose(&c, t.records());
        assert_eq!(d.verdict, Verdict::Vanishing);
        let text = format!("{} {:?} {:?}", d.headline, d.evidence, d.advice);
        assert!(!text.contains("NaN"), "{text}");
        assert_eq!(d.advice.len(), 1, "{:?}", d.advice);
        assert!(
            d.advice[0].text.contains("zeros make every unit"),
            "{:?}",
            d.advice
        );
        assert_eq!(d.advice[0].setting, "init");
    }
}

#[test]
fn clipping_is_named_in_the_evidence_and_healthy_gives_the_spread() {
    let c = Config {
        clipping: gradscope::engine::clip::Clipping::Norm(1.0),
        ..cfg(Activation::Relu, Initializer::HeNormal)
    };
    let mut t = Trainer::new(Config {
        epochs: 0,
        ..c.clone()
    })
    .unwrap();
    t.run_epoch();
    let d = diagnose(&c, t.records());
    assert_eq!(d.verdict, Verdict::Ready);
    assert!(d.headline.contains("within"), "{}", d.headline);
    assert!(
        d.evidence.iter().any(|e| e.contains("clipnorm 1.00 is on")),
        "{:?}",
        d.evidence
    );
}

#[test]
fn saturated_tanh_from_large_weights_is_told_to_fix_the_initializer() {
    let c = Config {
        lr: 0.01,
        ..cfg(Activation::Tanh, Initializer::Large)
    };
    let mut t = Trainer::new(Config {
        epochs: 3,
        ..c.clone()
    })
    .unwrap();
    while t.run_epoch().is_some() {}
    let d = diagnose(&c, t.records());
    assert_eq!(d.verdict, Verdict::Vanishing, "{}", d.headline);
    assert_eq!(
        (d.advice[0].setting.as_str(), d.advice[0].value.as_str()),
        ("init", "glorot_uniform"),
        "{:?}",
        d.advice
    );
}

#[test]
fn the_weights_over_time_are_cited_with_their_own_numbers() {
    use gradscope::engine::weight_change::{evidence, norm_change};
    assert_eq!(norm_change(2.0, 2.5), 0.25);
    assert_eq!(norm_change(4.0, 3.0), 0.25);
    // Hand-made: layer 1's norm 1 → 1.00001, the output's 1 → 1.5; last steps 1e-7 and 2e-3.
    let mut a = record(vec![layer(1, 1.0, 1.0), layer(2, 1.0, 1.0)], 1.0);
    a.epoch = 0;
    let mut b = a.clone();
    b.epoch = 10;
    b.layers[0].weight_norm = 1.00001;
    b.layers[0].update_ratio = Some(1e-7);
    b.layers[1].weight_norm = 1.5;
    b.layers[1].update_ratio = Some(2e-3);
    let text = evidence(&[a.clone(), b]).unwrap();
    assert!(
        text.contains("Over 10 epochs, layer 1's weight norm changed by 1.00e-3\u{a0}%"),
        "{text}"
    );
    assert!(
        text.contains("output layer's by 50.0\u{a0}%")
            && text.contains("1.00e-7 of their size")
            && text.contains("(output layer: 2.00e-3)"),
        "{text}"
    );
    assert_eq!(
        evidence(&[a.clone()]),
        None,
        "nothing to cite before a training epoch"
    );
    // A real deep sigmoid net: layer 1's weights move far less than the output layer's, and
    // the diagnosis says so.
    let config = cfg(Activation::Sigmoid, Initializer::GlorotUniform);
    let mut t = Trainer::new(Config {
        epochs: 3,
        ..config.clone()
    })
    .unwrap();
    while t.run_epoch().is_some() {}
    let r = t.records();
    let (first, last) = (&r[0].layers, &r[3].layers);
    let low = norm_change(first[0].weight_norm, last[0].weight_norm);
    let top = norm_change(first[10].weight_norm, last[10].weight_norm);
    assert!(low * 100.0 < top, "layer 1 {low:e} vs output {top:e}");
    let d = diagnose(&config, r);
    assert_eq!(d.verdict, Verdict::Vanishing);
    assert!(
        d.evidence
            .iter()
            .any(|e| e.starts_with("Over 3 epochs, layer 1's weight norm")),
        "{:?}",
        d.evidence
    );
}

#[test]
fn every_verdict_has_a_real_run_that_gets_it_and_none_at_chance_is_healthy() {
    use gradscope::engine::network::BatchNormPlacement;
    let sigmoid = cfg(Activation::Sigmoid, Initializer::GlorotUniform);
    let default = Config::default();
    let cases: Vec<(Verdict, Config, usize)> = vec![
        (
            Verdict::Diverged,
            Config {
                lr: 10.0,
                ..cfg(Activation::Relu, Initializer::Large)
            },
            5,
        ),
        (Verdict::Vanishing, sigmoid.clone(), 0),
        // lr 10 overshoots too, but the vanishing gradient is the first thing to fix.
        (
            Verdict::Vanishing,
            Config {
                lr: 10.0,
                ..sigmoid.clone()
            },
            20,
        ),
        (
            Verdict::Oscillating,
            Config {
                lr: 0.3,
                ..default.clone()
            },
            20,
        ),
        (
            Verdict::Exploding,
            cfg(Activation::Tanh, Initializer::Large),
            0,
        ),
        (
            Verdict::BatchNormLag,
            Config {
                batch_norm: BatchNormPlacement::Before,
                ..sigmoid.clone()
            },
            4,
        ),
        (
            Verdict::Healthy,
            Config {
                batch_norm: BatchNormPlacement::Before,
                ..sigmoid.clone()
            },
            12,
        ),
        (
            Verdict::Stalled,
            Config {
                depth: 2,
                lr: 0.002,
                ..sigmoid.clone()
            },
            20,
        ),
        (
            Verdict::LearningSlowly,
            Config {
                depth: 2,
                ..sigmoid.clone()
            },
            20,
        ),
        (Verdict::Learning, default.clone(), 1),
        (Verdict::Ready, default.clone(), 0),
        (Verdict::Healthy, default.clone(), 20),
        (
            Verdict::Healthy,
            Config {
                lr: 0.3,
                clipping: gradscope::engine::clip::Clipping::GlobalNorm(1.0),
                ..default.clone()
            },
            20,
        ),
    ];
    for (want, config, epochs) in &cases {
        let (got, why) = verdict_after(config.clone(), *epochs);
        assert_eq!(got, *want, "{epochs} epochs of {config:?}: {why}");
    }
    for v in Verdict::ALL {
        let covered = v == Verdict::Waiting || cases.iter().any(|(w, _, _)| *w == v);
        assert!(covered, "no run gets {v:?}");
    }
}

#[test]
fn a_run_near_chance_or_with_a_flat_loss_is_never_healthy() {
    // Hand-made histories at the thresholds: balanced gradients, only the outcome differs.
    let c = Config::default();
    let layers = vec![layer(1, 1.0, 1.0), layer(2, 1.0, 1.0), layer(3, 1.0, 1.0)];
    let history = |accs: &[f64], losses: &[f64]| -> Vec<EpochRecord> {
        accs.iter()
            .zip(losses)
            .enumerate()
            .map(|(epoch, (&a, &l))| EpochRecord {
                epoch,
                train_accuracy: a,
                val_accuracy: a,
                ..record(layers.clone(), l)
            })
            .collect()
    };
    let falling = [2.3, 2.0, 1.6, 1.2, 0.9, 0.7, 0.5];
    // The clip_modes lesson's unclipped run: 40.6 % after 20 epochs was called healthy.
    let v = |accs: &[f64], losses: &[f64]| diagnose(&c, &history(accs, losses)).verdict;
    assert_eq!(
        v(&[0.1, 0.3, 0.4, 0.41, 0.41, 0.406, 0.406], &falling),
        Verdict::LearningSlowly
    );
    assert_eq!(
        v(&[0.1, 0.5, 0.6, 0.7, 0.72, 0.729, 0.729], &falling),
        Verdict::LearningSlowly
    );
    assert_eq!(
        v(&[0.1, 0.5, 0.6, 0.7, 0.72, 0.73, 0.73], &falling),
        Verdict::Healthy
    );
    // Near chance (below 19 %) with a loss that no longer falls: stalled, from epoch 3.
    let flat = [2.31, 2.30, 2.30, 2.30, 2.30, 2.30, 2.30];
    assert_eq!(v(&[0.1, 0.11, 0.12, 0.12], &flat[..4]), Verdict::Stalled);
    assert_eq!(
        v(&[0.1, 0.11, 0.12], &flat[..3]),
        Verdict::Learning,
        "too early to tell"
    );
    assert_eq!(
        v(&[0.1, 0.11, 0.12, 0.19], &flat[..4]),
        Verdict::Learning,
        "19 % is not near chance"
    );
    // The loss rising by more than 0.115 (5 % of ln 10) in two of the last four epochs.
    let bumpy = [2.3, 1.0, 1.2, 0.9, 1.1, 0.8];
    assert_eq!(
        v(&[0.1, 0.6, 0.6, 0.6, 0.6, 0.6], &bumpy),
        Verdict::Oscillating
    );
    let noisy = [2.3, 0.3, 0.45, 0.3, 0.45, 0.3];
    assert_eq!(
        v(&[0.1, 0.6, 0.6, 0.6, 0.6, 0.6], &noisy),
        Verdict::Oscillating
    );
    // … but a bumpy loss in a run above the healthy bar is no reason to change anything.
    assert_eq!(v(&[0.1, 0.9, 0.9, 0.9, 0.9, 0.9], &noisy), Verdict::Healthy);
    let small_noise = [2.3, 0.30, 0.33, 0.30, 0.33, 0.30];
    assert_eq!(
        v(&[0.1, 0.9, 0.9, 0.9, 0.9, 0.9], &small_noise),
        Verdict::Healthy
    );
    // Falling back 15 points from a best above 55 %.
    assert_eq!(
        v(&[0.1, 0.8, 0.9, 0.9, 0.74], &falling[..5]),
        Verdict::Oscillating
    );
    assert_eq!(
        v(&[0.1, 0.8, 0.9, 0.9, 0.76], &falling[..5]),
        Verdict::Healthy
    );
    // Epoch 0 is never healthy: nothing is learned yet.
    assert_eq!(v(&[0.95], &[2.3]), Verdict::Ready);
}
