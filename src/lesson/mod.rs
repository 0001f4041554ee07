//! Lessons: a plain-text (Markdown) file a lecturer writes, the app plays step by step and the
//! command line verifies. Each step is a link's runs, an optional question asked before the
//! runs show the answer, the text revealed afterwards, and claims (`check:`) about what the
//! runs compute. The format is documented in the README ("Lessons").

pub mod builtin;
pub mod check;
pub mod markup;
mod parse;
pub mod player_html;
pub mod verify;
mod write;

pub use check::Check;
pub use parse::{parse, LessonError, MAX_LESSON_BYTES};
pub use write::write;

#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    pub title: String,
    /// Markdown shown before the first step.
    pub intro: String,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub heading: String,
    /// The line of its `## ` heading (1-based), for messages.
    pub line: usize,
    /// A link's query (`?depth=20&activation=sigmoid&vs=…`): the step's runs and view.
    pub runs: String,
    /// The epoch the runs train to before the question is answered (0: as initialized).
    pub pause: usize,
    /// None for a "watch" step.
    pub ask: Option<Question>,
    /// Markdown shown once the question is answered and the runs are done.
    pub reveal: String,
    pub checks: Vec<Check>,
    /// The line of each check, for messages.
    pub check_lines: Vec<usize>,
}

impl Step {
    /// The step's runs and view, as its link gives them (a parsed step's link reads cleanly).
    pub fn link(&self) -> crate::url_state::UrlState {
        crate::url_state::decode(&self.runs).0
    }

    /// A short name for messages: "step 3 (Vanishing in a deep sigmoid network)".
    pub fn name(&self, index: usize) -> String {
        format!("step {} ({})", index + 1, self.heading)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub text: String,
    pub choices: Vec<Choice>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub text: String,
    pub right: bool,
}

impl Question {
    /// Whether choice `i` is one of the right answers.
    pub fn is_right(&self, i: usize) -> bool {
        self.choices.get(i).is_some_and(|c| c.right)
    }
}
