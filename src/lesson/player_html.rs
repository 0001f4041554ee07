//! The lesson player's markup, written as one string from what the page knows (the lesson,
//! the step, the answer given, whether the runs are done, what they measured). One string set
//! as the player's content costs the page far less code than a tree of reactive views, and it
//! is pure, so every rule of the player (no spoiler, right/wrong marks, the score) is tested
//! natively. Everything from the lesson file passes through [`super::markup`] (escaped).

use super::check::Outcome;
use super::markup::{escape, inline, to_html};
use super::{Lesson, Question};

/// An answer to a step's question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Chose(usize),
    /// "Just show me".
    Shown,
}

/// What the player shows.
pub struct PlayerView<'a> {
    pub lesson: &'a Lesson,
    /// 0-based; `steps.len()` is the summary.
    pub step: usize,
    pub answers: &'a [Option<Answer>],
    /// Every run has finished or diverged.
    pub runs_done: bool,
    /// The runs on screen are no longer the step's own (the student explored).
    pub explored: bool,
    /// Each check of the step evaluated on the runs on screen (empty until they are done).
    pub measured: Vec<(String, Outcome)>,
    /// A passing message (a link copied, a download refused).
    pub note: Option<String>,
}

/// (right, asked): predictions right over questions answered with a choice.
pub fn score(lesson: &Lesson, answers: &[Option<Answer>]) -> (usize, usize) {
    let mut right = 0;
    let mut asked = 0;
    for (step, answer) in lesson.steps.iter().zip(answers) {
        if let (Some(q), Some(Answer::Chose(i))) = (&step.ask, answer) {
            asked += 1;
            right += usize::from(q.is_right(*i));
        }
    }
    (right, asked)
}

/// Whether the step's question is still open.
pub fn asking(lesson: &Lesson, step: usize, answers: &[Option<Answer>]) -> bool {
    lesson
        .steps
        .get(step)
        .is_some_and(|s| s.ask.is_some() && answers.get(step).is_some_and(Option::is_none))
}

fn choices(q: &Question, answer: Option<Answer>) -> String {
    let mut out = String::from("<ol class=\"choices\">");
    for (i, c) in q.choices.iter().enumerate() {
        let mark = match answer {
            None => String::new(),
            Some(a) => {
                let m = if q.is_right(i) {
                    "right"
                } else if a == Answer::Chose(i) {
                    "wrong"
                } else {
                    "other"
                };
                format!(" data-answer=\"{m}\" disabled")
            }
        };
        out.push_str(&format!(
            "<li><button class=\"choice\" data-choice=\"{i}\"{mark}><span class=\"choice-key\">{}</span><span>{}</span></button></li>",
            i + 1,
            inline(&c.text)
        ));
    }
    out + "</ol>"
}

