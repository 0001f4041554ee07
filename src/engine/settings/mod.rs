//! Every setting of a run, once: its name (also its link key), its command-line flag, what it
//! accepts, its help line, and whether it changes a running network (*live*) or builds a new
//! one (*structural*). The command line, the link codec, the range checks and the page's
//! controls all read this table; a new hyper-parameter is one new row.

use super::config::Config;
use crate::format::parse_number;

mod diff;
mod table;
mod words;

pub use diff::{apply, apply_diff_text, changes, describe, diff_text, differences};
pub use table::{DEFAULT_CLIP_AT, SETTINGS};

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
    pub kind: Kind,
    /// Changes the running network in place (else a new run is built).
    pub live: bool,
    /// Whether the setting means something for this configuration (else it is not written).
    pub written: fn(&Config) -> bool,
    pub get: fn(&Config) -> Value,
    /// Stores an already checked value.
    pub set: fn(&mut Config, Value),
}

impl Setting {
    /// The command-line flag.
    pub fn flag(&self) -> &'static str {
        words::words(self.key).flag
    }

    /// The label on the page.
    pub fn label(&self) -> &'static str {
        words::words(self.key).label
    }

    /// One line on what it does (the page's hint and `--help`).
    pub fn help(&self) -> &'static str {
        words::words(self.key).help
    }
}

/// The setting with this key, or with this key as an older alias.
pub fn find(key: &str) -> Option<&'static Setting> {
    SETTINGS
        .iter()
        .find(|s| s.key == key || s.aliases.contains(&key))
}

/// Whether a setting means anything for this configuration's model: depth and batch norm
/// shape the MLP, the sequence length and the recurrent kernel a recurrent model. Given for
/// the other model, they are refused rather than silently ignored.
pub fn applies_to_model(setting: &Setting, config: &Config) -> bool {
    let recurrent = config.model.is_recurrent();
    match setting.key {
        "depth" | "batch_norm" => !recurrent,
        "seq_len" | "recurrent_init" | "recurrent_gain" => recurrent,
        _ => true,
    }
}

pub fn by_flag(flag: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.flag() == flag)
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
                .ok_or_else(|| format!("'{}' is not {}", excerpt(text), self.allowed()))?,
            Kind::Whole { .. } => match text.parse::<u64>() {
                Ok(n) => Value::Whole(n),
                // A number, but not a whole one in range: say it is out of range.
                Err(_) => match parse_number(text) {
                    Some(x) if x.is_finite() => {
                        return Err(format!(
                            "{} is out of range; allowed: {}",
                            excerpt(text),
                            self.allowed()
                        ))
                    }
                    _ => return Err(format!("'{}' is not {}", excerpt(text), self.allowed())),
                },
            },
            Kind::Number { .. } => match parse_number(text) {
                Some(x) => Value::Number(x),
                None => return Err(format!("'{}' is not {}", excerpt(text), self.allowed())),
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
            // 1e99, not a hundred digits.
            let shown = match value {
                Value::Number(x) => short(x),
                other => excerpt(&other.to_string()),
            };
            Err(format!(
                "{shown} is out of range; allowed: {}",
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

/// At most 40 characters of what the user gave, for messages (a link may carry 30 KB).
pub fn excerpt(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
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
