//! The comments that explain each choice: why this initializer, what the activation does, what
//! the clipping does.

use super::{comment, py_num};
use crate::engine::activation::{Activation, LEAKY_SLOPE};
use crate::engine::clip::Clipping;
use crate::engine::init::{Initializer, TRUNCATION_STD};

/// Why this initializer, in a comment (lines start with `# `, at `indent`).
pub(super) fn init_comment(init: Initializer, indent: usize) -> String {
    let text = match init {
        Initializer::GlorotUniform | Initializer::GlorotNormal => {
            "Glorot (Xavier): Var(w) = 2 / (fan_in + fan_out), a compromise that keeps both the \
             signal going forward and the gradient coming back at about the same scale; made for \
             tanh and sigmoid."
        }
        Initializer::HeUniform | Initializer::HeNormal => {
            "He: Var(w) = 2 / fan_in. ReLU zeroes about half of its inputs; the factor 2 makes up \
             for it, so the signal keeps its scale through many layers."
        }
        Initializer::LecunUniform | Initializer::LecunNormal => {
            "LeCun: Var(w) = 1 / fan_in, the scale that keeps SELU's activations at mean 0 and \
             variance 1 from layer to layer."
        }
        Initializer::Small => {
            "N(0, 0.01^2), on purpose too small: every layer shrinks the signal and the \
             gradient, so in a deep network both fade away."
        }
        Initializer::Large => {
            "N(0, 1), on purpose too large: every layer amplifies the signal and the gradient, \
             so in a deep network they explode (or saturate tanh and sigmoid)."
        }
        Initializer::Zeros => {
            "All zeros, on purpose: every unit of a layer computes the same thing and gets the \
             same gradient, so the units never become different (with ReLU nothing flows at all)."
        }
    };
    let mut text = text.to_string();
    if matches!(
        init,
        Initializer::GlorotUniform | Initializer::HeUniform | Initializer::LecunUniform
    ) {
        text.push_str(" Drawn uniformly from [-limit, limit], limit = sqrt(3 * Var(w)).");
    }
    if matches!(
        init,
        Initializer::GlorotNormal | Initializer::HeNormal | Initializer::LecunNormal
    ) {
        text.push_str(&format!(
            " Drawn from a normal cut at two standard deviations (draws beyond are redrawn), \
             its sd divided by {TRUNCATION_STD:.4} so that the cut draw still has that variance."
        ));
    }
    comment(&text, indent)
}

/// What the activation does, in a comment.
pub(super) fn activation_comment(activation: Activation, indent: usize) -> String {
    let text = match activation {
        Activation::Linear => {
            "No activation: every layer is linear, so the whole network is one linear map."
                .to_string()
        }
        Activation::Sigmoid => {
            "Sigmoid: its slope is at most 0.25, so the gradient shrinks at every layer.".into()
        }
        Activation::Tanh => "tanh: slope 1 at 0, but flat (saturated) for large inputs.".into(),
        Activation::Relu => "ReLU: slope 1 for positive inputs, 0 otherwise.".into(),
        Activation::LeakyRelu => format!(
            "Leaky ReLU with slope {} for negative inputs (PyTorch's default; Keras' \
             LeakyReLU defaults to 0.3, so it is given).",
            py_num(LEAKY_SLOPE)
        ),
        Activation::Elu => "ELU: x for x > 0, exp(x) - 1 below (alpha = 1).".into(),
        Activation::Selu => {
            "SELU: a scaled ELU whose constants keep activations normalized with LeCun \
             initial weights."
                .into()
        }
    };
    comment(&text, indent)
}

/// What the clipping does, in a comment (empty when off).
pub(super) fn clip_comment(clipping: Clipping, indent: usize) -> String {
    let at = py_num(clipping.threshold().unwrap_or(0.0));
    let text = match clipping {
        Clipping::Off => return String::new(),
        Clipping::Value(_) => format!(
            "clipvalue: every element of every gradient is cut to [-{at}, {at}] before the \
             update; the large components are capped, so the gradient's direction can change."
        ),
        Clipping::Norm(_) => format!(
            "clipnorm: each variable's gradient (each kernel, each bias, on its own) longer than \
             {at} is scaled down to norm {at}; its direction is kept."
        ),
        Clipping::GlobalNorm(_) => format!(
            "global_clipnorm: when the norm of all gradients taken together exceeds {at}, they \
             are all scaled by the same factor down to it; the update's direction is kept."
        ),
    };
    comment(&text, indent)
}
