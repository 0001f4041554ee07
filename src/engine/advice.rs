//! What to try, for a run whose gradients vanish or explode: the fixes the notes teach,
//! chosen for the run's own activation, initializer and settings.

use super::activation::Activation;
use super::config::Config;
use super::init::Initializer;
use super::network::BatchNormPlacement;
use crate::format::num;

pub(super) fn matched_init(a: Activation) -> Initializer {
    match a {
        Activation::Relu | Activation::LeakyRelu | Activation::Elu => Initializer::HeNormal,
        Activation::Selu => Initializer::LecunNormal,
        _ => Initializer::GlorotUniform,
    }
}

pub(super) fn advice_vanishing(c: &Config) -> Vec<String> {
    let mut out = Vec::new();
    if c.init == Initializer::Zeros {
        out.push(format!(
            "Zeros make every unit of a layer identical, and they stay identical: use a random initializer ({} for {}).",
            matched_init(c.activation).name(),
            c.activation.name()
        ));
        return out;
    }
    if c.init == Initializer::Small {
        out.push(format!(
            "Weights with sd 0.01 shrink the signal at every layer: use {} (variance scaled to the fan-in).",
            matched_init(c.activation).name()
        ));
    }
    if c.init == Initializer::Large && c.activation.saturates() {
        out.push(format!(
            "Weights with sd 1 push {} into its flat tails, where the slope is almost 0: use {}.",
            c.activation.name(),
            matched_init(c.activation).name()
        ));
    }
    if c.activation.saturates() {
        out.push(
            "Switch to ReLU with He initialization: its slope is 1 for every active unit.".into(),
        );
    } else if c.init != matched_init(c.activation) && c.init != Initializer::Zeros {
        out.push(format!(
            "{} pairs best with {}.",
            c.activation.name(),
            matched_init(c.activation).name()
        ));
    }
    if c.batch_norm == BatchNormPlacement::None {
        out.push(
            "Add batch normalization: it keeps each layer's inputs centred and scaled.".into(),
        );
    }
    if c.depth > 5 {
        out.push("Use fewer layers: every layer multiplies the gradient once more.".into());
    }
    out
}

pub(super) fn advice_exploding(c: &Config) -> Vec<String> {
    let mut out = Vec::new();
    if c.init == Initializer::Large {
        out.push(format!(
            "Weights with sd 1 amplify the signal at every layer: use {}.",
            matched_init(c.activation).name()
        ));
    }
    if c.lr > 0.01 {
        out.push(format!(
            "Lower the learning rate (now {}), e.g. ten times.",
            num(c.lr)
        ));
    }
    if c.clipping.threshold().is_none() {
        out.push("Clip the gradients (clipnorm 1.0, or clipvalue 0.5 as in the notes).".into());
    }
    if c.batch_norm == BatchNormPlacement::None {
        out.push("Add batch normalization to keep activations in range.".into());
    }
    if c.l2 == 0.0 {
        out.push("An L2 penalty (e.g. 1e-4) holds the weights back from growing.".into());
    }
    out
}
