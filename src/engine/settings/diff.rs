//! Comparing configurations setting by setting: what differs, and the `key:value,…` text of a
//! link's `vs=` parameter that turns one run into another.

use super::{applies_to_model, excerpt, find, Setting, Value, SETTINGS};
use crate::engine::config::Config;

/// Applies (key, text) pairs to a configuration in the table's order, whatever their order
/// in the input (so `init_seed` wins over `seed`, and `clip_at` follows `clip`). Returns one
/// problem per pair that could not be used: (the key as given, the reason).
///
/// A setting for the other model (depth on a recurrent run) keeps its earlier value.
pub fn apply(config: &mut Config, pairs: &[(&Setting, String)]) -> Vec<(&'static str, String)> {
    let before = config.clone();
    let mut problems = Vec::new();
    for setting in SETTINGS {
        for (_, text) in pairs.iter().filter(|(s, _)| std::ptr::eq(*s, setting)) {
            match setting.parse(text) {
                Ok(v) => (setting.set)(config, v),
                Err(e) => problems.push((setting.key, e)),
            }
        }
    }
    for setting in SETTINGS {
        let given = pairs.iter().any(|(s, _)| std::ptr::eq(*s, setting));
        if given && !applies_to_model(setting, config) {
            (setting.set)(config, (setting.get)(&before));
            let model = config.model.name();
            problems.push((setting.key, format!("does not apply to model {model}")));
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
/// "no clipping", "init he_normal", "batch norm before", "sigmoid").
pub fn describe(setting: &Setting, config: &Config) -> String {
    let text = setting.text(config);
    match setting.key {
        "clip" | "clip_at" => match config.clipping.threshold() {
            Some(t) => format!("{} {}", config.clipping.mode_name(), Value::Number(t)),
            None => "no clipping".into(),
        },
        "batch_norm" if text == "none" => "no batch norm".into(),
        "batch_norm" => format!("batch norm {text}"),
        "activation" | "dataset" | "optimizer" => text,
        "batch_size" => format!("batch {text}"),
        "init_seed" => format!("weights seed {text}"),
        key => format!("{key} {text}"),
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
        // Whether `to` would write this setting in full does not matter here: init_seed equal
        // to the seed, or an L2 of 0, must still be written when the replay differs.
        if (s.get)(&replay) != (s.get)(to) && applies_to_model(s, to) {
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
            Some((None, k, _)) => notices.push(format!("unknown setting '{}' ignored", excerpt(k))),
            None => notices.push(format!("'{}' is not key:value", excerpt(item))),
        }
    }
    for (key, e) in apply(&mut config, &pairs) {
        notices.push(format!("{key}: {e}"));
    }
    (config, notices)
}
