//! The lessons that come with the app: the files in `lessons/`, compiled in. They are the one
//! source of the lesson menu, the player and the lesson tests.

use super::{parse, Lesson, LessonError};

pub struct BuiltIn {
    /// The file's name without `.md`: `?lesson=ID` opens it.
    pub id: &'static str,
    pub text: &'static str,
}

macro_rules! lessons {
    ($($id:literal),* $(,)?) => {
        &[$(BuiltIn { id: $id, text: include_str!(concat!("../../lessons/", $id, ".md")) }),*]
    };
}

/// In the menu's order: the guided tour, then one lesson per experiment.
pub const BUILT_IN: &[BuiltIn] = lessons!(
    "tour",
    "healthy",
    "sigmoid",
    "init_scale",
    "relu30_glorot",
    "selu",
    "bn_sigmoid",
    "tanh_large",
    "zeros",
    "notes_clipvalue",
    "clip_modes",
    "through_time",
);

impl BuiltIn {
    /// The `# ` title, read from the first line (the menu needs no full parse).
    pub fn title(&self) -> &'static str {
        let first = self.text.lines().next().unwrap_or("");
        first.strip_prefix("# ").unwrap_or(first).trim()
    }

    /// The lesson (every built-in one parses: tested).
    pub fn lesson(&self) -> Result<Lesson, LessonError> {
        parse(self.text)
    }
}

/// Lessons that were merged into another: their old links still open something.
const FORMER: [(&str, &str); 2] = [("small", "init_scale"), ("large", "init_scale")];

pub fn find(id: &str) -> Option<&'static BuiltIn> {
    let id = FORMER
        .iter()
        .find(|(old, _)| *old == id)
        .map_or(id, |(_, new)| new);
    BUILT_IN.iter().find(|b| b.id == id)
}

/// The lesson `step` places after `current` in the menu (before it for a negative step),
/// wrapping around; the first (or last) one when no lesson is open.
pub fn neighbour(current: Option<&str>, step: isize) -> &'static BuiltIn {
    let n = BUILT_IN.len() as isize;
    let at = current.and_then(|id| BUILT_IN.iter().position(|b| b.id == id));
    let next = match at {
        Some(i) => (i as isize + step).rem_euclid(n),
        None if step >= 0 => 0,
        None => n - 1,
    };
    &BUILT_IN[next as usize]
}
