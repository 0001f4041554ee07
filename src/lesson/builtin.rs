//! The lessons that come with the app: the files in `lessons/`. They are the one source of the
//! lesson menu, the player and the lesson tests. The command line and the tests compile them
//! in; the page knows only their titles (from `build.rs`) and fetches a lesson's file,
//! `lessons/ID.md` beside the page, when it first opens (their 7.6 KB gzipped stay out of
//! what the page loads at start).

use super::{parse, Lesson, LessonError};

pub struct BuiltIn {
    /// The file's name without `.md`: `?lesson=ID` opens it.
    pub id: &'static str,
    /// The file, compiled in (not in the page).
    #[cfg(not(target_arch = "wasm32"))]
    pub file: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/lesson_titles.rs"));

#[cfg(not(target_arch = "wasm32"))]
macro_rules! lessons {
    ($($id:literal),* $(,)?) => {
        &[$(BuiltIn { id: $id, file: include_str!(concat!("../../lessons/", $id, ".md")) }),*]
    };
}

#[cfg(target_arch = "wasm32")]
macro_rules! lessons {
    ($($id:literal),* $(,)?) => {
        &[$(BuiltIn { id: $id }),*]
    };
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    /// The lesson files the page has fetched, by id.
    static FETCHED: std::cell::RefCell<Vec<(&'static str, String)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Keeps a fetched lesson file (the page's; see the module's note).
#[cfg(target_arch = "wasm32")]
pub fn store_text(id: &'static str, text: String) {
    FETCHED.with_borrow_mut(|f| f.push((id, text)));
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
    "inside_layers",
);

impl BuiltIn {
    /// The `# ` title of the file's first line.
    pub fn title(&self) -> &'static str {
        TITLES
            .iter()
            .find(|(id, _)| *id == self.id)
            .map_or(self.id, |(_, title)| title)
    }

    /// The file's text; in the page, None until it was fetched.
    pub fn text(&self) -> Option<String> {
        #[cfg(not(target_arch = "wasm32"))]
        return Some(self.file.to_string());
        #[cfg(target_arch = "wasm32")]
        FETCHED.with_borrow(|f| {
            f.iter()
                .find(|(id, _)| *id == self.id)
                .map(|(_, t)| t.clone())
        })
    }

    /// The lesson (every built-in one parses: tested); None while its text is not there.
    pub fn lesson(&self) -> Option<Result<Lesson, LessonError>> {
        self.text().map(|t| parse(&t))
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
