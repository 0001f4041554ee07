//! `gradscope lesson check`: plays every step of a lesson natively on several seeds and
//! evaluates its checks. A claim a lesson makes must hold on every seed it is checked on.

use super::check::{Outcome, RunResult};
use super::{Check, Lesson};
use crate::engine::config::Config;
use crate::engine::metrics::EpochRecord;
use crate::engine::trainer::Trainer;

/// One check over the seeds.
pub struct CheckReport {
    /// 0-based step.
    pub step: usize,
    pub line: usize,
    pub check: Check,
    /// (seed, outcome), in the seeds' order.
    pub outcomes: Vec<(u64, Outcome)>,
}

impl CheckReport {
    pub fn holds(&self) -> bool {
        self.outcomes.iter().all(|(_, o)| o.holds)
    }
}

/// The step's runs with the seed set (data order and initial weights, as `--seed` does).
pub fn seeded(runs: &[Config], seed: u64) -> Vec<Config> {
    runs.iter()
        .map(|c| Config {
            seed,
            init_seed: seed,
            ..c.clone()
        })
        .collect()
}

/// Every epoch of one run (it stops early where it diverges).
pub fn train(config: &Config) -> Vec<EpochRecord> {
    match Trainer::new(config.clone()) {
        Ok(mut t) => {
            // As in the page, whose worker measures them: `zero_share` reads them.
            t.set_histograms(true);
            std::iter::from_fn(|| t.run_epoch()).collect()
        }
        Err(_) => Vec::new(),
    }
}

/// Evaluates a step's checks on runs that have trained.
pub fn evaluate(
    checks: &[Check],
    configs: &[Config],
    records: &[Vec<EpochRecord>],
) -> Vec<Outcome> {
    let runs: Vec<RunResult> = configs
        .iter()
        .zip(records)
        .map(|(config, records)| RunResult { config, records })
        .collect();
    checks.iter().map(|c| c.evaluate(&runs)).collect()
}

/// Plays each step with checks on every seed (the seeds in parallel, one thread each).
pub fn verify(lesson: &Lesson, seeds: &[u64]) -> Vec<CheckReport> {
    let mut reports = Vec::new();
    for (i, step) in lesson.steps.iter().enumerate() {
        if step.checks.is_empty() {
            continue;
        }
        let runs = step.link().runs;
        let per_seed: Vec<Vec<Outcome>> = std::thread::scope(|s| {
            let handles: Vec<_> = seeds
                .iter()
                .map(|&seed| {
                    let runs = seeded(&runs, seed);
                    s.spawn(move || {
                        let records: Vec<_> = runs.iter().map(train).collect();
                        evaluate(&step.checks, &runs, &records)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a training thread panicked"))
                .collect()
        });
        for (k, check) in step.checks.iter().enumerate() {
            reports.push(CheckReport {
                step: i,
                line: step.check_lines[k],
                check: check.clone(),
                outcomes: seeds
                    .iter()
                    .zip(&per_seed)
                    .map(|(&seed, o)| (seed, o[k].clone()))
                    .collect(),
            });
        }
    }
    reports
}
