//! Reads a lesson file. Every error names its line; nothing in the text can panic the parser
//! (a property test feeds it arbitrary text).

use std::fmt;

use super::{Check, Choice, Lesson, Question, Step};
use crate::url_state;

/// Larger files are refused: a lesson is text for a lecture, not a data set.
pub const MAX_LESSON_BYTES: usize = 64 * 1024;

/// The fields a step can have, in the order the writer puts them.
const FIELDS: [&str; 5] = ["runs", "pause", "ask", "reveal", "check"];

/// The most epochs a step may pause at (the most a run may train, too).
const MAX_PAUSE: usize = 10_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError {
    /// 1-based; 0 when the error is about the whole file.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => f.write_str(&self.message),
            n => write!(f, "line {n}: {}", self.message),
        }
    }
}

fn err<T>(line: usize, message: impl Into<String>) -> Result<T, LessonError> {
    Err(LessonError {
        line,
        message: message.into(),
    })
}

/// A `name: value` line, when `name` is a lower-case word.
fn field(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    let word = !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    word.then(|| (name, value.trim()))
}

/// A task-list item: `- [x] text` (right) or `- [ ] text`.
fn choice(line: &str) -> Option<Choice> {
    let rest = line.strip_prefix("- [")?;
    let (mark, text) = rest.split_at_checked(1)?;
    let text = text.strip_prefix("]")?.trim();
    let right = match mark {
        "x" | "X" => true,
        " " => false,
        _ => return None,
    };
    Some(Choice {
        text: text.to_string(),
        right,
    })
}

/// What the lines after a field's own line add to.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    Nothing,
    Ask,
    Reveal,
}

/// A step as read, before its runs are known.
struct Draft {
    step: Step,
    seen: Vec<&'static str>,
    checks: Vec<(usize, String)>,
    runs_line: usize,
    open: Open,
}

pub fn parse(text: &str) -> Result<Lesson, LessonError> {
    if text.len() > MAX_LESSON_BYTES {
        return err(
            0,
            format!(
                "the file is {} KB; a lesson may be at most {} KB",
                text.len().div_ceil(1024),
                MAX_LESSON_BYTES / 1024
            ),
        );
    }
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end()));
    let title = loop {
        match lines.next() {
            None => return err(0, "the file is empty: a lesson starts with '# Title'"),
            Some((_, "")) => continue,
            Some((n, l)) => match l.strip_prefix("# ") {
                Some(t) if !t.trim().is_empty() => break t.trim().to_string(),
                _ => return err(n, "a lesson starts with its title: '# Title'"),
            },
        }
    };
    let mut intro: Vec<&str> = Vec::new();
    let mut drafts: Vec<Draft> = Vec::new();
    for (n, line) in lines {
        if let Some(heading) = line.strip_prefix("## ") {
            if heading.trim().is_empty() {
                return err(n, "a step's '## ' heading needs a title");
            }
            drafts.push(Draft {
                step: Step {
                    heading: heading.trim().to_string(),
                    line: n,
                    runs: String::new(),
                    pause: 0,
                    ask: None,
                    reveal: String::new(),
                    checks: Vec::new(),
                    check_lines: Vec::new(),
                },
                seen: Vec::new(),
                checks: Vec::new(),
                runs_line: n,
                open: Open::Nothing,
            });
            continue;
        }
        let Some(d) = drafts.last_mut() else {
            if line.starts_with("# ") {
                return err(n, "a lesson has one '# ' title; steps start with '## '");
            }
            intro.push(line);
            continue;
        };
        read_line(d, n, line)?;
    }
    if drafts.is_empty() {
        return err(0, "the lesson has no steps: each starts with '## Heading'");
    }
    let steps = drafts.into_iter().map(finish).collect::<Result<_, _>>()?;
    Ok(Lesson {
        title,
        intro: join(&intro),
        steps,
    })
}

/// Whether `name:` is meant as a field: a known one, or one misspelt (within two edits). In a
/// reveal's prose any other `word:` is text ("Why: …").
fn is_field(name: &str, open: Open) -> bool {
    open != Open::Reveal
        || FIELDS
            .iter()
            .any(|f| crate::url_state::edit_distance(name, f) <= 2)
}

