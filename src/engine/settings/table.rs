//! The rows of the settings table: one per setting of a run.

use super::{Kind, Setting, Value};
use crate::engine::activation::Activation;
use crate::engine::clip::Clipping;
use crate::engine::config::Config;
use crate::engine::data::DatasetKind;
use crate::engine::init::Initializer;
use crate::engine::model::ModelKind;
use crate::engine::network::BatchNormPlacement;
use crate::engine::optim::OptimizerKind;
use crate::engine::recurrent::RecurrentInit;

/// The clipping threshold a mode starts with when none was given.
pub const DEFAULT_CLIP_AT: f64 = 1.0;

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|&v| name(v)).collect()
}

fn always(_: &Config) -> bool {
    true
}

fn mlp_only(c: &Config) -> bool {
    !c.model.is_recurrent()
}

fn recurrent_only(c: &Config) -> bool {
    c.model.is_recurrent()
}

fn name_of(v: Value) -> &'static str {
    match v {
        Value::Name(n) => n,
        _ => "",
    }
}

fn whole(v: Value) -> u64 {
    match v {
        Value::Whole(n) => n,
        _ => 0,
    }
}

fn number(v: Value) -> f64 {
    match v {
        Value::Number(x) => x,
        Value::Whole(n) => n as f64,
        Value::Name(_) => f64::NAN,
    }
}

