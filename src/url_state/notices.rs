//! What a link's reader says about what it could not use: unknown keys (with the key probably
//! meant), and a cap on how many notices one link gives.

use super::VIEW_KEYS;
use crate::engine::settings::SETTINGS;

/// Most notices shown for one link; the rest are counted.
const MAX_NOTICES: usize = 10;

pub(super) fn summarize(mut notices: Vec<String>) -> Vec<String> {
    if notices.len() > MAX_NOTICES {
        let more = notices.len() - MAX_NOTICES;
        notices.truncate(MAX_NOTICES);
        notices.push(format!("…and {more} more"));
    }
    notices
}

/// One notice for the keys nobody knows: the first few by name (with the key probably meant,
/// for a near miss), and how many more.
pub(super) fn unknown_notice(keys: &[&str]) -> Option<String> {
    const NAMED: usize = 3;
    let (first, rest) = keys.split_at(keys.len().min(NAMED));
    let named: Vec<String> = first
        .iter()
        .map(|k| {
            let shown: String = k.chars().take(40).collect();
            match near_miss(k) {
                Some(meant) => format!("'{shown}' (did you mean '{meant}'?)"),
                None => format!("'{shown}'"),
            }
        })
        .collect();
    let list = named.join(", ");
    match (first.len(), rest.len()) {
        (0, _) => None,
        (1, 0) => Some(format!("unknown parameter {list} ignored")),
        (_, 0) => Some(format!("unknown parameters {list} ignored")),
        (_, more) => Some(format!("unknown parameters {list} and {more} more ignored")),
    }
}

/// The known key closest to `key`, when at most two edits away (typos, `-` for `_`, `bn`…).
fn near_miss(key: &str) -> Option<&'static str> {
    let key = key.to_ascii_lowercase().replace('-', "_");
    let keys = SETTINGS
        .iter()
        .flat_map(|s| std::iter::once(s.key).chain(s.aliases.iter().copied()))
        .chain(["lesson", "step", "lesson_file", "vs"])
        .chain(VIEW_KEYS.iter().map(|v| v.key));
    keys.map(|k| (edit_distance(&key, k), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance (insertions, deletions, substitutions), over characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}
