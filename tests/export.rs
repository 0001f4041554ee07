//! The Export menu's files: names after the experiment, CSV and JSON with every run and every
//! epoch, non-finite numbers handled, and JSON records that are the CLI's `--json` lines.

use gradscope::cli::json_line;
use gradscope::engine::activation::Activation;
use gradscope::engine::config::Config;
use gradscope::engine::init::Initializer;
use gradscope::engine::metrics::{EpochRecord, LayerStats, Status};
use gradscope::engine::settings::SETTINGS;
use gradscope::export::{csv_header, file_name, records_csv, records_json, runs_of};
use gradscope::store::Store;

fn layer(layer: usize, g: f64) -> LayerStats {
    LayerStats {
        layer,
        grad_norm: g,
        clipped_grad_norm: g * 0.75,
        delta_rms: g / 2.0,
        weight_norm: 1.5,
        update_ratio: if layer == 1 { None } else { Some(1e-3) },
        act_mean: 0.1,
        act_std: 0.2,
        saturated: 0.0,
        dead: Some(0.25),
        hist: None,
    }
}

fn record(epoch: usize, layers: usize, loss: f64) -> EpochRecord {
    EpochRecord {
        epoch,
        train_loss: loss,
        train_accuracy: 0.5,
        val_loss: loss,
        val_accuracy: 0.25,
        status: if loss.is_finite() {
            Status::Ok
        } else {
            Status::Diverged
        },
        layers: (1..=layers).map(|l| layer(l, 0.1 * l as f64)).collect(),
        ..Default::default()
    }
}

/// Two runs: run 1 (depth 3) with 4 epochs, the last diverged (NaN loss, an Inf gradient);
/// run 2 (depth 2) with 3 epochs.
fn store() -> Store {
    let a = Config {
        depth: 3,
        activation: Activation::Sigmoid,
        init: Initializer::GlorotUniform,
        ..Config::default()
    };
    let mut b = a.clone();
    b.depth = 2;
    b.lr = 0.05;
    let mut store = Store::new(vec![a, b], None);
    let (ia, ib) = (store.runs()[0].id, store.runs()[1].id);
    for e in 0..3 {
        assert!(store.add_record(ia, record(e, 4, 1.0 / (e + 1) as f64)));
        assert!(store.add_record(ib, record(e, 3, 2.0)));
    }
    let mut bad = record(3, 4, f64::NAN);
    bad.layers[2].grad_norm = f64::INFINITY;
    assert!(store.add_record(ia, bad));
    store
}

#[test]
fn file_names_follow_the_experiment() {
    let c = Config {
        depth: 10,
        activation: Activation::Sigmoid,
        init: Initializer::GlorotUniform,
        ..Config::default()
    };
    assert_eq!(
        file_name(None, &c, 1, Some(12), "", "png"),
        "gradscope-sigmoid-glorot_uniform-depth10-epoch12.png"
    );
    assert_eq!(
        file_name(None, &c, 3, Some(0), "bars", "svg"),
        "gradscope-sigmoid-glorot_uniform-depth10-epoch0-compare3-bars.svg"
    );
    assert_eq!(
        file_name(None, &c, 1, None, "records", "csv"),
        "gradscope-sigmoid-glorot_uniform-depth10-records.csv"
    );
    // Nothing that a file system or a download attribute could misread.
    let odd = file_name(None, &c, 2, Some(1), "a/b c", "js?on");
    assert_eq!(
        odd,
        "gradscope-sigmoid-glorot_uniform-depth10-epoch1-compare2-abc.json"
    );
    // A lesson names what its runs compare better than run 1's settings do.
    assert_eq!(
        file_name(Some("init_scale"), &c, 3, Some(20), "bars", "png"),
        "gradscope-init_scale-epoch20-compare3-bars.png"
    );
}

/// Splits a CSV line (the exporter quotes only fields with commas or quotes).
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

#[test]
fn csv_has_a_row_per_run_epoch_and_layer_with_the_settings() {
    let store = store();
    let csv = records_csv(&runs_of(&store));
    let mut lines = csv.lines();
    let header = fields(lines.next().unwrap());
    assert_eq!(header, fields(&csv_header()));
    assert_eq!(header[0], "run");
    assert_eq!(header[1], "label");
    for s in SETTINGS {
        assert!(header.iter().any(|h| h == s.key), "a column for {}", s.key);
    }
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<Vec<String>> = lines.map(fields).collect();
    assert!(
        rows.iter().all(|r| r.len() == header.len()),
        "every row is complete"
    );
    // Run 1: 4 epochs × 4 layers; run 2: 3 epochs × 3 layers.
    assert_eq!(rows.len(), 4 * 4 + 3 * 3);
    for (run, epochs, layers, depth) in [("1", 4, 4, "3"), ("2", 3, 3, "2")] {
        for e in 0..epochs {
            let n = rows
                .iter()
                .filter(|r| r[col("run")] == run && r[col("epoch")] == e.to_string())
                .inspect(|r| assert_eq!(r[col("depth")], depth))
                .count();
            assert_eq!(n, layers, "run {run} epoch {e}");
        }
    }
    assert!(rows.iter().all(|r| r[col("activation")] == "sigmoid"));
    let labels = store.labels();
    assert!(rows
        .iter()
        .all(|r| r[col("label")] == labels[r[col("run")].parse::<usize>().unwrap() - 1]));
    let diverged: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[col("status")] == "diverged")
        .collect();
    assert_eq!(diverged.len(), 4);
    assert_eq!(diverged[0][col("train_loss")], "NaN");
    assert_eq!(diverged[2][col("grad_norm")], "inf");
    // An undefined update ratio is an empty cell; a number reads back exactly.
    assert_eq!(rows[0][col("update_ratio")], "");
    assert_eq!(rows[1][col("update_ratio")].parse::<f64>().unwrap(), 1e-3);
    assert_eq!(rows[4][col("train_loss")].parse::<f64>().unwrap(), 0.5);
    assert_eq!(rows.last().unwrap()[col("lr")], "0.05");
}

