//! A run's configuration, with the ranges the product accepts.

use serde::{Deserialize, Serialize};

use super::activation::Activation;
use super::clip::Clipping;
use super::data::DatasetKind;
use super::init::Initializer;
use super::model::ModelKind;
use super::network::BatchNormPlacement;
use super::optim::OptimizerKind;
use super::recurrent::RecurrentInit;
use super::settings::{find, Setting, SETTINGS};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// The multilayer perceptron, or a recurrent network over a sequence task.
    #[serde(default)]
    pub model: ModelKind,
    pub dataset: DatasetKind,
    /// A sequence task's length T (time steps), recurrent models only.
    #[serde(default = "default_seq_len")]
    pub seq_len: usize,
    /// The recurrent kernel U's initializer, and the factor its weights are multiplied by.
    #[serde(default = "default_recurrent_init")]
    pub recurrent_init: RecurrentInit,
    #[serde(default = "default_gain")]
    pub recurrent_gain: f64,
    /// Jitter of the 2-D toy sets, 0..1 (ignored for digits).
    pub noise: f64,
    pub depth: usize,
    pub width: usize,
    pub activation: Activation,
    pub init: Initializer,
    pub batch_norm: BatchNormPlacement,
    pub optimizer: OptimizerKind,
    pub lr: f64,
    pub batch_size: usize,
    pub epochs: usize,
    /// Seeds the order in which training samples are visited.
    pub seed: u64,
    /// Seeds the initial weights (re-initializing draws a new one; the data order stays).
    pub init_seed: u64,
    /// λ of the L2 penalty λ·Σw² on kernels (0 = off).
    pub l2: f64,
    pub clipping: Clipping,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            model: ModelKind::Mlp,
            dataset: DatasetKind::Digits,
            seq_len: default_seq_len(),
            recurrent_init: default_recurrent_init(),
            recurrent_gain: default_gain(),
            noise: 0.1,
            depth: 10,
            width: 64,
            activation: Activation::Relu,
            init: Initializer::HeNormal,
            batch_norm: BatchNormPlacement::None,
            optimizer: OptimizerKind::Sgd,
            // 0.05 learns faster but its validation curve jumps; 0.02 reads calmly.
            lr: 0.02,
            batch_size: 32,
            epochs: 20,
            seed: 0,
            init_seed: 0,
            l2: 0.0,
            clipping: Clipping::Off,
        }
    }
}

fn default_seq_len() -> usize {
    20
}

fn default_recurrent_init() -> RecurrentInit {
    RecurrentInit::Orthogonal
}

fn default_gain() -> f64 {
    1.0
}

