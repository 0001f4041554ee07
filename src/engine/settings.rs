//! Every setting of a run, once: its name (also its link key), its command-line flag, what it
//! accepts, its help line, and whether it changes a running network (*live*) or builds a new
//! one (*structural*). The command line, the link codec, the range checks and the page's
//! controls all read this table; a new hyper-parameter is one new row.

use super::activation::Activation;
use super::clip::Clipping;
use super::config::Config;
use super::data::DatasetKind;
use super::init::Initializer;
use super::network::BatchNormPlacement;
use super::optim::OptimizerKind;

/// What a setting accepts.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// One of a list of names.
    Choice(fn() -> Vec<&'static str>),
    /// A whole number from `min` to `max`.
    Whole { min: u64, max: u64 },
    /// A finite number from `min` (excluded when `above_min`) to `max`.
    Number { min: f64, max: f64, above_min: bool },
}

/// A setting's value, as the table reads and writes it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Name(&'static str),
    Whole(u64),
    Number(f64),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Name(n) => f.write_str(n),
            Value::Whole(n) => write!(f, "{n}"),
            // Rust's shortest form that reads back to the same f64 (0.0001, 1e-6 → 0.000001).
            Value::Number(x) => write!(f, "{x}"),
        }
    }
}

pub struct Setting {
    /// The name used everywhere: the link key, the `Config` field, the JSON key.
    pub key: &'static str,
    /// Link keys of earlier versions that are still read.
    pub aliases: &'static [&'static str],
    /// The command-line flag.
    pub flag: &'static str,
    /// The label on the page.
    pub label: &'static str,
    pub kind: Kind,
    /// One line on what it does (the page's hint and `--help`).
    pub help: &'static str,
    /// Changes the running network in place (else a new run is built).
    pub live: bool,
    /// Whether the setting means something for this configuration (else it is not written).
    pub written: fn(&Config) -> bool,
    pub get: fn(&Config) -> Value,
    /// Stores an already checked value.
    pub set: fn(&mut Config, Value),
}

/// The clipping threshold a mode starts with when none was given.
pub const DEFAULT_CLIP_AT: f64 = 1.0;

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|&v| name(v)).collect()
}

fn always(_: &Config) -> bool {
    true
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
        written: always,
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
        key: "batch_norm",
        aliases: &["bn"],
        flag: "--batch-norm",
        label: "Batch normalization",
        kind: Kind::Choice(|| names(&BatchNormPlacement::ALL, BatchNormPlacement::name)),
        help: "re-centres and re-scales each layer's values on every batch, before or after the activation",
        live: false,
        written: always,
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
        kind: Kind::Whole { min: 0, max: 1000 },
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

/// The setting with this key, or with this key as an older alias.
pub fn find(key: &str) -> Option<&'static Setting> {
    SETTINGS
        .iter()
        .find(|s| s.key == key || s.aliases.contains(&key))
}

pub fn by_flag(flag: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.flag == flag)
}

impl Setting {
    /// What is accepted, in words ("an integer from 1 to 100").
    pub fn allowed(&self) -> String {
        match self.kind {
            Kind::Choice(names) => format!("one of {}", names().join(", ")),
            Kind::Whole { min, max } if max == u64::MAX => format!("a whole number ≥ {min}"),
            Kind::Whole { min, max } => format!("an integer from {min} to {max}"),
            Kind::Number {
                min,
                max,
                above_min,
            } => {
                if above_min {
                    format!("a number above {}, at most {}", short(min), short(max))
                } else {
                    format!("a number from {} to {}", short(min), short(max))
                }
            }
        }
    }

    /// Reads a value from text, checked against the setting's range; the error says why.
    pub fn parse(&self, text: &str) -> Result<Value, String> {
        let text = text.trim();
        let value = match self.kind {
            Kind::Choice(names) => names()
                .into_iter()
                .find(|n| *n == text)
                .map(Value::Name)
                .ok_or_else(|| format!("'{text}' is not {}", self.allowed()))?,
            Kind::Whole { .. } => match text.parse::<u64>() {
                Ok(n) => Value::Whole(n),
                // A number, but not a whole one in range: say it is out of range.
                Err(_) => match text.parse::<f64>() {
                    Ok(x) if x.is_finite() => {
                        return Err(format!(
                            "{text} is out of range; allowed: {}",
                            self.allowed()
                        ))
                    }
                    _ => return Err(format!("'{text}' is not {}", self.allowed())),
                },
            },
            Kind::Number { .. } => match text.parse::<f64>() {
                Ok(x) => Value::Number(x),
                Err(_) => return Err(format!("'{text}' is not {}", self.allowed())),
            },
        };
        self.check(value)?;
        Ok(value)
    }