fn read_line(d: &mut Draft, n: usize, line: &str) -> Result<(), LessonError> {
    if let Some((name, value)) = field(line).filter(|(name, _)| is_field(name, d.open)) {
        let Some(&name) = FIELDS.iter().find(|f| **f == name) else {
            return err(
                n,
                format!(
                    "unknown field '{name}:' (allowed: {})",
                    FIELDS.map(|f| format!("{f}:")).join(" ")
                ),
            );
        };
        if name != "check" && d.seen.contains(&name) {
            return err(n, format!("a second '{name}:' in this step"));
        }
        d.seen.push(name);
        d.open = Open::Nothing;
        let step = &mut d.step;
        match name {
            "runs" => {
                step.runs = value.to_string();
                d.runs_line = n;
            }
            "pause" => match value.parse::<usize>() {
                Ok(p) if p <= MAX_PAUSE => step.pause = p,
                _ => {
                    return err(
                        n,
                        format!("pause: '{value}' is not an epoch (a whole number from 0)"),
                    )
                }
            },
            "ask" => {
                step.ask = Some(Question {
                    text: value.to_string(),
                    choices: Vec::new(),
                });
                d.open = Open::Ask;
            }
            "reveal" => {
                step.reveal = value.to_string();
                d.open = Open::Reveal;
            }
            _ => d.checks.push((n, value.to_string())),
        }
        return Ok(());
    }
    if let Some(c) = choice(line) {
        return match (&mut d.step.ask, d.open) {
            (Some(q), Open::Ask) => {
                q.choices.push(c);
                Ok(())
            }
            _ => err(n, "a choice ('- [ ]') belongs right under an 'ask:' line"),
        };
    }
    match d.open {
        Open::Reveal => {
            d.step.reveal.push('\n');
            d.step.reveal.push_str(line);
        }
        Open::Ask if d.step.ask.as_ref().is_some_and(|q| q.choices.is_empty()) => {
            if let Some(q) = &mut d.step.ask {
                q.text.push('\n');
                q.text.push_str(line);
            }
        }
        _ if line.trim().is_empty() => {}
        _ => {
            return err(
                n,
                format!(
                    "text outside a field: '{}' (a step's text goes after 'reveal:')",
                    crate::engine::settings::excerpt(line.trim())
                ),
            )
        }
    }
    Ok(())
}

fn finish(d: Draft) -> Result<Step, LessonError> {
    let mut step = d.step;
    let at = step.line;
    if step.runs.is_empty() {
        return err(at, format!("step '{}' has no 'runs:' line", step.heading));
    }
    let query = step.runs.strip_prefix('?').unwrap_or(&step.runs);
    if query.split('&').any(|p| p.starts_with("lesson")) {
        return err(at, "runs: a step's link cannot open another lesson");
    }
    let (state, notices) = url_state::decode(query);
    if let Some(first) = notices.first() {
        return err(d.runs_line, format!("runs: {first}"));
    }
    // A recurrent run's layers are its cell and its output layer.
    let layers: Vec<usize> = state
        .runs
        .iter()
        .map(|c| {
            if c.model.is_recurrent() {
                2
            } else {
                c.depth + 1
            }
        })
        .collect();
    let most = state.runs.iter().map(|c| c.epochs).max().unwrap_or(0);
    if step.pause > most {
        return err(
            at,
            format!(
                "pause: {} is past the runs' last epoch ({most})",
                step.pause
            ),
        );
    }
    if let Some(q) = &mut step.ask {
        q.text = q.text.trim().to_string();
        if q.text.is_empty() {
            return err(
                at,
                format!("step '{}': 'ask:' has no question", step.heading),
            );
        }
        if q.choices.len() < 2 {
            return err(
                at,
                format!(
                    "step '{}': a question needs at least two choices ('- [ ] …')",
                    step.heading
                ),
            );
        }
        if !q.choices.iter().any(|c| c.right) {
            return err(
                at,
                format!(
                    "step '{}': no choice is marked right ('- [x] …')",
                    step.heading
                ),
            );
        }
    }
    step.reveal = join(&step.reveal.lines().collect::<Vec<_>>());
    for (n, text) in d.checks {
        match Check::parse(&text, &layers) {
            Ok(c) => {
                step.checks.push(c);
                step.check_lines.push(n);
            }
            Err(e) => return err(n, format!("check: {e}")),
        }
    }
    Ok(step)
}

/// Lines as one text, without the blank lines around it.
fn join(lines: &[&str]) -> String {
    lines.join("\n").trim().to_string()
}
