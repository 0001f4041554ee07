//! Hostile input at scale (proptest): a million links through the decoder, random command
//! lines through the parser, and ten thousand random configurations built and stepped — none
//! may panic, and each must come out valid. Run in release (the test profile is optimized).
//! Each test has a fixed seed, so CI is repeatable; change the seeds to explore other cases
//! (a random-seed run found the `vs=` bug kept in tests/url_state.rs).

use gradscope::cli::{self, Command};
use gradscope::engine::activation::Activation;
use gradscope::engine::clip::Clipping;
use gradscope::engine::config::Config;
use gradscope::engine::data::{Dataset, DatasetKind};
use gradscope::engine::init::Initializer;
use gradscope::engine::metrics::Status;
use gradscope::engine::model::ModelKind;
use gradscope::engine::network::BatchNormPlacement;
use gradscope::engine::optim::OptimizerKind;
use gradscope::engine::recurrent::RecurrentInit;
use gradscope::engine::settings::SETTINGS;
use gradscope::engine::trainer::Trainer;
use gradscope::url_state::{decode, encode, MAX_RUNS};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::RngSeed;

fn known_keys() -> Vec<String> {
    let mut keys: Vec<String> = SETTINGS
        .iter()
        .flat_map(|s| std::iter::once(s.key).chain(s.aliases.iter().copied()))
        .map(String::from)
        .collect();
    keys.extend(
        [
            "lesson", "vs", "metric", "theme", "speed", "bench", "present",
        ]
        .map(String::from),
    );
    keys
}

fn known_values() -> Vec<String> {
    let mut v: Vec<String> = SETTINGS
        .iter()
        .flat_map(|s| s.choices())
        .map(String::from)
        .collect();
    v.extend(
        [
            "sigmoid",
            "notes_clipvalue",
            "clip_modes",
            "delta_rms",
            "lecture",
            "fast",
            "nope",
        ]
        .map(String::from),
    );
    v
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(known_keys()),
        1 => "[a-z_]{0,12}",
        1 => any::<String>(),
    ]
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>().prop_map(|x| x.to_string()),
        any::<u64>().prop_map(|x| x.to_string()),
        any::<i64>().prop_map(|x| x.to_string()),
        (0u64..600).prop_map(|x| x.to_string()),
        (-7.0f64..2.0).prop_map(|e| format!("{:e}", 10f64.powf(e))),
        select(vec![
            "NaN", "inf", "-inf", "1e999", "0x10", "1_000", " 3 ", "", "-0"
        ])
        .prop_map(String::from),
    ]
}

fn value() -> impl Strategy<Value = String> {
    let pair = (key(), prop_oneof![select(known_values()), number()])
        .prop_map(|(k, v)| format!("{k}:{v}"));
    prop_oneof![
        3 => select(known_values()),
        3 => number(),
        2 => prop::collection::vec(pair, 0..4).prop_map(|p| p.join(",")),
        1 => "[ -~]{0,30}",
        1 => any::<String>(),
    ]
}

/// A query: key=value pairs (encoded as a browser would), or raw garbage.
fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::collection::vec((key(), value()), 0..16).prop_map(|pairs| {
            let mut q = form_urlencoded::Serializer::new(String::new());
            for (k, v) in &pairs {
                q.append_pair(k, v);
            }
            q.finish()
        }),
        1 => any::<String>(),
        1 => "[%&=?a-z0-9:,+]{0,60}",
    ]
}

fn check_link(q: &str) {
    let (state, notices) = decode(q);
    assert!((1..=MAX_RUNS).contains(&state.runs.len()), "{q}");
    for run in &state.runs {
        assert!(run.problems().is_empty(), "{q}: {:?}", run.problems());
    }
    assert!(notices.len() <= 11, "{q}: {} notices", notices.len());
    assert!(
        notices.iter().all(|n| n.chars().count() < 600),
        "{q}: {notices:?}"
    );
    // What was kept replays exactly: encoding it and decoding again changes nothing.
    let again = encode(&state);
    let (back, notices) = decode(&again);
    assert!(notices.is_empty(), "{again}: {notices:?}");
    assert_eq!(back, state, "{again}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500_000, failure_persistence: None, rng_seed: RngSeed::Fixed(1), ..ProptestConfig::default() })]
    #[test]
    fn links_never_panic_and_what_is_kept_replays(q in query()) {
        check_link(&q);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500_000, failure_persistence: None, rng_seed: RngSeed::Fixed(2), ..ProptestConfig::default() })]
    #[test]
    fn more_links_never_panic_and_what_is_kept_replays(q in query()) {
        check_link(&q);
    }
}

