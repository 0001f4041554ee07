//! What to try: each suggestion is a change to settings the run does not already have, the
//! figure it promises to improve, and why. `tests/advice.rs` follows every suggestion on the
//! lessons and on a set of sick runs (seeds 0–4) and holds it to its promise.

use serde::{Deserialize, Serialize};

use super::activation::Activation;
use super::config::Config;
use super::init::Initializer;
use super::network::BatchNormPlacement;
use super::optim::OptimizerKind;
use crate::format::num;

/// What following a suggestion improves, measured against the run as it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Promise {
    /// At the epoch whose diagnosis made the suggestion (the end, for a finished run), the
    /// validation accuracy is higher; a run that diverged by then scores 0.
    ValAccuracy,
    /// At epoch 0, layer 1's δ rms is closer (in decades) to the output layer's.
    Balance,
    /// The run does not diverge, or diverges later.
    StaysFinite,
    /// An experiment, not a fix: at epoch 0 layer 1's δ rms falls below 1 % of the output
    /// layer's — the gradient vanishes.
    ShowsVanishing,
}

/// One setting changed to one value, named by the link's key (`init`, `lr`, …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub setting: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The setting this suggestion changes …
    pub setting: String,
    pub value: String,
    /// … and any it must change with it (clipping needs its threshold; ReLU its initializer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub and: Vec<Change>,
    pub promise: Promise,
    /// The suggestion and its reason, in a sentence.
    pub text: String,
}

impl Suggestion {
    fn new(changes: &[(&str, String)], promise: Promise, text: String) -> Suggestion {
        let change = |(k, v): &(&str, String)| Change {
            setting: k.to_string(),
            value: v.clone(),
        };
        Suggestion {
            setting: changes[0].0.to_string(),
            value: changes[0].1.clone(),
            and: changes[1..].iter().map(change).collect(),
            promise,
            text,
        }
    }

    /// Every change, the named one first.
    pub fn changes(&self) -> Vec<Change> {
        let first = Change {
            setting: self.setting.clone(),
            value: self.value.clone(),
        };
        std::iter::once(first)
            .chain(self.and.iter().cloned())
            .collect()
    }

