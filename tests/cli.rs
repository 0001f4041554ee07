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
    for key in [
        "layer",
        "grad_norm",
        "delta_rms",
        "weight_norm",
        "update_ratio",
        "act_mean",
        "act_std",
        "saturated",
        "dead",
    ] {
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
    ] {
        assert!(text.contains(flag), "{flag}");
    }
}