#[test]
fn json_groups_records_per_run_with_the_config_and_the_clis_schema() {
    let store = store();
    let text = records_json(&runs_of(&store));
    let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    for (i, run) in runs.iter().enumerate() {
        let stored = &store.runs()[i];
        assert_eq!(run["run"], i + 1);
        assert_eq!(
            run["label"],
            store.labels()[i].as_str(),
            "what sets the run apart"
        );
        assert_eq!(run["config"]["depth"], stored.config.depth);
        assert_eq!(run["config"]["activation"], "sigmoid");
        assert_eq!(run["config"]["lr"], stored.config.lr);
        let records = run["records"].as_array().unwrap();
        assert_eq!(records.len(), stored.records().len(), "every epoch");
        for (k, r) in records.iter().enumerate() {
            // Exactly the object `gradscope train --json` prints for that epoch, with the
            // run's verdict at that epoch.
            let upto = &stored.records()[..=k];
            let line: serde_json::Value =
                serde_json::from_str(&json_line(&stored.config, upto)).unwrap();
            assert_eq!(r, &line);
            let verdict = gradscope::engine::diagnose::diagnose(&stored.config, upto).verdict;
            assert_eq!(r["verdict"], verdict.id());
            assert!(r["advice"].is_array());
        }
    }
    let last = &runs[0]["records"][3];
    assert!(last["train_loss"].is_null(), "NaN is null, as in the CLI");
    assert!(last["layers"][2]["grad_norm"].is_null(), "Inf is null too");
    assert_eq!(last["status"], "diverged");
    assert!(runs[0]["records"][0]["layers"][0]["update_ratio"].is_null());
}

#[test]
fn an_empty_run_still_appears() {
    let store = Store::new(vec![Config::default()], None);
    let doc: serde_json::Value = serde_json::from_str(&records_json(&runs_of(&store))).unwrap();
    assert_eq!(doc["runs"][0]["records"].as_array().unwrap().len(), 0);
    assert_eq!(records_csv(&runs_of(&store)).lines().count(), 1);
}

#[test]
fn the_distributions_csv_has_every_bin_count_and_percentile_of_every_layer() {
    use gradscope::engine::trainer::Trainer;
    use gradscope::export::{histograms_csv, RunRecords};
    let config = Config {
        depth: 2,
        width: 8,
        epochs: 1,
        ..Config::default()
    };
    let mut t = Trainer::new(config.clone()).unwrap();
    t.set_histograms(true);
    while t.run_epoch().is_some() {}
    let runs = [RunRecords {
        number: 1,
        label: "Run 1".into(),
        config: &config,
        records: t.records(),
    }];
    let csv = histograms_csv(&runs);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("run,label,epoch,layer,quantity,what,lo,hi,value")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.iter().all(|r| r.len() == 9));
    // Per epoch, layer and quantity: the bins' counts and those apart add up to the values
    // measured (the activations: 360 validation digits × 8 units).
    let count = |epoch: &str, layer: &str, q: &str| -> u64 {
        rows.iter()
            .filter(|r| r[2] == epoch && r[3] == layer && r[4] == q && r[5] != "percentile")
            .map(|r| r[8].parse::<u64>().unwrap())
            .sum()
    };
    assert_eq!(count("0", "1", "activation"), 360 * 8);
    assert_eq!(count("1", "2", "weight"), 8 * 8);
    assert_eq!(count("1", "3", "gradient"), 8 * 10);
    let percentiles = rows
        .iter()
        .filter(|r| r[2] == "1" && r[3] == "1" && r[4] == "delta" && r[5] == "percentile");
    assert_eq!(percentiles.count(), 9);
    // No histograms measured: only the header.
    let plain = Trainer::new(config.clone()).unwrap().run_epoch().unwrap();
    let none = [RunRecords {
        number: 1,
        label: "Run 1".into(),
        config: &config,
        records: std::slice::from_ref(&plain),
    }];
    assert_eq!(histograms_csv(&none).lines().count(), 1);
}
