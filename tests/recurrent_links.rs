//! A recurrent run in a link and on the command line: it round-trips, a lone `model=rnn`
//! gets the recurrent starting point, and what does not fit the model gets a notice (link)
//! or exit 2 naming the flag (command line).

use gradscope::cli::{self, Command};
use gradscope::engine::activation::Activation;
use gradscope::engine::clip::Clipping;
use gradscope::engine::config::Config;
use gradscope::engine::data::DatasetKind;
use gradscope::engine::init::Initializer;
use gradscope::engine::model::ModelKind;
use gradscope::engine::network::BatchNormPlacement;
use gradscope::engine::recurrent::RecurrentInit;
use gradscope::engine::settings::diff_text;
use gradscope::url_state::{decode, encode, UrlState};

fn rnn() -> Config {
    let mut c = Config::default();
    c.switch_model(ModelKind::Rnn);
    c
}

#[test]
fn a_lone_model_rnn_starts_from_keras_simple_rnn_defaults() {
    let (state, notices) = decode("?model=rnn");
    assert!(notices.is_empty(), "{notices:?}");
    let c = &state.runs[0];
    assert_eq!(c.model, ModelKind::Rnn);
    assert_eq!(c.dataset, DatasetKind::DelayedDigits);
    assert_eq!(c.activation, Activation::Tanh);
    assert_eq!(c.init, Initializer::GlorotUniform);
    assert_eq!(c.recurrent_init, RecurrentInit::Orthogonal);
    assert_eq!(c.recurrent_gain, 1.0);
    // Settings given with it win, whatever their order in the link.
    let (state, _) = decode("?activation=relu&model=rnn&recurrent_init=identity&seq_len=60");
    let c = &state.runs[0];
    assert_eq!(
        (c.activation, c.recurrent_init, c.seq_len),
        (Activation::Relu, RecurrentInit::Identity, 60)
    );
}

#[test]
fn every_recurrent_setting_round_trips_and_vs_can_change_the_model() {
    for init in RecurrentInit::all() {
        for (seq_len, gain) in [(8, 0.0), (30, 0.9), (400, 10.0)] {
            let mut state = UrlState::default();
            state.runs[0] = Config {
                recurrent_init: init,
                seq_len,
                recurrent_gain: gain,
                clipping: Clipping::GlobalNorm(2.5),
                ..rnn()
            };
            let q = encode(&state);
            let (back, notices) = decode(&format!("?{q}"));
            assert!(notices.is_empty(), "{q}: {notices:?}");
            assert_eq!(back, state, "{q}");
            assert!(!q.contains("depth=") && !q.contains("batch_norm="), "{q}");
        }
    }
    // An MLP against a recurrent run whose activation equals the MLP's: the vs= text must
    // say so, because switching the model resets the activation.
    let mlp = Config {
        activation: Activation::Tanh,
        batch_norm: BatchNormPlacement::After,
        ..Config::default()
    };
    let other = Config {
        activation: Activation::Relu,
        seq_len: 40,
        ..rnn()
    };
    for (a, b) in [(&mlp, &other), (&other, &mlp)] {
        let state = UrlState {
            runs: vec![a.clone(), b.clone()],
            ..UrlState::default()
        };
        let q = encode(&state);
        let (back, notices) = decode(&format!("?{q}"));
        assert!(notices.is_empty(), "{q}: {notices:?}");
        assert_eq!(back.runs, state.runs, "{q} (vs={})", diff_text(a, b));
    }
}

