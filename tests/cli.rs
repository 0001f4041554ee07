//! The command line as a user runs it: output formats, errors, exit codes.

use std::process::{Command, Output};

fn gradscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gradscope"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn epochs_zero_prints_only_the_initial_record() {
    let o = gradscope(&[
        "train", "--depth", "4", "--width", "8", "--epochs", "0", "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1);
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["epoch"], 0);
    assert_eq!(v["status"], "ok");
    let layers = v["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 5);
    for key in std::iter::once("layer").chain(gradscope::engine::metrics::LAYER_FIGURES) {
        assert!(layers[0].get(key).is_some(), "missing {key}");
    }
    for key in ["train_loss", "train_accuracy", "val_loss", "val_accuracy"] {
        assert!(v[key].is_f64(), "missing {key}");
    }
}

#[test]
fn json_lines_count_epochs_and_repeat_for_a_seed() {
    let args = [
        "train", "--depth", "3", "--width", "8", "--epochs", "2", "--seed", "3", "--json",
    ];
    let a = stdout(&gradscope(&args));
    assert_eq!(a.lines().count(), 3);
    for (i, line) in a.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["epoch"], i);
    }
    assert_eq!(a, stdout(&gradscope(&args)));
}

#[test]
fn a_diverged_run_writes_null_for_non_finite_numbers() {
    let o = gradscope(&[
        "train", "--init", "large", "--lr", "10", "--epochs", "5", "--json",
    ]);
    assert!(o.status.success());
    let text = stdout(&o);
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(last["status"], "diverged");
    assert!(last["train_loss"].is_null());
}

#[test]
fn the_table_is_readable() {
    let o = gradscope(&["train", "--depth", "2", "--width", "8", "--epochs", "1"]);
    let text = stdout(&o);
    assert!(text.contains("epoch   0") && text.contains("epoch   1"));
    assert!(text.contains("grad_norm") && text.contains("delta_rms"));
}

