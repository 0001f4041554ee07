//! `clipped_grad_norm`, the kernel's gradient after clipping, obeys what each clipping mode
//! promises, on real training runs over many configurations.

use gradscope::engine::activation::Activation;
use gradscope::engine::clip::Clipping;
use gradscope::engine::config::Config;
use gradscope::engine::init::Initializer;
use gradscope::engine::metrics::EpochRecord;
use gradscope::engine::trainer::Trainer;
use proptest::prelude::*;

/// Trains `config` for three epochs; returns the records and each Dense kernel's size.
fn train(config: Config) -> (Vec<EpochRecord>, Vec<usize>) {
    let mut t = Trainer::new(Config {
        epochs: 3,
        ..config
    })
    .unwrap();
    while t.run_epoch().is_some() {}
    let net = t.network();
    let sizes = (0..net.unwrap().dense_count())
        .map(|l| net.unwrap().dense(l).kernel.value.len())
        .collect();
    (t.records().to_vec(), sizes)
}

/// f32 rounding of a rescaled gradient: a norm may land a few ulps above its cap.
const ROUNDING: f64 = 1e-5;

fn config_strategy() -> impl Strategy<Value = Config> {
    let activations = prop::sample::select(vec![
        Activation::Relu,
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Elu,
    ]);
    let inits = prop::sample::select(vec![
        Initializer::HeNormal,
        Initializer::GlorotUniform,
        Initializer::Large,
        Initializer::Small,
    ]);
    let clipping = prop_oneof![
        Just(Clipping::Off),
        (0.01f64..5.0).prop_map(Clipping::Value),
        (0.01f64..5.0).prop_map(Clipping::Norm),
        (0.01f64..5.0).prop_map(Clipping::GlobalNorm),
    ];
    (
        activations,
        inits,
        clipping,
        1usize..6,
        0.001f64..0.5,
        0u64..1000,
    )
        .prop_map(|(activation, init, clipping, depth, lr, seed)| Config {
            activation,
            init,
            clipping,
            depth,
            width: 16,
            lr,
            seed,
            init_seed: seed,
            ..Config::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn each_mode_caps_the_clipped_gradient_as_it_promises(config in config_strategy()) {
        let (records, sizes) = train(config.clone());
        for r in &records {
            let finite = r.layers.iter().all(|l| l.grad_norm.is_finite());
            for (l, size) in r.layers.iter().zip(&sizes) {
                let (raw, clipped) = (l.grad_norm, l.clipped_grad_norm);
                match config.clipping {
                    Clipping::Off => prop_assert_eq!(raw.to_bits(), clipped.to_bits()),
                    Clipping::Norm(c) if finite => prop_assert!(clipped <= c * (1.0 + ROUNDING),
                        "epoch {} layer {}: {} > clipnorm {}", r.epoch, l.layer, clipped, c),
                    Clipping::Value(v) if finite => {
                        let cap = v * (*size as f64).sqrt();
                        prop_assert!(clipped <= cap * (1.0 + ROUNDING),
                            "epoch {} layer {}: {} > {}·√{}", r.epoch, l.layer, clipped, v, size);
                    }
                    _ => {}
                }
                // Clipping only ever shortens a gradient.
                if finite {
                    prop_assert!(clipped <= raw * (1.0 + ROUNDING),
                        "epoch {} layer {}: clipped {} > raw {}", r.epoch, l.layer, clipped, raw);
                }
            }
            if let (Clipping::GlobalNorm(c), true) = (config.clipping, finite) {
                // Per step the kernels and biases together have norm ≤ c, so the kernels alone
                // do; the mean over steps keeps it (the norm of a mean ≤ the mean of norms).
                let joint = r.layers.iter().map(|l| l.clipped_grad_norm.powi(2)).sum::<f64>().sqrt();
                prop_assert!(joint <= c * (1.0 + ROUNDING), "epoch {}: {} > {}", r.epoch, joint, c);
            }
        }
    }
}

#[test]
fn a_tight_clip_shortens_the_gradient_and_the_measuring_pass_shows_it() {
    // He-initialized ReLU at depth 10: ‖∂L/∂W‖ is about 0.5 per kernel at epoch 0, so
    // clipnorm 0.1 cuts every kernel to exactly 0.1 in every step, epoch 0 included.
    let (records, _) = train(Config {
        clipping: Clipping::Norm(0.1),
        ..Config::default()
    });
    for r in &records {
        for l in &r.layers {
            assert!(
                l.grad_norm > 0.2,
                "epoch {} layer {}: {}",
                r.epoch,
                l.layer,
                l.grad_norm
            );
            assert!(
                (l.clipped_grad_norm - 0.1).abs() < 1e-6,
                "epoch {} layer {}: {}",
                r.epoch,
                l.layer,
                l.clipped_grad_norm
            );
        }
    }
}
