//! The settings table is the one place a setting is defined: every row round-trips through
//! the command line, the link and the configuration, and its range is what all of them
//! enforce.

use gradscope::cli::{self, Command};
use gradscope::engine::config::Config;
use gradscope::engine::model::ModelKind;
use gradscope::engine::settings::{apply_diff_text, diff_text, Kind, Value, SETTINGS};
use gradscope::url_state::{decode, encode, UrlState};

/// Values to try for a row: every choice, or the ends and a middle of its range.
fn samples(kind: Kind) -> Vec<Value> {
    match kind {
        Kind::Choice(names) => names().into_iter().map(Value::Name).collect(),
        Kind::Whole { min, max } => vec![
            Value::Whole(min),
            Value::Whole(max),
            Value::Whole(min + (max - min) / 3),
        ],
        Kind::Number {
            min,
            max,
            above_min,
        } => {
            let lo = if above_min { min + 1e-3 } else { min };
            vec![
                Value::Number(lo),
                Value::Number(max),
                Value::Number(0.37 * max),
            ]
        }
    }
}

/// Rows that mean something for a recurrent model only.
fn recurrent_row(key: &str) -> bool {
    matches!(key, "seq_len" | "recurrent_init" | "recurrent_gain")
}

/// The configuration with one setting changed (clipping on, for its threshold; the recurrent
/// model for its own rows and its sequence task).
fn with(key: &str, v: Value) -> Config {
    let s = SETTINGS.iter().find(|s| s.key == key).unwrap();
    let mut c = Config::default();
    let sequence_task = matches!(v, Value::Name(n) if key == "dataset"
        && gradscope::engine::data::DatasetKind::from_name(n).is_some_and(|d| d.is_sequence()));
    if recurrent_row(key) || sequence_task {
        c.switch_model(ModelKind::Rnn);
    }
    if key == "clip_at" {
        c.clipping = gradscope::engine::clip::Clipping::Norm(1.0);
    }
    (s.set)(&mut c, v);
    assert_eq!((s.get)(&c), v, "{key}: set then get");
    c
}

#[test]
fn every_row_round_trips_through_the_cli_the_link_and_the_config() {
    for s in SETTINGS {
        for v in samples(s.kind) {
            let config = with(s.key, v);
            assert!(config.problems().is_empty(), "{}={v}", s.key);
            // The command line: every written setting as its flag.
            let mut args = vec!["train".to_string()];
            for r in SETTINGS.iter().filter(|r| (r.written)(&config)) {
                args.push(r.flag().to_string());
                args.push(r.text(&config));
            }
            match cli::parse(&args) {
                Ok(Command::Train { config: back, .. }) => {
                    assert_eq!(back, config, "cli {args:?}")
                }
                other => panic!("{args:?}: {other:?}"),
            }
            // The link.
            let state = UrlState {
                runs: vec![config.clone()],
                ..UrlState::default()
            };
            let (back, notices) = decode(&encode(&state));
            assert!(notices.is_empty(), "{}: {notices:?}", s.key);
            assert_eq!(back.runs, state.runs, "link {}={v}", s.key);
            // A comparison run that differs in this setting alone.
            let diff = diff_text(&Config::default(), &config);
            let (back, notices) = apply_diff_text(&Config::default(), &diff);
            assert!(notices.is_empty(), "{diff}: {notices:?}");
            assert_eq!(back, config, "vs={diff}");
        }
    }
}

#[test]
fn every_range_is_enforced_by_the_config_the_cli_and_the_link() {
    for s in SETTINGS {
        let outside: Vec<String> = match s.kind {
            Kind::Choice(_) => vec!["no_such_choice".into()],
            Kind::Whole { min, max } => {
                let mut v = vec!["1.5".to_string(), "abc".into()];
                if min > 0 {
                    v.push((min - 1).to_string());
                }
                if max < u64::MAX {
                    v.push((max + 1).to_string());
                }
                v
            }
            Kind::Number { min, max, .. } => {
                vec![
                    format!("{}", max * 1.5 + 1.0),
                    format!("{}", min - 1.0),
                    "NaN".into(),
                ]
            }
        };
        for bad in outside {
            assert!(s.parse(&bad).is_err(), "{} accepted {bad}", s.key);
            let mut args = vec!["train".to_string()];
            if s.key == "clip_at" {
                args.extend(["--clip".into(), "clipnorm".into()]);
            }
            let model = if recurrent_row(s.key) { "rnn" } else { "mlp" };
            args.extend(["--model".into(), model.into()]);
            args.extend([s.flag().to_string(), bad.clone()]);
            let err = cli::parse(&args).expect_err(&format!("{args:?}"));
            assert!(err.0.contains(s.flag()), "{err}");
            assert!(
                err.0.contains(&s.allowed()),
                "{err} lacks '{}'",
                s.allowed()
            );
            let (state, notices) = decode(&format!("model={model}&clip=clipnorm&{}={bad}", s.key));
            assert_eq!(notices.len(), 1, "{}={bad}: {notices:?}", s.key);
            assert!(state.runs[0].problems().is_empty());
        }
    }
}

#[test]
fn help_shows_every_row_with_its_range_and_default() {
    let help = cli::usage();
    for s in SETTINGS {
        // Every row has its words, in the table's order (kept apart from the table, see
        // settings/words.rs): each flag is its key's.
        assert_eq!(s.flag(), format!("--{}", s.key.replace('_', "-")));
        assert!(!s.label().is_empty() && !s.help().is_empty());
        assert!(help.contains(s.flag()), "{}", s.flag());
        assert!(help.contains(s.help()), "{}", s.key);
        assert!(help.contains(&s.allowed()), "{}", s.key);
    }
    assert!(help.contains("[he_normal]") && help.contains("[0.02]"));
}

#[test]
fn only_learning_rate_clipping_and_epochs_are_live() {
    let live: Vec<&str> = SETTINGS.iter().filter(|s| s.live).map(|s| s.key).collect();
    assert_eq!(live, ["lr", "epochs", "clip", "clip_at"]);
}

#[test]
fn no_range_is_written_outside_the_table() {
    // The sources that parse, check or offer settings must not spell out a range of their own.
    for file in [
        "src/cli.rs",
        "src/url_state.rs",
        "src/engine/config.rs",
        "src/web/controls.rs",
    ] {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for needle in [
            "1 to 100",
            "2 to 512",
            "1e-6",
            "1000000",
            "1 to 512",
            "0 to 1000",
            "_RANGE",
        ] {
            assert!(
                !text.contains(needle),
                "{file} defines a range of its own: {needle}"
            );
        }
    }
}

#[test]
fn an_absurd_value_is_named_briefly_in_the_message() {
    use gradscope::engine::config::setting;
    let e = setting("lr").parse("1e99").unwrap_err();
    assert!(e.starts_with("1e99 is out of range"), "{e}");
    let long = "9".repeat(300);
    let e = setting("depth").parse(&long).unwrap_err();
    assert!(e.chars().count() < 120, "{e}");
    let (_, notices) = gradscope::url_state::decode("lr=1e99&depth=99999999999999999999999");
    assert!(
        notices.iter().all(|n| n.chars().count() < 160),
        "{notices:?}"
    );
}