#[test]
fn bad_arguments_name_the_argument_and_the_allowed_values_and_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (&["train", "--activation", "swish"], "--activation"),
        (&["train", "--init", "xavier"], "glorot_uniform"),
        (&["train", "--depth", "0"], "--depth"),
        (&["train", "--depth", "abc"], "1 to 100"),
        (&["train", "--width", "1000"], "2 to 512"),
        (&["train", "--lr", "nan"], "--lr"),
        (&["train", "--lr", "-1"], "--lr"),
        (
            &["train", "--clipvalue", "1", "--clipnorm", "1"],
            "at most one",
        ),
        (&["train", "--clipnorm", "0"], "--clipnorm"),
        (&["train", "--bogus"], "unknown argument"),
        (&["train", "--epochs"], "needs a value"),
        (&["fly"], "train"),
        (&["train", "--code", "jax"], "keras, pytorch"),
        (&["train", "--code"], "needs a value"),
        (
            &["train", "--code", "keras", "--dump-weights", "x.json"],
            "at most one",
        ),
        (&["train", "--code", "keras", "--depth", "0"], "--depth"),
    ];
    for (args, needle) in cases {
        let o = gradscope(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "one line for {args:?}: {err}"
        );
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn help_lists_every_flag() {
    let o = gradscope(&["train", "--help"]);
    assert!(o.status.success());
    let text = stdout(&o);
    for flag in [
        "--global-clipnorm",
        "--batch-norm",
        "--init-seed",
        "--json",
        "he_normal",
        "--code",
        "--dump-weights",
        "keras, pytorch",
    ] {
        assert!(text.contains(flag), "{flag}");
    }
}

#[test]
fn code_prints_the_script_for_the_other_flags_and_exits_0() {
    for (language, marker) in [("keras", "keras.layers.Dense("), ("pytorch", "nn.Linear(")] {
        let o = gradscope(&[
            "train",
            "--depth",
            "4",
            "--activation",
            "tanh",
            "--code",
            language,
            "--clipnorm",
            "0.5",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = stdout(&o);
        assert!(text.starts_with("\"\"\""), "{text}");
        assert!(text.contains(marker) && text.contains("DEPTH = 4"));
        assert!(text.contains("tanh") || text.contains("Tanh"));
        assert!(text.contains("0.5"));
        assert!(!text.contains("epoch   0"), "no training");
    }
}

#[test]
fn dump_weights_writes_the_first_step_as_json() {
    let dir = std::env::temp_dir().join(format!("gradscope-dump-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("first.json");
    let path_text = path.to_str().unwrap();
    let o = gradscope(&[
        "train",
        "--depth",
        "3",
        "--width",
        "8",
        "--batch-norm",
        "after",
        "--batch-size",
        "16",
        "--lr",
        "0.1",
        "--dump-weights",
        path_text,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("wrote"), "{}", stdout(&o));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(v["epoch"], 1);
    let layers = v["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 4);
    // Keras' (in, out) kernels: 64→8, 8→8, 8→8, 8→10.
    let shape = |l: &serde_json::Value| {
        let k = l["kernel"].as_array().unwrap();
        (k.len(), k[0].as_array().unwrap().len())
    };
    assert_eq!(shape(&layers[0]), (64, 8));
    assert_eq!(shape(&layers[3]), (8, 10));
    for (i, l) in layers.iter().enumerate() {
        assert_eq!(
            l["batch_norm"].is_null(),
            i == 3,
            "BN on hidden layers only"
        );
    }
    assert_eq!(layers[0]["batch_norm"]["moving_variance"][0], 1.0);
    assert_eq!(v["x"].as_array().unwrap().len(), 16);
    assert_eq!(v["y"].as_array().unwrap().len(), 16);
    assert_eq!(v["indices"].as_array().unwrap().len(), 16);
    let loss = v["loss"].as_f64().unwrap();
    assert!(loss.is_finite() && loss > 0.0);
    // Plain SGD without clipping: ‖ΔW‖ = lr·‖∂L/∂W‖, so update_ratio = lr·grad_norm/weight_norm.
    for l in 0..4 {
        let g = v["grad_norm"][l].as_f64().unwrap();
        let w = v["weight_norm"][l].as_f64().unwrap();
        let r = v["update_ratio"][l].as_f64().unwrap();
        assert!(g > 0.0 && v["delta_rms"][l].as_f64().unwrap() > 0.0);
        assert!(
            (r - 0.1 * g / w).abs() < 1e-5 * r,
            "layer {l}: {r} vs {}",
            0.1 * g / w
        );
    }
}

#[test]
fn json_records_carry_the_verdict_and_the_suggestions_as_settings() {
    // A deep sigmoid network at epoch 0: vanishing, with ReLU + He and batch norm to try.
    let o = gradscope(&[
        "train",
        "--activation",
        "sigmoid",
        "--init",
        "glorot_uniform",
        "--epochs",
        "0",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["verdict"], "vanishing");
    let advice = v["advice"].as_array().unwrap();
    let pairs: Vec<(String, String)> = advice
        .iter()
        .map(|s| {
            (
                s["setting"].as_str().unwrap().into(),
                s["value"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        pairs.contains(&("activation".into(), "relu".into())),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&("batch_norm".into(), "before".into())),
        "{pairs:?}"
    );
    let relu = advice
        .iter()
        .find(|s| s["setting"] == "activation")
        .unwrap();
    assert_eq!(relu["and"][0]["setting"], "init");
    assert_eq!(relu["and"][0]["value"], "he_normal");
    assert_eq!(relu["promise"], "balance");
    // The record's fields keep their order; the diagnosis comes last.
    let text = stdout(&o);
    let at = |k: &str| text.find(&format!("\"{k}\":")).unwrap();
    assert!(
        at("epoch") < at("layers") && at("layers") < at("verdict") && at("verdict") < at("advice")
    );
    // Clipping off: the clipped gradient is the raw one, in every layer.
    for l in v["layers"].as_array().unwrap() {
        assert_eq!(l["clipped_grad_norm"], l["grad_norm"]);
    }
}