/// The table, in the order settings are applied (a seed before the weights' own seed, the
/// clipping mode before its threshold) and shown.
pub static SETTINGS: &[Setting] = &[
    Setting {
        key: "model",
        aliases: &[],
        flag: "--model",
        label: "Model",
        kind: Kind::Choice(|| names(&ModelKind::ALL, ModelKind::name)),
        help: "mlp: layers stacked in depth; rnn: one layer applied once per time step of a sequence; lstm: the same with gates and a cell state",
        live: false,
        written: recurrent_only,
        get: |c| Value::Name(c.model.name()),
        set: |c, v| c.switch_model(ModelKind::from_name(name_of(v)).unwrap_or(c.model)),
    },
    Setting {
        key: "dataset",
        aliases: &[],
        flag: "--dataset",
        label: "Dataset",
        kind: Kind::Choice(|| names(&DatasetKind::ALL, DatasetKind::name)),
        help: "digits: 8×8 handwritten digits, 10 classes; the others are two-class 2-D puzzles",
        live: false,
        written: always,
        get: |c| Value::Name(c.dataset.name()),
        set: |c, v| c.dataset = DatasetKind::from_name(name_of(v)).unwrap_or(c.dataset),
    },
    Setting {
        key: "seq_len",
        aliases: &[],
        flag: "--seq-len",
        label: "Sequence length T",
        kind: Kind::Whole { min: 8, max: 400 },
        help: "time steps per sequence: how far back through time the gradient must reach",
        live: false,
        written: recurrent_only,
        get: |c| Value::Whole(c.seq_len as u64),
        set: |c, v| c.seq_len = whole(v) as usize,
    },
    Setting {
        key: "noise",
        aliases: &[],
        flag: "--noise",
        label: "Noise",
        kind: Kind::Number { min: 0.0, max: 1.0, above_min: false },
        help: "jitter added to the points of the 2-D sets: harder to separate",
        live: false,
        written: always,
        get: |c| Value::Number(c.noise),
        set: |c, v| c.noise = number(v),
    },
    Setting {
        key: "depth",
        aliases: &[],
        flag: "--depth",
        label: "Depth (hidden layers)",
        kind: Kind::Whole { min: 1, max: 100 },
        help: "hidden Dense layers; each multiplies the gradient once more on its way back",
        live: false,
        written: mlp_only,
        get: |c| Value::Whole(c.depth as u64),
        set: |c, v| c.depth = whole(v) as usize,
    },
    Setting {
        key: "width",
        aliases: &[],
        flag: "--width",
        label: "Width (units per layer)",
        kind: Kind::Whole { min: 2, max: 512 },
        help: "units per hidden layer: the fan-in and fan-out that scale the initial weights",
        live: false,
        written: always,
        get: |c| Value::Whole(c.width as u64),
        set: |c, v| c.width = whole(v) as usize,
    },
    Setting {
        key: "activation",
        aliases: &[],
        flag: "--activation",
        label: "Activation",
        kind: Kind::Choice(|| names(&Activation::ALL, Activation::name)),
        help: "its slope multiplies the gradient at every layer (sigmoid's is at most 0.25)",
        live: false,
        written: always,
        get: |c| Value::Name(c.activation.name()),
        set: |c, v| c.activation = Activation::from_name(name_of(v)).unwrap_or(c.activation),
    },
    Setting {
        key: "init",
        aliases: &[],
        flag: "--init",
        label: "Weight initializer",
        kind: Kind::Choice(|| names(&Initializer::ALL, Initializer::name)),
        help: "the starting weight variance: too small shrinks the signal layer by layer, too large amplifies it",
        live: false,
        written: always,
        get: |c| Value::Name(c.init.name()),
        set: |c, v| c.init = Initializer::from_name(name_of(v)).unwrap_or(c.init),
    },
    Setting {
        key: "recurrent_init",
        aliases: &[],
        flag: "--recurrent-init",
        label: "Recurrent initializer",
        kind: Kind::Choice(|| names(&RecurrentInit::all(), RecurrentInit::name)),
        help: "the recurrent kernel's start: orthogonal keeps every singular value at the gain; identity carries the state over unchanged",
        live: false,
        written: recurrent_only,
        get: |c| Value::Name(c.recurrent_init.name()),
        set: |c, v| {
            c.recurrent_init = RecurrentInit::from_name(name_of(v)).unwrap_or(c.recurrent_init)
        },
    },
    Setting {
        key: "recurrent_gain",
        aliases: &[],
        flag: "--recurrent-gain",
        label: "Recurrent gain",
        kind: Kind::Number { min: 0.0, max: 10.0, above_min: false },
        help: "multiplies the recurrent kernel: above 1 the gradient can grow step by step back in time, below 1 it fades",
        live: false,
        written: recurrent_only,
        get: |c| Value::Number(c.recurrent_gain),
        set: |c, v| c.recurrent_gain = number(v),
    },
    Setting {
        key: "batch_norm",
        aliases: &["bn"],
        flag: "--batch-norm",
        label: "Batch normalization",
        kind: Kind::Choice(|| names(&BatchNormPlacement::ALL, BatchNormPlacement::name)),
        help: "re-centres and re-scales each layer's values on every batch, before or after the activation",
        live: false,
        written: mlp_only,
        get: |c| Value::Name(c.batch_norm.name()),
        set: |c, v| {
            c.batch_norm = BatchNormPlacement::from_name(name_of(v)).unwrap_or(c.batch_norm)
        },
    },
    Setting {
        key: "optimizer",
        aliases: &[],
        flag: "--optimizer",
        label: "Optimizer",
        kind: Kind::Choice(|| names(&OptimizerKind::ALL, OptimizerKind::name)),
        help: "SGD follows the gradient; momentum (0.9) and Adam smooth and rescale it",
        live: false,
        written: always,
        get: |c| Value::Name(c.optimizer.name()),
        set: |c, v| c.optimizer = OptimizerKind::from_name(name_of(v)).unwrap_or(c.optimizer),
    },
    Setting {
        key: "lr",
        aliases: &[],
        flag: "--lr",
        label: "Learning rate",
        kind: Kind::Number { min: 1e-6, max: 10.0, above_min: false },
        help: "the step size; too large and the weights overshoot",
        live: true,
        written: always,
        get: |c| Value::Number(c.lr),
        set: |c, v| c.lr = number(v),
    },
    Setting {
        key: "batch_size",
        aliases: &["batch"],
        flag: "--batch-size",
        label: "Batch size",
        kind: Kind::Whole { min: 1, max: 512 },
        help: "samples per step; smaller batches give noisier gradients",
        live: false,
        written: always,
        get: |c| Value::Whole(c.batch_size as u64),
        set: |c, v| c.batch_size = whole(v) as usize,
    },
    Setting {
        key: "epochs",
        aliases: &[],
        flag: "--epochs",
        label: "Epochs",
        kind: Kind::Whole { min: 0, max: 10_000 },
        help: "passes over the training set; epoch 0 is the network as initialized",
        live: true,
        written: always,
        get: |c| Value::Whole(c.epochs as u64),
        set: |c, v| c.epochs = whole(v) as usize,
    },
    Setting {
        key: "seed",
        aliases: &[],
        flag: "--seed",
        label: "Seed",
        kind: Kind::Whole { min: 0, max: u64::MAX },
        help: "fixes the data order and the initial weights: the same seed replays the same run",
        live: false,
        written: always,
        get: |c| Value::Whole(c.seed),
        // The weights follow the seed unless init_seed (applied after this) says otherwise.
        set: |c, v| {
            c.seed = whole(v);
            c.init_seed = c.seed;
        },
    },
    Setting {
        key: "init_seed",
        aliases: &[],
        flag: "--init-seed",
        label: "Seed of the initial weights",
        kind: Kind::Whole { min: 0, max: u64::MAX },
        help: "draws other initial weights with the same data order (default: the seed)",
        live: false,
        written: |c| c.init_seed != c.seed,
        get: |c| Value::Whole(c.init_seed),
        set: |c, v| c.init_seed = whole(v),
    },
    Setting {
        key: "l2",
        aliases: &[],
        flag: "--l2",
        label: "L2 penalty λ",
        kind: Kind::Number { min: 0.0, max: 1.0, above_min: false },
        help: "adds λ·Σw² over the kernels to the loss, pulling weights toward zero",
        live: false,
        written: |c| c.l2 != 0.0,
        get: |c| Value::Number(c.l2),
        set: |c, v| c.l2 = number(v),
    },
    Setting {
        key: "clip",
        aliases: &[],
        flag: "--clip",
        label: "Gradient clipping",
        kind: Kind::Choice(|| Clipping::MODES.to_vec()),
        help: "caps the gradient before each update: each element (clipvalue), each variable's norm (clipnorm), or all together (global_clipnorm)",
        live: true,
        written: always,
        get: |c| Value::Name(c.clipping.mode_name()),
        set: |c, v| {
            let at = c.clipping.threshold().unwrap_or(DEFAULT_CLIP_AT);
            c.clipping = Clipping::from_parts(name_of(v), at).unwrap_or(c.clipping);
        },
    },
    Setting {
        key: "clip_at",
        aliases: &[],
        flag: "--clip-at",
        label: "Clipping threshold",
        kind: Kind::Number { min: 0.0, max: 1e6, above_min: true },
        help: "the value or norm that clipping caps the gradient at",
        live: true,
        written: |c| c.clipping != Clipping::Off,
        get: |c| Value::Number(c.clipping.threshold().unwrap_or(DEFAULT_CLIP_AT)),
        set: |c, v| {
            c.clipping = Clipping::from_parts(c.clipping.mode_name(), number(v)).unwrap_or(c.clipping)
        },
    },
];
