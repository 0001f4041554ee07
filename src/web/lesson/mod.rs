//! Playing a lesson in the page: which lesson is open, its step, the answers given, and the
//! actions of the player (open, go to a step, answer, back to the step). The runs of a step
//! with an open question are held at its `pause` epoch until the answer is given.

pub mod open;
pub mod player;
mod style;

use std::sync::Arc;

use leptos::prelude::*;

use super::client;
use super::state::{AppState, HeatQuantity};
use crate::lesson::{builtin, Lesson};
use crate::protocol::ToWorker;

pub use crate::lesson::player_html::Answer;

#[derive(Clone, Debug, PartialEq)]
pub struct Player {
    pub lesson: Arc<Lesson>,
    /// The file as its author wrote it: what Download saves and Share carries.
    pub text: Arc<str>,
    /// A built-in lesson's id (its link names it); None for a file or a shared link.
    pub id: Option<&'static str>,
    /// 0-based; `steps.len()` is the summary at the end.
    pub step: usize,
    pub answers: Vec<Option<Answer>>,
    /// The same-origin path it was opened from (`?lesson_file=`), kept in the link.
    pub file: Option<String>,
    /// The fragment code it was opened from (`#lesson=…`), kept in the link.
    pub shared: Option<String>,
}

impl Player {
    pub fn asking(&self) -> bool {
        crate::lesson::player_html::asking(&self.lesson, self.step, &self.answers)
    }
}

/// The runs on screen as a lesson step, for "Copy as a lesson step": the link's query as its
/// `runs:`, and a question and reveal for the lecturer to write.
pub fn step_text(state: AppState) -> String {
    let link = crate::url_state::UrlState {
        runs: state.store.with_untracked(|s| s.configs()),
        metric: state.metric.get_untracked(),
        ..Default::default()
    };
    format!(
        "## A new step\nruns: ?{}\nask: What will the runs show?\n- [x] the right answer\n- [ ] another answer\nreveal: Why it happens, in a sentence or two.\n",
        crate::url_state::encode(&link)
    )
}

impl AppState {
    /// Whether the step's question is open over its own runs: then the question takes the
    /// stage and what would answer it is hidden. Once the runs were changed (a link that
    /// adjusts them, Compare, a setting) the player steps aside and offers the way back.
    pub fn question_open(&self) -> bool {
        self.player.with(|p| {
            p.as_ref().is_some_and(|p| {
                p.asking()
                    && self
                        .store
                        .with(|s| s.configs() == p.lesson.steps[p.step].link().runs)
            })
        })
    }

    /// Opens a lesson at a step (0-based).
    pub fn open_lesson(&self, lesson: Lesson, text: &str, id: Option<&'static str>, step: usize) {
        style::request_lesson_style();
        let n = lesson.steps.len();
        self.lesson_error.set(None);
        self.player.set(Some(Player {
            lesson: Arc::new(lesson),
            text: Arc::from(text),
            id,
            step: 0,
            answers: vec![None; n],
            file: None,
            shared: None,
        }));
        self.go_to_step(step.min(n.saturating_sub(1)));
    }

    /// Opens a built-in lesson by id, fetching its file first if the page has not yet.
    pub fn open_builtin(&self, id: &str, step: usize) {
        let Some(b) = builtin::find(id) else { return };
        let Some(text) = b.text() else {
            let state = *self;
            leptos::task::spawn_local(async move {
                match super::lesson::open::fetch_builtin(b.id).await {
                    Ok(()) => state.open_builtin(b.id, step),
                    Err(e) => state.lesson_error.set(Some(e)),
                }
            });
            return;
        };
        match crate::lesson::parse(&text) {
            Ok(lesson) => self.open_lesson(lesson, &text, Some(b.id), step),
            Err(e) => self.lesson_error.set(Some(e.to_string())),
        }
    }

    /// Shows step `k` (0-based; the step count shows the summary): its runs start afresh,
    /// held at the pause epoch while its question is open.
    pub fn go_to_step(&self, k: usize) {
        let Some(mut p) = self.player.get_untracked() else {
            return;
        };
        p.step = k.min(p.lesson.steps.len());
        let step = p.lesson.steps.get(p.step).cloned();
        let asking = p.asking();
        self.player.set(Some(p.clone()));
        let Some(step) = step else {
            self.update(|s| s.hold(None));
            return;
        };
        let link = step.link();
        self.error.set(None);
        self.view_epoch.set(None);
        self.push_link.set_value(true);
        self.metric.set(link.metric);
        if let Some(q) = link.dist {
            self.heat.set(HeatQuantity::Distributions);
            self.dist_quantity.set(q);
        }
        self.update(|s| {
            s.load_lesson(link.runs, p.id);
            s.hold(asking.then_some(step.pause));
        });
        // A question at epoch 0 waits where the runs start; otherwise they train (to the
        // pause epoch, or on to the end once answered).
        if !asking || step.pause > 0 {
            self.start_playing();
        }
    }

    /// The answer to the open question: the runs are released and play on.
    pub fn answer(&self, answer: Answer) {
        let Some(mut p) = self.player.get_untracked() else {
            return;
        };
        if !p.asking() {
            return;
        }
        p.answers[p.step] = Some(answer);
        self.player.set(Some(p));
        self.update(|s| s.hold(None));
        self.start_playing();
    }

    /// The step's own runs again, after exploring.
    pub fn back_to_step(&self) {
        if let Some(p) = self.player.get_untracked() {
            self.go_to_step(p.step);
        }
    }

    pub fn close_lesson(&self) {
        self.player.set(None);
        self.update(|s| s.hold(None));
    }

    fn start_playing(&self) {
        self.update(|s| s.start());
        client::send(ToWorker::Play);
    }
}
