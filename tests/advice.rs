//! Advice that works: every suggestion the diagnosis makes — at epoch 0, at epoch 5 and at the
//! end — on every lesson's runs and on a fixed set of sick runs, is followed on seeds 0–4 and
//! must improve the figure it promises to improve, on every seed.

use std::collections::BTreeMap;

use gradscope::engine::activation::Activation;
use gradscope::engine::advice::{Promise, Suggestion};
use gradscope::engine::config::Config;
use gradscope::engine::data::DatasetKind;
use gradscope::engine::diagnose::diagnose;
use gradscope::engine::flow::VANISHING_RATIO;
use gradscope::engine::init::Initializer;
use gradscope::engine::metrics::{EpochRecord, Status};
use gradscope::engine::optim::OptimizerKind;
use gradscope::engine::trainer::Trainer;
use gradscope::lesson::builtin::BUILT_IN;

fn train(config: &Config) -> Vec<EpochRecord> {
    let mut t = Trainer::new(config.clone()).unwrap();
    let mut out = Vec::new();
    while let Some(r) = t.run_epoch() {
        out.push(r);
    }
    out
}

/// The validation accuracy at `epoch` (the last one, if the run is shorter); 0 for a run
/// that diverged by then.
fn score(records: &[EpochRecord], epoch: usize) -> f64 {
    let upto = &records[..records.len().min(epoch + 1)];
    match upto.iter().any(|r| r.status == Status::Diverged) {
        true => 0.0,
        false => upto.last().unwrap().val_accuracy,
    }
}

/// Layer 1's δ rms over the output layer's, at epoch 0.
fn delta_ratio(records: &[EpochRecord]) -> f64 {
    let l = &records[0].layers;
    l[0].delta_rms / l[l.len() - 1].delta_rms
}

fn diverged_at(records: &[EpochRecord]) -> Option<usize> {
    records
        .iter()
        .find(|r| r.status == Status::Diverged)
        .map(|r| r.epoch)
}

/// Whether `after` keeps `promise` against `before`; the figures in a sentence either way.
/// `epoch` is the epoch whose diagnosis made the suggestion.
fn kept(
    promise: Promise,
    epoch: usize,
    before: &[EpochRecord],
    after: &[EpochRecord],
) -> (bool, String) {
    match promise {
        Promise::ValAccuracy => {
            let (b, a) = (score(before, epoch), score(after, epoch));
            // More than one validation sample (1/360) better.
            (
                a > b + 0.005,
                format!("val accuracy at epoch {epoch} {b:.3} → {a:.3}"),
            )
        }
        Promise::Balance => {
            let (b, a) = (delta_ratio(before), delta_ratio(after));
            (
                a.log10().abs() < b.log10().abs(),
                format!("δ1/δout {b:.2e} → {a:.2e}"),
            )
        }
        Promise::StaysFinite => {
            let (b, a) = (diverged_at(before), diverged_at(after));
            let ok = match (b, a) {
                (_, None) => true,
                (Some(b), Some(a)) => a > b,
                (None, Some(_)) => false,
            };
            (ok, format!("diverged at {b:?} → {a:?}"))
        }
        Promise::ShowsVanishing => {
            let a = delta_ratio(after);
            (a < VANISHING_RATIO, format!("δ1/δout → {a:.2e}"))
        }
    }
}