fn flag() -> impl Strategy<Value = String> {
    let mut flags: Vec<String> = SETTINGS.iter().map(|s| s.flag().to_string()).collect();
    flags.extend(
        [
            "--clipvalue",
            "--clipnorm",
            "--global-clipnorm",
            "--json",
            "--help",
            "-h",
            "train",
        ]
        .map(String::from),
    );
    prop_oneof![4 => select(flags), 1 => "--?[a-z-]{0,10}", 1 => any::<String>()]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100_000, failure_persistence: None, rng_seed: RngSeed::Fixed(3), ..ProptestConfig::default() })]
    #[test]
    fn command_lines_never_panic_and_accepted_ones_are_valid(
        args in prop::collection::vec(prop_oneof![flag(), value()], 0..10),
        train in any::<bool>(),
    ) {
        let mut args = args;
        if train {
            args.insert(0, "train".into());
        }
        if let Ok(Command::Train { config, .. }) = cli::parse(&args) {
            prop_assert!(config.problems().is_empty(), "{args:?}");
        }
    }
}

/// A random configuration from every setting's whole range (small networks).
fn config(max_depth: usize, max_width: usize, max_batch: usize) -> impl Strategy<Value = Config> {
    (
        (
            select(DatasetKind::ALL.to_vec()),
            0.0f64..=1.0,
            1..=max_depth,
            2..=max_width,
            select(Activation::ALL.to_vec()),
            select(Initializer::ALL.to_vec()),
            select(BatchNormPlacement::ALL.to_vec()),
        ),
        (
            select(OptimizerKind::ALL.to_vec()),
            -6.0f64..=1.0,
            1..=max_batch,
            any::<u64>(),
            prop_oneof![Just(0.0), 1e-6f64..1.0],
            (0usize..4, -3.0f64..=3.0),
        ),
        (
            select(ModelKind::ALL.to_vec()),
            8usize..=40,
            select(RecurrentInit::all()),
            0.0f64..=10.0,
        ),
    )
        .prop_map(
            |(
                (dataset, noise, depth, width, activation, init, batch_norm),
                (optimizer, lr_exp, batch_size, seed, l2, (clip, clip_exp)),
                (model, seq_len, recurrent_init, recurrent_gain),
            )| {
                let t = 10f64.powf(clip_exp);
                Config {
                    model,
                    seq_len,
                    recurrent_init,
                    recurrent_gain,
                    dataset,
                    noise,
                    depth,
                    width,
                    activation,
                    init,
                    batch_norm,
                    optimizer,
                    lr: 10f64.powf(lr_exp).clamp(1e-6, 10.0),
                    batch_size,
                    epochs: 3,
                    seed,
                    init_seed: seed,
                    l2,
                    clipping: [
                        Clipping::Off,
                        Clipping::Value(t),
                        Clipping::Norm(t),
                        Clipping::GlobalNorm(t),
                    ][clip],
                }
            },
        )
}

thread_local! {
    static DIGITS: Dataset = Dataset::load(DatasetKind::Digits, 0.0, 0);
}

/// Builds the run (refused only for batch norm over a batch of one) and takes `steps` steps:
/// no panic, and every record keeps the rules.
fn build_and_step(c: Config, steps: usize) -> Result<(), TestCaseError> {
    let data = if c.dataset == DatasetKind::Digits {
        DIGITS.with(Dataset::clone)
    } else {
        Dataset::load(c.dataset, c.noise, c.seq_len)
    };
    let bn = c.batch_norm != BatchNormPlacement::None;
    let recurrent = c.model.is_recurrent();
    let refused =
        (c.batch_size == 1 && bn) || recurrent != c.dataset.is_sequence() || (recurrent && bn);
    let mut t = match Trainer::with_data(c.clone(), data) {
        Ok(t) => t,
        Err(e) => {
            prop_assert!(refused, "{c:?}: {e}");
            return Ok(());
        }
    };
    prop_assert!(!refused);
    for _ in 0..steps {
        if let Some(r) = t.step() {
            if r.status == Status::Ok {
                prop_assert!(r.train_loss.is_finite() && r.val_loss.is_finite(), "{c:?}");
                prop_assert!(r.layers.iter().all(|l| l.grad_norm.is_finite()), "{c:?}");
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5_000, failure_persistence: None, rng_seed: RngSeed::Fixed(4), ..ProptestConfig::default() })]
    #[test]
    fn random_small_configurations_build_and_step(c in config(10, 64, 512)) {
        // Into the first training epoch when the batches are large enough.
        build_and_step(c, 12)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5_000, failure_persistence: None, rng_seed: RngSeed::Fixed(5), ..ProptestConfig::default() })]
    #[test]
    fn more_random_small_configurations_build_and_step(c in config(10, 64, 512)) {
        build_and_step(c, 12)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, failure_persistence: None, rng_seed: RngSeed::Fixed(6), ..ProptestConfig::default() })]
    #[test]
    fn random_full_size_configurations_take_a_step(c in config(100, 512, 64)) {
        build_and_step(c, 1)?;
    }
}