    /// The changes as a link's `vs=` value (`key:value,key:value`).
    pub fn diff(&self) -> String {
        self.changes()
            .iter()
            .map(|c| format!("{}:{}", c.setting, c.value))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The run's configuration with this suggestion followed.
    pub fn apply(&self, config: &Config) -> Config {
        super::settings::apply_diff_text(config, &self.diff()).0
    }
}

/// The initializer derived for an activation's slope: He for the ReLU family (slope 1 on half
/// the inputs), LeCun for SELU (its self-normalizing fixed point), Glorot otherwise.
pub(super) fn matched_init(a: Activation) -> Initializer {
    match a {
        Activation::Relu | Activation::LeakyRelu | Activation::Elu => Initializer::HeNormal,
        Activation::Selu => Initializer::LecunNormal,
        _ => Initializer::GlorotUniform,
    }
}

/// A setting's value as a link writes it: at most four significant digits ("0.03", not
/// "0.030000000000000002").
fn value(x: f64) -> String {
    let rounded = crate::format::parse_number(&format!("{x:.3e}")).unwrap_or(x);
    format!("{rounded}")
}

fn lr_down(c: &Config, promise: Promise, why: &str) -> Suggestion {
    let lr = c.lr / 10.0;
    Suggestion::new(
        &[("lr", value(lr))],
        promise,
        format!("Lower the learning rate ten times, to {}: {why}", value(lr)),
    )
}

fn global_clip(promise: Promise, why: &str) -> Suggestion {
    Suggestion::new(
        &[("clip", "global_clipnorm".into()), ("clip_at", "1".into())],
        promise,
        format!("Clip the gradients (global_clipnorm 1): {why}"),
    )
}

fn init_for(c: &Config, promise: Promise, why: String) -> Option<Suggestion> {
    let matched = matched_init(c.activation);
    (c.init != matched).then(|| {
        Suggestion::new(
            &[("init", matched.name().into())],
            promise,
            format!("Use {}: {why}", matched.name()),
        )
    })
}

/// For a gradient that fades on its way down.
/// `dead`: most ReLU units stopped firing during training.
pub(super) fn vanishing(c: &Config, dead: bool) -> Vec<Suggestion> {
    let mut out = Vec::new();
    if dead && c.init == matched_init(c.activation) {
        // The initial weights were right: large steps pushed the units where they never fire.
        out.push(lr_down(
            c,
            Promise::ValAccuracy,
            "large steps push ReLU units to where their input is negative for every sample, and a dead unit gets no gradient to come back.",
        ));
        return out;
    }
    let why = match c.init {
        Initializer::Zeros => {
            "zeros make every unit of a layer identical, and they stay so.".into()
        }
        Initializer::Small => "weights with sd 0.01 shrink the signal at every layer.".into(),
        Initializer::Large => format!(
            "weights with sd 1 push {} into its flat tails, where the slope is almost 0.",
            c.activation.name()
        ),
        _ => format!(
            "its variance is derived for {}'s slope.",
            c.activation.name()
        ),
    };
    out.extend(init_for(c, Promise::Balance, why));
    if c.init == Initializer::Zeros {
        return out;
    }
    if c.activation.saturates() {
        out.push(Suggestion::new(
            &[("activation", "relu".into()), ("init", "he_normal".into())],
            Promise::Balance,
            format!(
                "Switch to ReLU with He initialization: its slope is 1 for every active unit, where {}'s is at most {}.",
                c.activation.name(),
                num(c.activation.max_derivative())
            ),
        ));
    }
    // Batch norm keeps a saturating activation's input near 0, where its slope peaks; it
    // scales δ by 1/σ on the way back, so for ReLU it does not balance the gradient.
    if c.batch_norm == BatchNormPlacement::None && c.activation.saturates() {
        out.push(Suggestion::new(
            &[("batch_norm", "before".into())],
            Promise::Balance,
            "Add batch normalization before each activation: it re-centres and re-scales every layer's input, so the slope stays near its peak.".into(),
        ));
    }
    out
}

/// `out`, then global_clipnorm 1 with the same promise unless the run already clips.
fn and_clip(mut out: Vec<Suggestion>, c: &Config, promise: Promise, why: &str) -> Vec<Suggestion> {
    if c.clipping.threshold().is_none() {
        out.push(global_clip(promise, why));
    }
    out
}

/// For a gradient that grows on its way down.
pub(super) fn exploding(c: &Config) -> Vec<Suggestion> {
    if c.init == Initializer::Large {
        let why = "weights with sd 1 amplify the gradient at every layer.".into();
        return init_for(c, Promise::Balance, why).into_iter().collect();
    }
    // The initial weights are fine: training made them grow.
    let promise = Promise::ValAccuracy;
    let lr = lr_down(c, promise, "training itself made the weights grow.");
    and_clip(
        vec![lr],
        c,
        promise,
        "the huge gradients then cannot throw the weights far.",
    )
}

/// For a run whose numbers stopped being finite.
pub(super) fn diverged(c: &Config) -> Vec<Suggestion> {
    let promise = Promise::StaysFinite;
    let first = if c.init == Initializer::Large {
        // A tenth of the learning rate is still far too much for gradients of 10⁷.
        let why = "weights with sd 1 make the first gradients enormous.".into();
        init_for(c, promise, why).into_iter().collect()
    } else {
        vec![lr_down(
            c,
            promise,
            "each step then moves the weights a tenth as far.",
        )]
    };
    and_clip(
        first,
        c,
        promise,
        "no step can then be longer than the learning rate.",
    )
}

/// For steps that overshoot: the loss rises and falls, the accuracy falls back.
pub(super) fn oscillating(c: &Config) -> Vec<Suggestion> {
    let promise = Promise::ValAccuracy;
    let lr = lr_down(
        c,
        promise,
        "the steps overshoot the valley they should descend.",
    );
    and_clip(
        vec![lr],
        c,
        promise,
        "the rare huge gradients then cannot throw the weights far.",
    )
}

/// For a run whose gradient flows but that learns slowly or not at all.
pub(super) fn slow(c: &Config) -> Vec<Suggestion> {
    // Weights started too small or too large: that, not the optimizer, is what to fix.
    if matches!(c.init, Initializer::Small | Initializer::Large) {
        let why = "the weights started at the wrong scale, which slows every layer.".into();
        return init_for(c, Promise::ValAccuracy, why).into_iter().collect();
    }
    // A larger SGD step was tried too: it made deep or saturating networks worse as often
    // as better (tests/advice.rs). Adam helped in every case.
    if c.optimizer == OptimizerKind::Adam {
        return Vec::new();
    }
    vec![Suggestion::new(
        &[("optimizer", "adam".into()), ("lr", "0.001".into())],
        Promise::ValAccuracy,
        "Use Adam (lr 0.001): it scales each weight's step by its own gradient history, so small gradients still make progress.".into(),
    )]
}

/// For a run in balance: experiments that break it.
pub(super) fn explore(c: &Config) -> Vec<Suggestion> {
    let mut out = Vec::new();
    if c.activation != Activation::Sigmoid
        && c.batch_norm == BatchNormPlacement::None
        && c.depth >= 5
    {
        out.push(Suggestion::new(
            &[("activation", "sigmoid".into()), ("init", "glorot_uniform".into())],
            Promise::ShowsVanishing,
            "To watch the gradient vanish: switch to sigmoid (with Glorot), whose slope is at most 1/4.".into(),
        ));
    }
    if c.init != Initializer::Small && c.batch_norm == BatchNormPlacement::None && c.depth >= 3 {
        out.push(Suggestion::new(
            &[("init", "small".into())],
            Promise::ShowsVanishing,
            "To watch the signal shrink layer by layer: the too-small initializer (sd 0.01)."
                .into(),
        ));
    }
    out
}
