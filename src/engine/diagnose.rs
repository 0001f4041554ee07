//! A plain-language verdict on a run, derived only from its epoch records, with the numbers
//! behind it and what to try.

use serde::{Deserialize, Serialize};

use super::advice::{advice_exploding, advice_vanishing};
use super::config::Config;
use super::init::Initializer;
use super::metrics::{EpochRecord, Status};
use crate::format::num;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No record yet.
    Waiting,
    Healthy,
    Vanishing,
    Exploding,
    Diverged,
}

impl Verdict {
    /// A lower-case name for styles and data attributes ("vanishing").
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Waiting => "waiting",
            Verdict::Healthy => "healthy",
            Verdict::Vanishing => "vanishing",
            Verdict::Exploding => "exploding",
            Verdict::Diverged => "diverged",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Waiting => "Waiting",
            Verdict::Healthy => "Healthy",
            Verdict::Vanishing => "Vanishing gradients",
            Verdict::Exploding => "Exploding gradients",
            Verdict::Diverged => "Diverged",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub verdict: Verdict,
    pub headline: String,
    /// The measured numbers that support the verdict.
    pub evidence: Vec<String>,
    /// What to change, most promising first.
    pub advice: Vec<String>,
}

/// Layer 1's δ over the output layer's below this: vanishing.
pub const VANISHING_RATIO: f64 = 1e-2;
/// … above this: exploding (the gradient grows toward the input).
pub const EXPLODING_RATIO: f64 = 1e2;
/// A kernel gradient norm below this everywhere: nothing reaches the weights.
pub const TINY_GRADIENT: f64 = 1e-6;
/// A kernel gradient norm above this anywhere: steps that large wreck the weights.
pub const HUGE_GRADIENT: f64 = 1e3;