fn sick_runs() -> Vec<(&'static str, Config)> {
    let base = Config::default();
    let sigmoid = Config {
        activation: Activation::Sigmoid,
        init: Initializer::GlorotUniform,
        ..base.clone()
    };
    vec![
        (
            "sigmoid, depth 2",
            Config {
                depth: 2,
                ..sigmoid.clone()
            },
        ),
        (
            "sigmoid, depth 2, lr 0.002",
            Config {
                depth: 2,
                lr: 0.002,
                ..sigmoid.clone()
            },
        ),
        (
            "sigmoid, lr 10",
            Config {
                lr: 10.0,
                ..sigmoid.clone()
            },
        ),
        (
            "sigmoid + batch norm, 4 epochs",
            Config {
                batch_norm: gradscope::engine::network::BatchNormPlacement::Before,
                epochs: 4,
                ..sigmoid.clone()
            },
        ),
        (
            "tanh + Glorot, depth 20",
            Config {
                activation: Activation::Tanh,
                init: Initializer::GlorotUniform,
                depth: 20,
                ..base.clone()
            },
        ),
        (
            "ReLU + He, lr 1",
            Config {
                lr: 1.0,
                ..base.clone()
            },
        ),
        (
            "ReLU + He, Adam lr 0.05",
            Config {
                optimizer: OptimizerKind::Adam,
                lr: 0.05,
                ..base.clone()
            },
        ),
        (
            "ReLU + He, lr 0.001",
            Config {
                lr: 0.001,
                ..base.clone()
            },
        ),
        (
            "ReLU + small, depth 5",
            Config {
                init: Initializer::Small,
                depth: 5,
                ..base.clone()
            },
        ),
        (
            "spiral, ReLU + He, depth 5",
            Config {
                dataset: DatasetKind::Spiral,
                depth: 5,
                width: 16,
                ..base.clone()
            },
        ),
        (
            "linear + Glorot",
            Config {
                activation: Activation::Linear,
                init: Initializer::GlorotUniform,
                ..base.clone()
            },
        ),
    ]
}

#[test]
fn every_suggestion_improves_what_it_promises_on_seeds_0_to_4() {
    let mut cases: Vec<(String, Config)> = sick_runs()
        .into_iter()
        .map(|(n, c)| (n.to_string(), c))
        .collect();
    // Each single-experiment lesson's runs (the tour's steps repeat their experiments).
    for b in BUILT_IN.iter().filter(|b| b.id != "tour") {
        let step = &b.lesson().unwrap().unwrap().steps[0];
        for (i, c) in step.link().runs.into_iter().enumerate() {
            cases.push((format!("lesson {} run {}", b.id, i + 1), c));
        }
    }
    let jobs: Vec<(String, Config)> = cases
        .iter()
        .flat_map(|(name, c)| {
            (0..5).map(move |seed| {
                let c = Config {
                    seed,
                    init_seed: seed,
                    ..c.clone()
                };
                (format!("{name}, seed {seed}"), c)
            })
        })
        .collect();
    // Two cores: half the jobs each.
    let results: Vec<Vec<String>> = std::thread::scope(|s| {
        let halves: Vec<_> = jobs
            .chunks(jobs.len().div_ceil(2))
            .map(|chunk| s.spawn(move || chunk.iter().flat_map(|(n, c)| check(n, c)).collect()))
            .collect();
        halves.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let failures: Vec<String> = results.into_iter().flatten().collect();
    assert!(
        failures.is_empty(),
        "{} broken promises:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Follows every suggestion of one run's diagnoses; returns the broken promises.
fn check(name: &str, config: &Config) -> Vec<String> {
    let before = train(config);
    // Each suggestion, with the epochs whose diagnosis made it.
    let mut suggestions: BTreeMap<String, (Suggestion, Vec<usize>)> = BTreeMap::new();
    let ends = [1, 6.min(before.len()), before.len()];
    for end in ends {
        let epoch = before[end - 1].epoch;
        for s in diagnose(config, &before[..end]).advice {
            // Each names a change to a setting the run does not already have.
            assert_ne!(
                &s.apply(config),
                config,
                "{name}: {} changes nothing",
                s.diff()
            );
            let entry = suggestions.entry(s.diff()).or_insert((s, Vec::new()));
            entry.1.push(epoch);
        }
    }
    let mut failures = Vec::new();
    for (diff, (s, epochs)) in suggestions {
        let after = train(&s.apply(config));
        for epoch in epochs {
            let (ok, figures) = kept(s.promise, epoch, &before, &after);
            if !ok {
                failures.push(format!("{name}: {diff} ({:?}): {figures}", s.promise));
            }
        }
    }
    failures
}
