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
        kind: Kind::Choice(|| names(&ModelKind::ALL, ModelKind::name)),
        live: false,
        written: recurrent_only,
        get: |c| Value::Name(c.model.name()),
        set: |c, v| c.switch_model(ModelKind::from_name(name_of(v)).unwrap_or(c.model)),
    },
    Setting {
        key: "dataset",
        aliases: &[],
        kind: Kind::Choice(|| names(&DatasetKind::ALL, DatasetKind::name)),
        live: false,
        written: always,
        get: |c| Value::Name(c.dataset.name()),
        set: |c, v| c.dataset = DatasetKind::from_name(name_of(v)).unwrap_or(c.dataset),
    },
    Setting {
        key: "seq_len",
        aliases: &[],
        kind: Kind::Whole { min: 8, max: 400 },
        live: false,
        written: recurrent_only,
        get: |c| Value::Whole(c.seq_len as u64),
        set: |c, v| c.seq_len = whole(v) as usize,
    },
    Setting {
        key: "noise",
        aliases: &[],
        kind: Kind::Number {
            min: 0.0,
            max: 1.0,
            above_min: false,
        },
        live: false,
        written: always,
        get: |c| Value::Number(c.noise),
        set: |c, v| c.noise = number(v),
    },
    Setting {
        key: "depth",
        aliases: &[],
        kind: Kind::Whole { min: 1, max: 100 },
        live: false,
        written: mlp_only,
        get: |c| Value::Whole(c.depth as u64),
        set: |c, v| c.depth = whole(v) as usize,
    },
    Setting {
        key: "width",
        aliases: &[],
        kind: Kind::Whole { min: 2, max: 512 },
        live: false,
        written: always,
        get: |c| Value::Whole(c.width as u64),
        set: |c, v| c.width = whole(v) as usize,
    },
    Setting {
        key: "activation",
        aliases: &[],
        kind: Kind::Choice(|| names(&Activation::ALL, Activation::name)),
        live: false,
        written: always,
        get: |c| Value::Name(c.activation.name()),
        set: |c, v| c.activation = Activation::from_name(name_of(v)).unwrap_or(c.activation),
    },
    Setting {
        key: "init",
        aliases: &[],
        kind: Kind::Choice(|| names(&Initializer::ALL, Initializer::name)),
        live: false,
        written: always,
        get: |c| Value::Name(c.init.name()),
        set: |c, v| c.init = Initializer::from_name(name_of(v)).unwrap_or(c.init),
    },
    Setting {
        key: "recurrent_init",
        aliases: &[],
        kind: Kind::Choice(|| names(&RecurrentInit::all(), RecurrentInit::name)),
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
        kind: Kind::Number {
            min: 0.0,
            max: 10.0,
            above_min: false,
        },
        live: false,
        written: recurrent_only,
        get: |c| Value::Number(c.recurrent_gain),
        set: |c, v| c.recurrent_gain = number(v),
    },
    Setting {
        key: "batch_norm",
        aliases: &["bn"],
        kind: Kind::Choice(|| names(&BatchNormPlacement::ALL, BatchNormPlacement::name)),
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
        kind: Kind::Choice(|| names(&OptimizerKind::ALL, OptimizerKind::name)),
        live: false,
        written: always,
        get: |c| Value::Name(c.optimizer.name()),
        set: |c, v| c.optimizer = OptimizerKind::from_name(name_of(v)).unwrap_or(c.optimizer),
    },
    Setting {
        key: "lr",
        aliases: &[],
        kind: Kind::Number {
            min: 1e-6,
            max: 10.0,
            above_min: false,
        },
        live: true,
        written: always,
        get: |c| Value::Number(c.lr),
        set: |c, v| c.lr = number(v),
    },
    Setting {
        key: "batch_size",
        aliases: &["batch"],
        kind: Kind::Whole { min: 1, max: 512 },
        live: false,
        written: always,
        get: |c| Value::Whole(c.batch_size as u64),
        set: |c, v| c.batch_size = whole(v) as usize,
    },
    Setting {
        key: "epochs",
        aliases: &[],
        kind: Kind::Whole {
            min: 0,
            max: 10_000,
        },
        live: true,
        written: always,
        get: |c| Value::Whole(c.epochs as u64),
        set: |c, v| c.epochs = whole(v) as usize,
    },
    Setting {
        key: "seed",
        aliases: &[],
        kind: Kind::Whole {
            min: 0,
            max: u64::MAX,
        },
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
        kind: Kind::Whole {
            min: 0,
            max: u64::MAX,
        },
        live: false,
        written: |c| c.init_seed != c.seed,
        get: |c| Value::Whole(c.init_seed),
        set: |c, v| c.init_seed = whole(v),
    },
    Setting {
        key: "l2",
        aliases: &[],
        kind: Kind::Number {
            min: 0.0,
            max: 1.0,
            above_min: false,
        },
        live: false,
        written: |c| c.l2 != 0.0,
        get: |c| Value::Number(c.l2),
        set: |c, v| c.l2 = number(v),
    },
    Setting {
        key: "clip",
        aliases: &[],
        kind: Kind::Choice(|| Clipping::MODES.to_vec()),
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
        kind: Kind::Number {
            min: 0.0,
            max: 1e6,
            above_min: true,
        },
        live: true,
        written: |c| c.clipping != Clipping::Off,
        get: |c| Value::Number(c.clipping.threshold().unwrap_or(DEFAULT_CLIP_AT)),
        set: |c, v| {
            c.clipping =
                Clipping::from_parts(c.clipping.mode_name(), number(v)).unwrap_or(c.clipping)
        },
    },
];
