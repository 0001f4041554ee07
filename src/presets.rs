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
        watch: "Bars of similar height in every layer; the loss falls steadily.",
        config: base,
    },
    Preset {
        id: "sigmoid",
        title: "Vanishing: sigmoid + Glorot, 10 layers",
        watch: "The bars fall by about 4× per layer toward the input; accuracy stays at chance.",
        config: || Config {
            activation: Activation::Sigmoid,
            init: Initializer::GlorotUniform,
            ..base()
        },
    },
    Preset {
        id: "relu50_glorot",
        title: "Deep ReLU, Glorot init, 50 layers",
        watch: "δ shrinks by √2 per layer: switch init to he_normal and it trains.",
        config: || Config {
            depth: 50,
            init: Initializer::GlorotUniform,
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
        title: "Too-large weights (sd 1): exploding",
        watch: "Huge gradients, then the loss turns into NaN.",
        config: || Config {
            init: Initializer::Large,
            ..base()
        },
    },
    Preset {
        id: "tanh_large",
        title: "tanh + large weights: growth toward the input",
        watch: "The bars rise toward layer 1: the gradient grows as it goes back.",
        config: || Config {
            activation: Activation::Tanh,
            init: Initializer::Large,
            lr: 0.01,
            ..base()
        },
    },
    Preset {
        id: "clipped",
        title: "Large weights tamed by clipnorm 1.0",
        watch: "Same start as the exploding run; clipping bounds each step.",
        config: || Config {
            init: Initializer::Large,
            clipping: Clipping::Norm(1.0),
            ..base()
        },
    },
    Preset {
        id: "notes_clipvalue",
        title: "The notes' experiment: SGD + clipvalue 0.5",
        watch: "Compare with clipping off: every gradient element is held within ±0.5.",
        config: || Config {
            activation: Activation::Sigmoid,
            init: Initializer::GlorotUniform,
            depth: 5,
            clipping: Clipping::Value(0.5),
            lr: 0.5,
            ..base()
        },
    },
    Preset {
        id: "bn_sigmoid",
        title: "Batch norm rescues deep sigmoid",
        watch: "The sigmoid net from above, now with batch norm before each activation.",
        config: || Config {
            activation: Activation::Sigmoid,
            init: Initializer::GlorotUniform,
            batch_norm: BatchNormPlacement::Before,
            ..base()
        },
    },
    Preset {
        id: "selu",
        title: "SELU + LeCun normal, 30 layers: self-normalizing",
        watch: "Activations keep mean ≈ 0 and sd ≈ 1 without batch norm.",
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
        watch: "No gradient reaches the hidden layers at all.",
        config: || Config {
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