pub fn player_html(v: &PlayerView) -> String {
    let n = v.lesson.steps.len();
    let mut out = format!(
        "<header class=\"lesson-head\"><b class=\"lesson-name\">{}</b><span class=\"lesson-count\">{}</span><span class=\"lesson-nav\">\
         <button data-lesson-prev{}>◀ Previous</button><button data-lesson-next{}>Next ▶</button>\
         <button class=\"quiet\" data-share title=\"A link that carries the whole lesson\">Share link</button>\
         <button class=\"quiet\" data-download>Download lesson</button>\
         <button class=\"quiet\" data-close aria-label=\"Close the lesson\">✕</button></span></header>",
        escape(&v.lesson.title),
        if v.step < n {
            format!("step {} of {n}", v.step + 1)
        } else {
            "the end".into()
        },
        if v.step == 0 { " disabled" } else { "" },
        if v.step >= n { " disabled" } else { "" },
    );
    if let Some(note) = &v.note {
        out.push_str(&format!(
            "<p class=\"lesson-note\" role=\"status\">{}</p>",
            escape(note)
        ));
    }
    if v.step == 0 && !v.lesson.intro.is_empty() {
        out.push_str(&format!(
            "<div class=\"lesson-intro\">{}</div>",
            to_html(&v.lesson.intro)
        ));
    }
    let Some(step) = v.lesson.steps.get(v.step) else {
        return out + &summary(v);
    };
    let answer = v.answers.get(v.step).copied().flatten();
    out.push_str(&format!(
        "<h3 class=\"step-heading\">{}</h3>",
        escape(&step.heading)
    ));
    if let Some(q) = &step.ask {
        out.push_str(&format!(
            "<div class=\"question\" data-question>{}</div>{}",
            to_html(&q.text),
            choices(q, answer)
        ));
        out.push_str(&match answer {
            None => "<p class=\"answer-line\"><button class=\"quiet\" data-just-show>Just show me</button></p>".into(),
            Some(Answer::Chose(i)) if q.is_right(i) => "<p class=\"answer-line\">✓ Right.</p>".to_string(),
            Some(Answer::Chose(_)) => "<p class=\"answer-line\">✗ Not this time: the right answer is marked.</p>".into(),
            Some(Answer::Shown) => "<p class=\"answer-line\">The right answer is marked.</p>".into(),
        });
    }
    let waiting = step.ask.is_some() && answer.is_none();
    let status = if v.explored {
        "You changed the runs: the question and the explanation belong to the step's own runs. <button data-lesson-back>Back to the lesson</button>".to_string()
    } else if waiting {
        format!("The runs wait at epoch {} for your prediction.", step.pause)
    } else if !v.runs_done {
        "Training… the explanation appears when the runs have finished.".into()
    } else {
        String::new()
    };
    if !status.is_empty() {
        out.push_str(&format!("<p class=\"lesson-status\">{status}</p>"));
    }
    // The reveal is earned: an answer (or a watch step), the runs done, and the step's own runs.
    if !waiting && v.runs_done && !v.explored {
        // In presenter mode the reveal opens over the charts on demand (the button); elsewhere
        // it stands in the player and the button is hidden.
        out.push_str(&format!(
            "<p class=\"reveal-toggle\"><button data-reveal-toggle>Why? Show the explanation</button></p>\
             <div class=\"reveal\" data-reveal>{}{}<button class=\"reveal-close\" data-reveal-toggle>Back to the charts</button></div>",
            to_html(&step.reveal),
            measured(&v.measured)
        ));
    }
    out
}

fn measured(items: &[(String, Outcome)]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let list: String = items
        .iter()
        .map(|(check, o)| {
            format!(
                "<li data-check data-holds=\"{}\">{} <code>{}</code>: here {}</li>",
                o.holds,
                if o.holds { "✓" } else { "✗" },
                escape(check),
                escape(&o.measured)
            )
        })
        .collect();
    format!("<p class=\"measured-title\">What these runs measured, against the lesson's claims:</p><ul class=\"measured\">{list}</ul>")
}

fn summary(v: &PlayerView) -> String {
    let (right, asked) = score(v.lesson, v.answers);
    let revisit: String = v
        .lesson
        .steps
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            s.ask.as_ref().is_some_and(|q| {
                !matches!(v.answers.get(*i).copied().flatten(), Some(Answer::Chose(c)) if q.is_right(c))
            })
        })
        .map(|(i, s)| {
            format!(
                "<li><button class=\"link-button\" data-revisit=\"{i}\">{}</button></li>",
                escape(&s.name(i))
            )
        })
        .collect();
    let revisit = if revisit.is_empty() {
        "<p>Every prediction was right.</p>".to_string()
    } else {
        format!("<p>Steps to revisit:</p><ul>{revisit}</ul>")
    };
    format!(
        "<div class=\"lesson-summary\" data-lesson-summary><p class=\"score\" data-score=\"{right}/{asked}\">You predicted {right} of {asked} right.</p>{revisit}\
         <p class=\"hint\">Your answers stay in this browser tab; nothing is sent anywhere.</p></div>"
    )
}
