//! Every figure of the per-layer record against values computed independently, by hand in
//! numpy (`tools/layer_figures.py` → `tests/data/layer_figures.json`), on one- and two-layer
//! networks: ReLU with dead units, tanh and sigmoid with saturated ones, several steps per
//! epoch (means over steps) and an SGD step (weight norm, update ratio); and each layer's five
//! histograms (counts exactly, percentiles to 1e-4 relative).

use gradscope::engine::activation::Activation;
use gradscope::engine::config::Config;
use gradscope::engine::data::{Dataset, DatasetKind, Samples};
use gradscope::engine::metrics::EpochRecord;
use gradscope::engine::trainer::Trainer;
use serde_json::Value;

fn floats(v: &Value) -> Vec<f32> {
    match v {
        Value::Array(a) => a.iter().flat_map(floats).collect(),
        x => vec![x.as_f64().unwrap() as f32],
    }
}

fn samples(x: &Value, y: &Value) -> Samples {
    let rows = x.as_array().unwrap();
    Samples {
        features: rows[0].as_array().unwrap().len(),
        x: floats(x),
        y: y.as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect(),
    }
}

/// Trains the case's network with the engine, weights and data as in the reference.
fn engine_records(case: &Value, batch: usize, epochs: usize) -> Vec<EpochRecord> {
    let activation = Activation::from_name(case["activation"].as_str().unwrap()).unwrap();
    let config = Config {
        depth: case["depth"].as_u64().unwrap() as usize,
        width: case["width"].as_u64().unwrap() as usize,
        activation,
        batch_size: batch,
        epochs,
        lr: case["lr"].as_f64().unwrap(),
        ..Config::default()
    };
    let data = Dataset {
        kind: DatasetKind::Digits,
        classes: case["classes"].as_u64().unwrap() as usize,
        train: samples(&case["x"], &case["y"]),
        val: samples(&case["val_x"], &case["val_y"]),
    };
    let mut t = Trainer::with_data(config, data).unwrap();
    t.set_histograms(true);
    let net = t.network_mut().expect("an MLP");
    let kernels = case["kernels"].as_array().unwrap();
    for (l, k) in kernels.iter().enumerate() {
        let dense = if l < net.hidden.len() {
            &mut net.hidden[l].dense
        } else {
            &mut net.output
        };
        let values = floats(k);
        assert_eq!(values.len(), dense.kernel.value.len());
        dense.kernel.value = values;
    }
    let mut out = Vec::new();
    while let Some(r) = t.run_epoch() {
        out.push(r);
    }
    out
}

fn close(got: f64, want: f64, what: &str) {
    // f32 training against f64 numpy: relative 1e-4, or 1e-6 absolute near 0.
    let ok = (got - want).abs() <= 1e-4 * want.abs().max(1e-2);
    assert!(ok, "{what}: engine {got:e}, reference {want:e}");
}

/// One histogram against numpy's: the same edges (to rounding), the same counts exactly, the
/// percentiles to 1e-4 relative.
fn compare_histogram(got: &Value, want: &Value, edges: &Value, what: &str) {
    let want_edges = edges[want["edges"].as_str().unwrap()].as_array().unwrap();
    let got_edges = got["edges"].as_array().unwrap();
    assert_eq!(got_edges.len(), want_edges.len(), "{what} edges");
    for (g, w) in got_edges.iter().zip(want_edges) {
        let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
        assert!((g - w).abs() <= 1e-12 * w.abs(), "{what} edge {g} vs {w}");
    }
    for k in ["counts", "zeros", "nans", "infs"] {
        assert_eq!(got[k], want[k], "{what} {k}");
    }
    let (g, w) = (
        got["percentiles"].as_array().unwrap(),
        want["percentiles"].as_array().unwrap(),
    );
    assert_eq!(g.len(), 9);
    for (i, (g, w)) in g.iter().zip(w).enumerate() {
        close(
            g.as_f64().unwrap(),
            w.as_f64().unwrap(),
            &format!("{what} percentile {i}"),
        );
    }
}

fn compare(case: &Value, key: &str, records: &[EpochRecord], edges: &Value) {
    let want = case[key].as_array().unwrap();
    assert_eq!(records.len(), want.len());
    for (r, w) in records.iter().zip(want) {
        let at = format!("{} {key} epoch {}", case["name"], r.epoch);
        for f in ["train_loss", "train_accuracy", "val_loss", "val_accuracy"] {
            let got = serde_json::to_value(r).unwrap()[f].as_f64().unwrap();
            close(got, w[f].as_f64().unwrap(), &format!("{at} {f}"));
        }
        let layers = w["layers"].as_array().unwrap();
        assert_eq!(r.layers.len(), layers.len());
        for (l, wl) in r.layers.iter().zip(layers) {
            let here = format!("{at} layer {}", l.layer);
            close(
                l.grad_norm,
                wl["grad_norm"].as_f64().unwrap(),
                &format!("{here} grad_norm"),
            );
            close(
                l.delta_rms,
                wl["delta_rms"].as_f64().unwrap(),
                &format!("{here} delta_rms"),
            );
            close(
                l.weight_norm,
                wl["weight_norm"].as_f64().unwrap(),
                &format!("{here} weight_norm"),
            );
            close(
                l.update_ratio.unwrap(),
                wl["update_ratio"].as_f64().unwrap(),
                &format!("{here} update_ratio"),
            );
            close(
                l.act_mean,
                wl["act_mean"].as_f64().unwrap(),
                &format!("{here} act_mean"),
            );
            close(
                l.act_std,
                wl["act_std"].as_f64().unwrap(),
                &format!("{here} act_std"),
            );
            // Fractions of counted items: exact.
            assert_eq!(
                l.saturated,
                wl["saturated"].as_f64().unwrap(),
                "{here} saturated"
            );
            assert_eq!(l.dead, wl["dead"].as_f64(), "{here} dead");
            let hist = l.histograms().expect("histograms on").json();
            for q in gradscope::engine::layer_histograms::QUANTITIES {
                compare_histogram(&hist[q], &wl["hist"][q], edges, &format!("{here} {q}"));
            }
        }
    }
}

#[test]
fn every_per_layer_figure_matches_its_definition() {
    let text = include_str!("data/layer_figures.json");
    let file: Value = serde_json::from_str(text).unwrap();
    let (edges, cases) = (&file["edges"], file["cases"].as_array().unwrap());
    assert_eq!(cases.len(), 3);
    let mut seen_dead = false;
    let mut seen_saturated = false;
    for case in cases {
        let batch = case["batch"].as_u64().unwrap() as usize;
        let train = case["train"].as_u64().unwrap() as usize;
        let epochs = case["epochs"].as_u64().unwrap() as usize;
        assert!(
            train / batch >= 2,
            "several steps in epoch 0: means over steps are tested"
        );
        compare(case, "batched", &engine_records(case, batch, 0), edges);
        compare(case, "full", &engine_records(case, train, epochs), edges);
        for r in case["batched"].as_array().unwrap() {
            for l in r["layers"].as_array().unwrap() {
                seen_dead |= l["dead"].as_f64().is_some_and(|d| d > 0.0 && d < 1.0);
                seen_saturated |= l["saturated"].as_f64().is_some_and(|s| s > 0.0 && s < 1.0);
            }
        }
    }
    assert!(
        seen_dead && seen_saturated,
        "the cases exercise dead and saturated units"
    );
}
