//! Mean-field theory against the real network: at initialization, the predicted δ rms of each
//! hidden layer (anchored at the measured output layer) follows the measurement.

use gradscope::engine::activation::Activation;
use gradscope::engine::config::Config;
use gradscope::engine::init::Initializer;
use gradscope::engine::theory::predicted_delta_rms;
use gradscope::engine::trainer::Trainer;

fn compare(activation: Activation, init: Initializer, depth: usize) -> Vec<f64> {
    let config = Config {
        activation,
        init,
        depth,
        width: 64,
        epochs: 0,
        ..Config::default()
    };
    let mut t = Trainer::new(config.clone()).unwrap();
    let record = t.run_epoch().unwrap();
    let output = record.layers.last().unwrap().delta_rms;
    let predicted =
        predicted_delta_rms(&config, &t.dataset().train, t.dataset().classes, output).unwrap();
    predicted
        .iter()
        .zip(&record.layers)
        .map(|(p, m)| m.delta_rms / p)
        .collect()
}

#[test]
fn theory_follows_the_measured_gradient_within_a_factor_of_1_5() {
    let cases = [
        (Activation::Relu, Initializer::HeNormal, 20),
        (Activation::Relu, Initializer::GlorotUniform, 20),
        (Activation::Tanh, Initializer::GlorotUniform, 20),
        (Activation::Tanh, Initializer::Large, 10),
        (Activation::Sigmoid, Initializer::GlorotUniform, 10),
        (Activation::Selu, Initializer::LecunNormal, 20),
        (Activation::Linear, Initializer::LecunNormal, 10),
    ];
    let mut report = Vec::new();
    for (a, i, depth) in cases {
        let ratios = compare(a, i, depth);
        let worst = ratios.iter().fold(1.0f64, |w, r| w.max(r.max(1.0 / r)));
        report.push(format!(
            "{}+{}: worst factor {worst:.2}",
            a.name(),
            i.name()
        ));
        assert!(
            worst < 1.5,
            "{}+{}: measured/predicted per layer {ratios:?}",
            a.name(),
            i.name()
        );
    }
    println!("{}", report.join("\n"));
}

#[test]
fn theory_declines_where_it_does_not_apply() {
    let c = Config {
        batch_norm: gradscope::engine::network::BatchNormPlacement::Before,
        ..Config::default()
    };
    let t = Trainer::new(c.clone()).unwrap();
    assert!(predicted_delta_rms(&c, &t.dataset().train, 10, 1e-2).is_none());
    let z = Config {
        init: Initializer::Zeros,
        ..Config::default()
    };
    assert!(predicted_delta_rms(&z, &t.dataset().train, 10, 1e-2).is_none());
}
