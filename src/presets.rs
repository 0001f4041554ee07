//! The lessons the app offers in one click (DESIGN §6), each a complete configuration.

use crate::engine::activation::Activation;
use crate::engine::clip::Clipping;
use crate::engine::config::Config;
use crate::engine::init::Initializer;
use crate::engine::network::BatchNormPlacement;

pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    /// What to look for, in a sentence.
    pub watch: &'static str,
    pub config: fn() -> Config,
}

fn base() -> Config {
    Config::default()
}

pub const PRESETS: &[Preset] = &[
    Preset {
        id: "healthy",
        title: "Healthy: ReLU + He, 10 layers",
        watch: "Bars of similar height in every layer; accuracy climbs past 90 %.",
        config: base,
    },
    Preset {
        id: "sigmoid",
        title: "Vanishing: sigmoid + Glorot",
        watch: "The bars fall about 4× per layer toward the input; accuracy stays at chance.",
        config: || Config {
            activation: Activation::Sigmoid,
            init: Initializer::GlorotUniform,
            ..base()
        },
    },
    Preset {
        id: "relu30_glorot",
        title: "30 ReLU layers: Glorot vs He",
        watch: "With Glorot, δ starts out shrinking about 0.7× per layer and nothing learns. Switch the initializer to he_normal: it learns (roughly 60–90 % after 20 epochs — 30 plain layers train noisily).",
        config: || Config {
            depth: 30,
            init: Initializer::GlorotUniform,
            lr: 0.01,
            ..base()
        },
    },
    Preset {
        id: "small",
        title: "Too-small weights (sd 0.01)",
        watch: "Every gradient is tiny: the weights barely move.",
        config: || Config {
            init: Initializer::Small,
            ..base()
        },
    },
    Preset {
        id: "large",
        title: "Too-large weights: exploding",
        watch: "Huge gradients in the first epoch, then the loss turns into NaN.",
        config: || Config {
            init: Initializer::Large,
            ..base()
        },
    },
    Preset {
        id: "notes_clipvalue",
        title: "The notes: clipvalue 0.5 saves it",
        watch: "Large weights with clipvalue 0.5 learn (about 80 %) although the loss stays huge. Set clipping to off and press reset: the same run diverges in its first epoch.",
        config: || Config {
            init: Initializer::Large,
            lr: 0.01,
            clipping: Clipping::Value(0.5),
            ..base()
        },
    },
    Preset {
        id: "clipnorm",
        title: "Large weights with clipnorm 1.0",
        watch: "Each variable's step is capped at norm 1: slower than clipvalue here, but no divergence.",
        config: || Config {
            init: Initializer::Large,
            lr: 0.01,
            clipping: Clipping::Norm(1.0),
            ..base()
        },
    },
    Preset {
        id: "tanh_large",
        title: "tanh + large weights",
        watch: "At epoch 0 the bars rise toward layer 1: the gradient grows on its way back. Training then saturates the units and it vanishes instead.",
        config: || Config {
            activation: Activation::Tanh,
            init: Initializer::Large,
            lr: 0.01,
            ..base()
        },
    },
    Preset {
        id: "bn_sigmoid",
        title: "Batch norm rescues sigmoid",
        watch: "Training accuracy rises at once; validation follows a few epochs later, once the moving averages (momentum 0.99) have caught up — Keras behaves the same.",
        config: || Config {
            activation: Activation::Sigmoid,
            init: Initializer::GlorotUniform,
            batch_norm: BatchNormPlacement::Before,
            ..base()
        },
    },
    Preset {
        id: "selu",
        title: "SELU + LeCun normal, 30 layers",
        watch: "Self-normalizing: δ changes by only about 10 % per layer across 30 layers, without batch norm.",
        config: || Config {
            depth: 30,
            activation: Activation::Selu,
            init: Initializer::LecunNormal,
            lr: 0.01,
            ..base()
        },
    },
    Preset {
        id: "zeros",
        title: "Zero init: symmetry never breaks",
        watch: "Every unit of a layer computes the same thing, and no gradient reaches the hidden layers.",
        config: || Config {
            activation: Activation::Tanh,
            init: Initializer::Zeros,
            ..base()
        },
    },
];

pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_a_valid_distinct_configuration() {
        for (i, p) in PRESETS.iter().enumerate() {
            assert!((p.config)().problems().is_empty(), "{}", p.id);
            for q in &PRESETS[i + 1..] {
                assert_ne!((p.config)(), (q.config)(), "{} = {}", p.id, q.id);
                assert_ne!(p.id, q.id);
            }
        }
        assert!(find("sigmoid").is_some() && find("nope").is_none());
    }
}
