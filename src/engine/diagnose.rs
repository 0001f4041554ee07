//! A plain-language verdict on a run, derived only from its epoch records: the first rule of
//! [`Verdict::ALL`] that holds, with the numbers behind it and what to try.

use serde::{Deserialize, Serialize};

use super::advice::{self, Suggestion};
use super::batch_norm::MOMENTUM;
use super::config::Config;
use super::flow::{times, Flow};
use super::metrics::{EpochRecord, Status};
use super::outcome::{Outcome, Overshoot, STALLED_AFTER};
pub use super::verdict::Verdict;
use crate::format::num;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub verdict: Verdict,
    pub headline: String,
    /// The measured numbers that support the verdict.
    pub evidence: Vec<String>,
    /// What to change, most promising first; each names a setting the run does not have.
    pub advice: Vec<Suggestion>,
}

fn pct(x: f64) -> String {
    format!("{:.1}\u{a0}%", 100.0 * x)
}

/// Diagnoses the run from its records (the latest one decides, its history tells the trend).
pub fn diagnose(config: &Config, records: &[EpochRecord]) -> Diagnosis {
    let Some(last) = records.last() else {
        return Diagnosis {
            verdict: Verdict::Waiting,
            headline: "Measuring the network as initialized (epoch 0)…".into(),
            evidence: Vec::new(),
            advice: Vec::new(),
        };
    };
    if last.status == Status::Diverged
        || !last.train_loss.is_finite()
        || non_finite_figure(last).is_some()
    {
        return diverged(config, records, last);
    }
    let outcome = Outcome::of(config, records).expect("a record");
    let flow = Flow::of(last);
    let mut evidence = flow
        .as_ref()
        .map_or_else(Vec::new, |f| f.evidence(config, last));
    evidence.extend(super::weight_change::evidence(records));
    evidence.push(outcome_line(&outcome));
    let (verdict, headline, mut advice) = decide(config, &outcome, flow.as_ref(), &mut evidence);
    // The suggestions' promises are measured on an MLP's layers (tests/advice.rs); for a
    // recurrent run they are not established yet, so it gets none.
    if config.model.is_recurrent() {
        advice.clear();
    }
    Diagnosis {
        verdict,
        headline,
        evidence,
        advice,
    }
}

/// The first verdict rule that holds (in the order of [`Verdict::ALL`]).
fn decide(
    config: &Config,
    o: &Outcome,
    flow: Option<&Flow>,
    evidence: &mut Vec<String>,
) -> (Verdict, String, Vec<Suggestion>) {
    let (v, c) = (pct(o.val_accuracy), pct(o.chance));
    if let Some(f) = flow.filter(|f| f.vanishing(config)) {
        if let Some(why) = o.overshoot() {
            evidence.push(format!("Besides: {}", overshoot_text(why, o, config)));
        }
        let dead = f.dead > super::flow::MOSTLY_DEAD;
        return (
            Verdict::Vanishing,
            f.vanishing_headline(),
            advice::vanishing(config, dead),
        );
    }
    if let Some(why) = o.overshoot() {
        let headline = overshoot_text(why, o, config);
        return (Verdict::Oscillating, headline, advice::oscillating(config));
    }
    if let Some(f) = flow.filter(|f| f.exploding()) {
        return (
            Verdict::Exploding,
            f.exploding_headline(config),
            advice::exploding(config),
        );
    }
    if o.batch_norm_lag() {
        evidence.push(batch_norm_lag_evidence(config, o.epoch));
        let headline = format!(
            "Training accuracy is {} but validation accuracy {v}: evaluation uses batch norm's moving averages, which have not caught up with the trained network yet. Keep training.",
            pct(o.train_accuracy)
        );
        return (Verdict::BatchNormLag, headline, Vec::new());
    }
    if o.epoch >= STALLED_AFTER && o.near_chance() && o.loss_flat() {
        let headline = format!(
            "After {} epochs the validation accuracy is {v}, near chance ({c}), and the training loss no longer falls ({} → {}).",
            o.epoch,
            num(o.earlier_train_loss),
            num(o.train_loss)
        );
        return (Verdict::Stalled, headline, advice::slow(config));
    }
    let spread = flow.map_or(1.0, |f| f.spread);
    let (every, can_learn, learns) = if flow.is_some_and(|f| f.through_time) {
        (
            "every time step",
            "every step of the sequence can shape the weights",
            "every step of the sequence shapes the weights",
        )
    } else {
        (
            "every hidden layer",
            "all layers can start learning",
            "all layers learn",
        )
    };
    if o.slow() {
        let headline = format!(
            "The gradient flows, yet after {} epochs the validation accuracy is only {v} (chance {c}): the network learns slowly.",
            o.epoch
        );
        return (Verdict::LearningSlowly, headline, advice::slow(config));
    }
    if o.epoch >= 1 && !o.reached_healthy_bar() {
        let headline = format!(
            "Validation accuracy {v} after {} epoch{} (chance {c}), on its way up; the gradient δ reaches {every} within {} of each other.",
            o.epoch,
            if o.epoch == 1 { "" } else { "s" },
            times(spread)
        );
        return (Verdict::Learning, headline, Vec::new());
    }
    if o.epoch == 0 {
        let headline = format!(
            "The back-propagated gradient δ reaches {every} within {} of each other: {can_learn}.",
            times(spread)
        );
        return (Verdict::Ready, headline, advice::explore(config));
    }
    let headline = format!(
        "Validation accuracy {v}, and the gradient δ reaches {every} within {} of each other: {learns}.",
        times(spread)
    );
    (Verdict::Healthy, headline, advice::explore(config))
}