#[test]
fn what_does_not_fit_the_model_gets_a_notice_and_a_valid_run() {
    let cases = [
        (
            "?model=rnn&depth=3",
            "'depth=3': does not apply to model rnn",
        ),
        (
            "?model=rnn&batch_norm=before",
            "'batch_norm=before': does not apply to model rnn",
        ),
        ("?seq_len=50", "'seq_len=50': does not apply to model mlp"),
        ("?model=rnn&dataset=digits", "digits is not a sequence task"),
        (
            "?dataset=delayed_digits",
            "delayed_digits is a sequence task",
        ),
        ("?model=rnn&seq_len=5000", "seq_len"),
        ("?model=rnn&recurrent_gain=nan", "recurrent_gain"),
        ("?model=lstmx", "model"),
    ];
    for (query, notice) in cases {
        let (state, notices) = decode(query);
        assert!(
            notices.iter().any(|n| n.contains(notice)),
            "{query}: {notices:?}"
        );
        for run in &state.runs {
            assert!(run.problems().is_empty(), "{query}: {:?}", run.problems());
        }
    }
    let (state, _) = decode("?model=rnn&dataset=digits");
    assert_eq!(state.runs[0].dataset, DatasetKind::DelayedDigits);
    let (state, _) = decode("?dataset=delayed_digits");
    assert_eq!(state.runs[0].dataset, DatasetKind::Digits);
    let (state, _) = decode("?model=rnn&vs=model:mlp,dataset:delayed_digits");
    assert!(state.runs.iter().all(|r| r.problems().is_empty()));
}

#[test]
fn the_command_line_refuses_a_setting_for_the_other_model_naming_its_flag() {
    let parse = |line: &str| {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        cli::parse(&args).map_err(|e| e.to_string())
    };
    for (line, flag) in [
        ("train --model rnn --depth 3", "--depth"),
        ("train --model rnn --batch-norm after", "--batch-norm"),
        ("train --seq-len 30", "--seq-len"),
        ("train --recurrent-gain 2", "--recurrent-gain"),
        ("train --recurrent-init identity", "--recurrent-init"),
        ("train --model rnn --dataset spiral", "--dataset"),
        ("train --dataset delayed_digits", "--dataset"),
        ("train --model rnn --seq-len 7", "--seq-len"),
    ] {
        let err = parse(line).expect_err(line);
        assert!(err.contains(flag), "{line}: {err}");
    }
    let ok = parse(
        "train --model rnn --dataset delayed_digits --seq-len 30 --width 32 --activation tanh \
         --recurrent-init orthogonal --recurrent-gain 0.9 --json",
    )
    .unwrap();
    let Command::Train { config, json, .. } = ok else {
        panic!("a training command")
    };
    assert!(json);
    assert_eq!(
        (config.model, config.seq_len, config.width),
        (ModelKind::Rnn, 30, 32)
    );
    assert_eq!(config.recurrent_gain, 0.9);
}

#[test]
fn a_run_travels_to_the_worker_as_text_and_arrives_the_same() {
    use gradscope::engine::optim::OptimizerKind;
    use gradscope::protocol::RunJob;
    let configs = [
        Config::default(),
        Config {
            lr: 0.1 + 0.2,
            l2: 1e-7,
            seed: u64::MAX,
            init_seed: 3,
            clipping: Clipping::Value(1e-6),
            ..Config::default()
        },
        Config {
            batch_norm: BatchNormPlacement::Before,
            optimizer: OptimizerKind::Adam,
            depth: 100,
            width: 512,
            ..Config::default()
        },
        Config {
            seq_len: 400,
            recurrent_init: RecurrentInit::Scaled(Initializer::Large),
            recurrent_gain: 1.0 / 3.0,
            ..rnn()
        },
        Config {
            activation: Activation::Relu,
            recurrent_init: RecurrentInit::Identity,
            ..rnn()
        },
    ];
    for c in configs {
        let job = RunJob::new(7, &c);
        assert_eq!(job.config(), Ok(c.clone()), "{}", job.config);
    }
    let bad = RunJob {
        id: 1,
        config: "depth:0".into(),
    };
    assert!(bad.config().unwrap_err().contains("depth"));
    let bad = RunJob {
        id: 1,
        config: "model:rnn,dataset:digits".into(),
    };
    assert!(bad.config().is_err());
}