/// A value outside what the product accepts: which setting, and what would be accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub field: &'static str,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Of `n` training samples, those an epoch visits: all of them, except that with batch
    /// norm a trailing batch of one is dropped — normalizing a single sample turns every value
    /// into 0 (its own mean), so no gradient would pass and the moving variance would collapse.
    pub fn samples_per_epoch(&self, n: usize) -> usize {
        let bn = self.batch_norm != BatchNormPlacement::None;
        if bn && n % self.batch_size == 1 && n > 1 {
            n - 1
        } else {
            n
        }
    }

    /// Steps (mini-batches) per epoch over `n` training samples.
    pub fn steps_per_epoch(&self, n: usize) -> usize {
        self.samples_per_epoch(n).div_ceil(self.batch_size.max(1))
    }

    /// Trainable values of the network on data with `inputs` features and `classes` classes:
    /// each Dense layer's kernel and bias, and batch norm's γ and β per hidden layer.
    pub fn parameter_count(&self, inputs: usize, classes: usize) -> usize {
        let w = self.width;
        if self.model.is_recurrent() {
            // W, U and b of the cell, then the output layer (`inputs` per time step).
            return (inputs + w + 1) * w + (w + 1) * classes;
        }
        let dense =
            (inputs + 1) * w + self.depth.saturating_sub(1) * (w + 1) * w + (w + 1) * classes;
        let bn = match self.batch_norm {
            BatchNormPlacement::None => 0,
            _ => 2 * w * self.depth,
        };
        dense + bn
    }

    /// Bytes the trainer keeps per trainable value (f32): the value and its gradient, plus the
    /// optimizer's slots (momentum: a velocity; Adam: two moments).
    pub fn bytes_per_parameter(&self) -> usize {
        let slots = match self.optimizer {
            OptimizerKind::Sgd => 0,
            OptimizerKind::Momentum => 1,
            OptimizerKind::Adam => 2,
        };
        4 * (2 + slots)
    }

    /// Every problem with this configuration (empty when it can run): each setting of the
    /// table that means something here, checked against its range.
    pub fn problems(&self) -> Vec<ConfigError> {
        let mut out: Vec<ConfigError> = SETTINGS
            .iter()
            .filter(|s| s.key != "clip_at" || self.clipping != Clipping::Off)
            .filter_map(|s| check(s, self).err())
            .collect();
        out.extend(self.model_problems());
        // Settings that only clash together.
        if self.batch_size == 1 && self.batch_norm != BatchNormPlacement::None {
            out.push(ConfigError {
                field: "batch_size",
                message: "1 does not work with batch norm: a batch of one sample is normalized \
                          to all zeros, so no gradient passes; allowed: 2 or more, or batch norm off"
                    .into(),
            });
        }
        out
    }

    /// Turns to another model with that model's own starting point: a recurrent model reads
    /// delayed digits through tanh with Glorot-uniform input weights (Keras' `SimpleRNN`
    /// defaults); the MLP goes back to the digits, ReLU and He. Nothing else changes when the
    /// model does not, or goes from one recurrent cell to the other. Settings given with the model are applied after it (table order), so they win.
    pub fn switch_model(&mut self, model: ModelKind) {
        if model == self.model {
            return;
        }
        // From one recurrent cell to the other: the task and the recurrent settings still hold.
        if model.is_recurrent() && self.model.is_recurrent() {
            self.model = model;
            return;
        }
        let start = Config::default();
        self.model = model;
        // The other model's own settings go back to their defaults: they mean nothing now.
        self.depth = start.depth;
        self.seq_len = start.seq_len;
        self.recurrent_init = start.recurrent_init;
        self.recurrent_gain = start.recurrent_gain;
        if model.is_recurrent() {
            if !self.dataset.is_sequence() {
                self.dataset = DatasetKind::DelayedDigits;
            }
            self.activation = Activation::Tanh;
            self.init = Initializer::GlorotUniform;
            self.batch_norm = BatchNormPlacement::None;
        } else {
            if self.dataset.is_sequence() {
                self.dataset = start.dataset;
            }
            self.activation = start.activation;
            self.init = start.init;
        }
    }

    /// Puts the other model's own settings at their defaults, as `switch_model` leaves them
    /// (a link does not write them, so any other value would not replay).
    pub fn reset_other_model_settings(&mut self) {
        let start = Config::default();
        if self.model.is_recurrent() {
            self.depth = start.depth;
        } else {
            self.seq_len = start.seq_len;
            self.recurrent_init = start.recurrent_init;
            self.recurrent_gain = start.recurrent_gain;
        }
    }

    /// Puts the task and batch norm back in line with the model (a recurrent model reads a
    /// sequence task and has no batch norm; the MLP reads no sequence task), and the other
    /// model's own settings at their defaults.
    pub fn fit_to_model(&mut self) {
        self.reset_other_model_settings();
        if self.model.is_recurrent() != self.dataset.is_sequence() {
            self.dataset = if self.model.is_recurrent() {
                DatasetKind::DelayedDigits
            } else {
                DatasetKind::Digits
            };
        }
        if self.model.is_recurrent() {
            self.batch_norm = BatchNormPlacement::None;
        }
    }

    /// A setting that means nothing for the model, or a task it cannot read.
    fn model_problems(&self) -> Vec<ConfigError> {
        let mut out = Vec::new();
        let recurrent = self.model.is_recurrent();
        if recurrent && !self.dataset.is_sequence() {
            out.push(ConfigError {
                field: "dataset",
                message: format!(
                    "{} is not a sequence task; model {} reads sequences: {}",
                    self.dataset.name(),
                    self.model.name(),
                    sequence_names()
                ),
            });
        }
        if !recurrent && self.dataset.is_sequence() {
            out.push(ConfigError {
                field: "dataset",
                message: format!(
                    "{} is a sequence task: it needs a recurrent model (model rnn)",
                    self.dataset.name()
                ),
            });
        }
        if recurrent && self.batch_norm != BatchNormPlacement::None {
            out.push(ConfigError {
                field: "batch_norm",
                message: format!(
                    "does not apply to model {}: it normalizes the MLP's hidden layers; allowed: none",
                    self.model.name()
                ),
            });
        }
        out
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        self.problems().into_iter().next().map_or(Ok(()), Err)
    }
}

fn check(setting: &Setting, config: &Config) -> Result<(), ConfigError> {
    setting
        .check((setting.get)(config))
        .map_err(|message| ConfigError {
            field: setting.key,
            message,
        })
}

/// The learning rate's range check (a live change is checked before it is applied).
pub fn check_lr(lr: f64) -> Result<(), ConfigError> {
    let c = Config {
        lr,
        ..Config::default()
    };
    check(setting("lr"), &c)
}

/// The clipping threshold's range check.
pub fn check_clipping(clipping: Clipping) -> Result<(), ConfigError> {
    let c = Config {
        clipping,
        ..Config::default()
    };
    c.validate()
}

/// A row of the settings table by key (a typo here is a bug: it panics in tests).
pub fn setting(key: &str) -> &'static Setting {
    find(key).unwrap_or_else(|| panic!("no setting '{key}'"))
}

fn sequence_names() -> String {
    DatasetKind::ALL
        .iter()
        .filter(|d| d.is_sequence())
        .map(|d| d.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The most epochs a run may have.
pub fn max_epochs() -> usize {
    setting("epochs").range().1 as usize
}