/// What shows that the steps are too large, in a sentence.
fn overshoot_text(why: Overshoot, o: &Outcome, config: &Config) -> String {
    let v = pct(o.val_accuracy);
    match why {
        Overshoot::LossRises => format!(
            "The training loss rose in {} of the last four epochs: at learning rate {} the steps overshoot.",
            o.loss_rises,
            num(config.lr)
        ),
        Overshoot::FellBack => format!(
            "Validation accuracy fell back from its best, {}, to {v}: at learning rate {} the steps are too large to settle.",
            pct(o.best_val_accuracy),
            num(config.lr)
        ),
        Overshoot::AboveGuessing => format!(
            "The training loss, {}, stays above {} — the loss of guessing every class equally: at learning rate {} each step overshoots.",
            num(o.train_loss),
            num(o.guessing_loss),
            num(config.lr)
        ),
    }
}

/// Accuracy against chance, and the loss's trend.
fn outcome_line(o: &Outcome) -> String {
    if o.epoch == 0 {
        return format!(
            "Nothing is learned yet: validation accuracy {} (chance {}), loss {}.",
            pct(o.val_accuracy),
            pct(o.chance),
            num(o.train_loss)
        );
    }
    format!(
        "Epoch {}: validation accuracy {} (chance {}, healthy from {}), training accuracy {}; training loss {} → {} over the last epochs.",
        o.epoch,
        pct(o.val_accuracy),
        pct(o.chance),
        pct(o.bar(super::outcome::HEALTHY_SHARE)),
        pct(o.train_accuracy),
        num(o.earlier_train_loss),
        num(o.train_loss)
    )
}

/// Why evaluation lags: how slowly the moving averages forget.
fn batch_norm_lag_evidence(config: &Config, epoch: usize) -> String {
    let per_epoch = config.steps_per_epoch(config.dataset.train_len());
    let memory = 1.0 / (1.0 - MOMENTUM);
    format!(
        "Training accuracy is measured with each batch's own mean and variance; evaluation uses moving averages updated with momentum {MOMENTUM}: every step keeps {:.0}\u{a0}% of the old value, so they average over roughly the last {memory:.0} steps (here {per_epoch} steps make an epoch, {} so far). While training changes the network fast, those averages describe an older network.",
        100.0 * MOMENTUM,
        epoch * per_epoch
    )
}

/// The first per-layer figure of `record` that is NaN or infinite, named ("layer 3's δ rms is
/// NaN"). Figures that do not apply (`None`) are not figures.
pub fn non_finite_figure(record: &EpochRecord) -> Option<String> {
    let depth = record.layers.len().saturating_sub(1);
    record.layers.iter().find_map(|l| {
        let figures = [
            ("‖∂L/∂W‖", Some(l.grad_norm)),
            ("δ rms", Some(l.delta_rms)),
            ("‖W‖", Some(l.weight_norm)),
            ("update ratio", l.update_ratio),
            ("activation mean", Some(l.act_mean)),
            ("activation sd", Some(l.act_std)),
            ("saturated fraction", Some(l.saturated)),
            ("dead fraction", l.dead),
        ];
        let (name, v) = figures
            .into_iter()
            .find_map(|(n, v)| v.filter(|x| !x.is_finite()).map(|x| (n, x)))?;
        let which = if l.layer > depth {
            "the output layer's".to_string()
        } else {
            format!("layer {}'s", l.layer)
        };
        Some(format!("{which} {name} is {}", num(v)))
    })
}

fn diverged(config: &Config, records: &[EpochRecord], last: &EpochRecord) -> Diagnosis {
    let last_finite = records
        .iter()
        .rev()
        .find(|r| r.train_loss.is_finite())
        .map(|r| {
            format!(
                "The last finite training loss was {} (epoch {}).",
                num(r.train_loss),
                r.epoch
            )
        });
    let biggest = records
        .iter()
        .flat_map(|r| r.layers.iter().map(|l| l.grad_norm))
        .filter(|g| g.is_finite())
        .fold(0.0, f64::max);
    let mut evidence = vec![if last.train_loss.is_finite() {
        format!(
            "During epoch {} a gradient became NaN or infinite (the loss still read {}); the run stopped there.",
            last.epoch,
            num(last.train_loss)
        )
    } else {
        format!(
            "The loss became {} during epoch {}; the run stopped there.",
            num(last.train_loss),
            last.epoch
        )
    }];
    evidence.extend(last_finite);
    if let Some(what) = non_finite_figure(last) {
        evidence.push(format!("In epoch {}, {what}.", last.epoch));
    }
    if biggest > 0.0 {
        evidence.push(format!(
            "The largest kernel gradient norm measured was {}.",
            num(biggest)
        ));
    }
    Diagnosis {
        verdict: Verdict::Diverged,
        headline: "Diverged: the numbers are no longer finite, so training stopped.".into(),
        evidence,
        advice: advice::diverged(config),
    }
}