    /// Whether a value is in the setting's range.
    pub fn check(&self, value: Value) -> Result<(), String> {
        let ok = match (self.kind, value) {
            (Kind::Choice(names), Value::Name(n)) => names().contains(&n),
            (Kind::Whole { min, max }, Value::Whole(n)) => (min..=max).contains(&n),
            (
                Kind::Number {
                    min,
                    max,
                    above_min,
                },
                Value::Number(x),
            ) => x.is_finite() && x <= max && if above_min { x > min } else { x >= min },
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(format!(
                "{value} is out of range; allowed: {}",
                self.allowed()
            ))
        }
    }

    /// The value of this setting in `config`, as text (what a link or the command line says).
    pub fn text(&self, config: &Config) -> String {
        (self.get)(config).to_string()
    }

    /// The choices of a choice setting (empty otherwise).
    pub fn choices(&self) -> Vec<&'static str> {
        match self.kind {
            Kind::Choice(names) => names(),
            _ => Vec::new(),
        }
    }

    /// The range of a numeric setting, as numbers.
    pub fn range(&self) -> (f64, f64) {
        match self.kind {
            Kind::Whole { min, max } => (min as f64, max as f64),
            Kind::Number { min, max, .. } => (min, max),
            Kind::Choice(_) => (f64::NAN, f64::NAN),
        }
    }

    /// Clamps a number into the setting's range (for a control that takes the nearest
    /// allowed value); whole settings round.
    pub fn clamp(&self, x: f64) -> Value {
        let (lo, hi) = self.range();
        match self.kind {
            Kind::Whole { .. } => Value::Whole(x.round().clamp(lo, hi) as u64),
            _ => Value::Number(x.clamp(lo, hi)),
        }
    }
}

/// 1e-6 and 1e6 rather than 0.000001 and 1000000 in messages.
fn short(x: f64) -> String {
    if x != 0.0 && !(1e-3..1e5).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Applies (key, text) pairs to a configuration in the table's order, whatever their order
/// in the input (so `init_seed` wins over `seed`, and `clip_at` follows `clip`). Returns one
/// problem per pair that could not be used: (the key as given, the reason).
pub fn apply(config: &mut Config, pairs: &[(&Setting, String)]) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    for setting in SETTINGS {
        for (_, text) in pairs.iter().filter(|(s, _)| std::ptr::eq(*s, setting)) {
            match setting.parse(text) {
                Ok(v) => (setting.set)(config, v),
                Err(e) => problems.push((setting.key, e)),
            }
        }
    }
    problems
}

/// The settings in which two configurations differ (table order).
pub fn differences(a: &Config, b: &Config) -> Vec<&'static Setting> {
    SETTINGS
        .iter()
        .filter(|s| ((s.written)(a) || (s.written)(b)) && (s.get)(a) != (s.get)(b))
        .collect()
}

/// A short phrase for a setting's value in `config`, for legends ("clipvalue 0.5",
/// "no clipping", "init he_normal").
pub fn describe(setting: &Setting, config: &Config) -> String {
    match setting.key {
        "clip" | "clip_at" => match config.clipping.threshold() {
            Some(t) => format!("{} {}", config.clipping.mode_name(), Value::Number(t)),
            None => "no clipping".into(),
        },
        key => format!("{key} {}", setting.text(config)),
    }
}

/// How a run differs from another, as `key:value` pairs joined by commas (the link's `vs=`
/// parameter): `clip:clipvalue,clip_at:0.5`. Empty when the two are the same.
pub fn diff_text(base: &Config, other: &Config) -> String {
    changes(base, other)
        .iter()
        .map(|s| format!("{}:{}", s.key, s.text(other)))
        .collect::<Vec<_>>()
        .join(",")
}

/// The settings to write so that applying them to `from` (in the table's order, as
/// [`apply`] does) gives `to`: a later row may depend on an earlier one (the seed also sets
/// the weights' seed; a clipping mode starts at the default threshold).
pub fn changes(from: &Config, to: &Config) -> Vec<&'static Setting> {
    let mut replay = from.clone();
    let mut out = Vec::new();
    for s in SETTINGS {
        if (s.written)(to) && (s.get)(&replay) != (s.get)(to) {
            (s.set)(&mut replay, (s.get)(to));
            out.push(s);
        }
    }
    out
}

/// The run that `text` (as written by [`diff_text`]) describes relative to `base`, and one
/// message per pair that could not be used.
pub fn apply_diff_text(base: &Config, text: &str) -> (Config, Vec<String>) {
    let mut config = base.clone();
    let mut notices = Vec::new();
    let mut pairs = Vec::new();
    for item in text.split(',').filter(|s| !s.trim().is_empty()) {
        match item.split_once(':').map(|(k, v)| (find(k.trim()), k, v)) {
            Some((Some(s), _, v)) => pairs.push((s, v.to_string())),
            Some((None, k, _)) => notices.push(format!("unknown setting '{k}' ignored")),
            None => notices.push(format!("'{item}' is not key:value")),
        }
    }
    for (key, e) in apply(&mut config, &pairs) {
        notices.push(format!("{key}: {e}"));
    }
    (config, notices)
}