/// Diagnoses the run from its records (the latest one decides).
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
    let hidden = &last.layers[..last.layers.len().saturating_sub(1)];
    // δ at layer 1 against δ at the output layer, where the gradient enters the network: the
    // whole way back (the lessons state their figures the same way).
    let (Some(first), Some(top)) = (hidden.first(), last.layers.last()) else {
        return healthy(config, last, Vec::new(), 1.0);
    };
    let ratio = first.delta_rms / top.delta_rms;
    let steps = hidden.len().max(1) as f64;
    let per_layer = ratio.powf(1.0 / steps);
    let max_grad = hidden.iter().map(|l| l.grad_norm).fold(0.0, f64::max);
    let mean = |f: fn(&super::metrics::LayerStats) -> f64| {
        hidden.iter().map(f).sum::<f64>() / hidden.len() as f64
    };
    let saturated = mean(|l| l.saturated);
    // Dead units are a ReLU-family notion: other layers report none.
    let dead = mean(|l| l.dead.unwrap_or(0.0));

    let mut evidence = Vec::new();
    if ratio.is_finite() {
        evidence.push(format!(
            "Epoch {}: layer 1 receives {} of the back-propagated gradient (δ rms) that the output layer receives — a factor of {} per layer.",
            last.epoch,
            ratio_text(ratio),
            num(per_layer)
        ));
    } else {
        evidence.push(format!(
            "Epoch {}: the back-propagated gradient δ is {} in layer 1 and {} in the output layer.",
            last.epoch,
            num(first.delta_rms),
            num(top.delta_rms),
        ));
    }
    evidence.push(format!(
        "Kernel gradient norms ‖∂L/∂W‖ range from {} to {}.",
        num(hidden
            .iter()
            .map(|l| l.grad_norm)
            .fold(f64::INFINITY, f64::min)),
        num(max_grad)
    ));
    if saturated > 0.2 {
        evidence.push(format!(
            "{:.0}\u{a0}% of the {} outputs sit where the slope is under 5\u{a0}% of its peak (saturated).",
            100.0 * saturated,
            config.activation.name()
        ));
    }
    if config.init == Initializer::Zeros {
        evidence.push(
            "Every weight started at 0: all units of a layer compute the same value and get the same gradient, so they can never become different."
                .into(),
        );
    } else if dead > 0.2 {
        evidence.push(format!(
            "{:.0}\u{a0}% of the hidden units output 0 for every validation sample (dead).",
            100.0 * dead
        ));
    }
    evidence.extend(super::weight_change::evidence(records));
    if let Some(t) = config.clipping.threshold() {
        evidence.push(format!(
            "{} {} is on: the gradients above are measured before clipping; the steps taken are capped.",
            config.clipping.mode_name(),
            num(t)
        ));
    }

    if max_grad == 0.0 {
        return Diagnosis {
            verdict: Verdict::Vanishing,
            headline: "No gradient reaches any hidden layer: the hidden weights cannot change."
                .into(),
            evidence,
            advice: advice_vanishing(config),
        };
    }
    if max_grad < TINY_GRADIENT || ratio < VANISHING_RATIO || dead > 0.5 {
        let headline = if ratio < VANISHING_RATIO {
            format!(
                "The back-propagated gradient δ shrinks by {} on its way from the output layer down to layer 1: the lower layers barely learn.",
                ratio_text(1.0 / ratio),
            )
        } else if max_grad < TINY_GRADIENT {
            format!(
                "Every layer's gradient is tiny (at most {}): the weights hardly move.",
                num(max_grad)
            )
        } else {
            "Most ReLU units are dead: no gradient flows through them.".to_string()
        };
        return Diagnosis {
            verdict: Verdict::Vanishing,
            headline,
            evidence,
            advice: advice_vanishing(config),
        };
    }
    if ratio > EXPLODING_RATIO || max_grad > HUGE_GRADIENT {
        let headline = if ratio > EXPLODING_RATIO {
            format!(
                "The back-propagated gradient δ grows by {} on its way down to layer 1.",
                ratio_text(ratio)
            )
        } else {
            format!(
                "Gradients are huge (up to {}): each step throws the weights far.",
                num(max_grad)
            )
        };
        let headline = if config.clipping.threshold().is_some() {
            format!("{headline} Clipping caps every step, which is why training can still go on.")
        } else {
            headline
        };
        return Diagnosis {
            verdict: Verdict::Exploding,
            headline,
            evidence,
            advice: advice_exploding(config),
        };
    }
    let spread = hidden.iter().map(|l| l.delta_rms).fold(0.0, f64::max)
        / hidden
            .iter()
            .map(|l| l.delta_rms)
            .fold(f64::INFINITY, f64::min);
    healthy(config, last, evidence, spread)
}

fn ratio_text(r: f64) -> String {
    if r.is_finite() && r > 0.0 {
        format!("{}×", num(r))
    } else {
        num(r)
    }
}

fn healthy(
    config: &Config,
    last: &EpochRecord,
    mut evidence: Vec<String>,
    spread: f64,
) -> Diagnosis {
    evidence.push(format!(
        "Validation accuracy {:.1}\u{a0}%, loss {}.",
        100.0 * last.val_accuracy,
        num(last.val_loss)
    ));
    let mut advice = Vec::new();
    if last.epoch >= 5 && last.val_accuracy < 0.5 {
        // A high rate makes SGD overshoot; a low one crawls.
        advice.push(if config.lr >= 0.1 {
            format!(
                "Gradients flow, yet accuracy is low: at lr {} the steps overshoot — try a smaller learning rate, or clipping (global_clipnorm 1.0).",
                num(config.lr)
            )
        } else {
            "Gradients flow, yet accuracy is low: try a larger learning rate or Adam.".into()
        });
    }
    if config.init != Initializer::Small && config.init != Initializer::Large {
        advice.push(
            "To watch the balance break, try sigmoid, or the small or large initializer.".into(),
        );
    }
    Diagnosis {
        verdict: Verdict::Healthy,
        headline: format!(
            "The back-propagated gradient δ reaches every hidden layer within {} of each other: all layers can learn.",
            ratio_text(spread)
        ),
        evidence,
        advice,
    }
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
        advice: advice_exploding(config),
    }
}
