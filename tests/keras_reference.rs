//! The engine against Keras on the same experiments: identical weights and batch in, the same
//! loss, gradients, batch-norm moving statistics, weights after two optimizer steps (with L2
//! and clipping too) and evaluation-mode logits out.
//! The reference values come from `tools/keras_reference.py` (TensorFlow/Keras in float64);
//! this test only reads them, so it needs no TensorFlow.

use gradscope::engine::activation::Activation;
use gradscope::engine::batch_norm::Mode;
use gradscope::engine::clip::Clipping;
use gradscope::engine::init::Initializer;
use gradscope::engine::matrix::Matrix;
use gradscope::engine::network::{Architecture, BatchNormPlacement, Network};
use gradscope::engine::optim::{Optimizer, OptimizerKind};
use rand::SeedableRng;
use serde_json::Value;

fn flat(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(items) => items.iter().flat_map(flat).collect(),
        Value::Number(n) => vec![n.as_f64().expect("a number")],
        other => panic!("unexpected {other}"),
    }
}

/// Largest |a − b| relative to the variable's scale max(max|b|, 1e-6), so that entries near 0
/// (a bias just before batch norm has a true gradient of 0) do not blow up the ratio.
fn worst(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    let scale = b.iter().fold(1e-6f64, |m, v| m.max(v.abs()));
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
        / scale
}

#[test]
fn the_engine_computes_what_keras_computes() {
    let text = std::fs::read_to_string("tests/data/keras_reference.json")
        .expect("tests/data/keras_reference.json (made by tools/keras_reference.py)");
    let data: Value = serde_json::from_str(&text).unwrap();
    let shape = &data["shape"];
    let size = |k: &str| shape[k].as_u64().unwrap() as usize;
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() >= 30);
    let (mut max_grad_err, mut max_step_err, mut max_eval_err) = (0.0f64, 0.0f64, 0.0f64);
    for case in cases {
        let name = format!(
            "{}/{}/{}/{}",
            case["activation"], case["batch_norm"], case["optimizer"], case["clipping"]
        );
        let arch = Architecture {
            inputs: size("inputs"),
            classes: size("classes"),
            depth: size("depth"),
            width: size("width"),
            activation: Activation::from_name(case["activation"].as_str().unwrap()).unwrap(),
            init: Initializer::Zeros,
            batch_norm: BatchNormPlacement::from_name(case["batch_norm"].as_str().unwrap())
                .unwrap(),
        };
        let mut net = Network::<f64>::new(arch, &mut rand_chacha::ChaCha8Rng::seed_from_u64(0));
        let start = case["start"].as_array().unwrap();
        for (p, v) in net.params_mut().into_iter().zip(start) {
            p.value = flat(v);
        }
        let x = flat(&case["x"]);
        let labels: Vec<usize> = flat(&case["y"]).iter().map(|&v| v as usize).collect();
        let x = Matrix::from_vec(labels.len(), arch.inputs, x);

        // Loss and every gradient, in training mode (batch statistics).
        let l2 = case["l2"].as_f64().unwrap_or(0.0);
        let step = net.compute_gradients(&x, &labels, Mode::Train, l2);
        let loss = case["loss"].as_f64().unwrap();
        assert!(
            (step.loss - loss).abs() < 1e-8 * loss.abs().max(1.0),
            "{name}: loss {} vs {loss}",
            step.loss
        );
        let grads = case["grads"].as_array().unwrap();
        for (i, (p, g)) in net.params_mut().into_iter().zip(grads).enumerate() {
            let err = worst(&p.grad, &flat(g));
            max_grad_err = max_grad_err.max(err);
            assert!(
                err < 1e-6,
                "{name}: gradient of variable {i} differs by {err:.1e}"
            );
        }
        // Moving statistics after one training call.
        let stats = case["moving_after_one_call"].as_array().unwrap();
        let bns: Vec<_> = net.hidden.iter().filter_map(|h| h.bn.as_ref()).collect();
        assert_eq!(bns.len(), stats.len(), "{name}");
        for (bn, s) in bns.iter().zip(stats) {
            assert!(
                worst(&bn.moving_mean, &flat(&s[0])) < 1e-6,
                "{name}: moving mean"
            );
            assert!(
                worst(&bn.moving_var, &flat(&s[1])) < 1e-6,
                "{name}: moving variance"
            );
        }

        // Two optimizer steps with clipping, as Keras' apply_gradients does them.
        let kind = OptimizerKind::from_name(case["optimizer"].as_str().unwrap()).unwrap();
        let lr = if kind == OptimizerKind::Adam {
            0.01
        } else {
            0.1
        };
        let clipping = match &case["clipping"] {
            Value::Null => Clipping::Off,
            c => Clipping::from_parts(
                c["mode"].as_str().unwrap(),
                c["threshold"].as_f64().unwrap(),
            )
            .unwrap(),
        };
        let mut opt = Optimizer::new(kind);
        for s in 0..2 {
            if s > 0 {
                net.compute_gradients(&x, &labels, Mode::Train, l2);
            }
            let mut params = net.params_mut();
            clipping.apply(&mut params);
            opt.step(&mut params, lr, false);
        }
        let after = case["after_two_steps"].as_array().unwrap();
        for (i, (p, w)) in net.params_mut().into_iter().zip(after).enumerate() {
            let err = worst(&p.value, &flat(w));
            max_step_err = max_step_err.max(err);
            // Keras computes Adam's bias corrections 1 − βᵗ with β rounded to float32 even in
            // float64 (0.99000013 instead of 0.99000006 after one step from w = 1, g = 0.5),
            // so Adam agrees to ~1e-7 rather than ~1e-15. The engine trains in f32 anyway.
            assert!(
                err < 1e-6,
                "{name}: variable {i} after two steps differs by {err:.1e}"
            );
        }
        // Evaluation mode after those steps: batch norm normalizes with its moving statistics.
        let logits = net.forward(&x, Mode::Eval).data.clone();
        let err = worst(&logits, &flat(&case["eval_logits_after_two_steps"]));
        max_eval_err = max_eval_err.max(err);
        // After Adam the weights already differ by ~2e-7 (β in float32, above); three layers
        // of batch norm carry that to the logits a few times over.
        let tolerance = if kind == OptimizerKind::Adam {
            1e-5
        } else {
            1e-6
        };
        assert!(
            err < tolerance,
            "{name}: evaluation-mode logits differ by {err:.1e}"
        );
    }
    assert!(
        cases
            .iter()
            .filter(|c| c["l2"].as_f64().unwrap_or(0.0) > 0.0)
            .count()
            >= 3,
        "L2 combined with clipping is covered"
    );
    // Keras keeps some constants (leaky ReLU's 0.01, Adam's β) in float32: agreement is ~1e-8.
    println!("{} cases; worst relative difference: gradients {max_grad_err:.1e}, weights after two steps {max_step_err:.1e}, evaluation-mode logits {max_eval_err:.1e}", cases.len());
}
