//! `gradscope lesson check FILE.md… [--seeds 0-4]` and `gradscope lesson show FILE.md`.
//! Exit status: 0 when every check holds on every seed, 1 when one does not, 2 when a file
//! cannot be read or is malformed (or the arguments are).

use std::fmt::Write;

use crate::lesson::verify::verify;
use crate::lesson::{builtin, parse, Lesson};

pub const USAGE: &str = "gradscope lesson — verify or print lesson files\n\n\
USAGE:\n    gradscope lesson check FILE.md... [--seeds 0-4]\n    gradscope lesson show FILE.md\n\n\
check plays every step natively on each seed (default 0-4) and prints, per check, on how many\n\
seeds it holds and the values measured; exit 0 when all hold, 1 otherwise, 2 on a malformed file.\n\
FILE may also be a built-in lesson's id (tour, sigmoid, …).\n";

#[derive(Clone, Debug, PartialEq)]
pub enum LessonCommand {
    Check { files: Vec<String>, seeds: Vec<u64> },
    Show { file: String },
}

/// Reads `check …` / `show …` (the words after `lesson`).
pub fn parse_args(args: &[String]) -> Result<LessonCommand, String> {
    let (verb, rest) = args
        .split_first()
        .ok_or("a lesson command needs 'check' or 'show'")?;
    let mut files = Vec::new();
    let mut seeds = (0..5).collect();
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seeds" => seeds = seed_range(it.next().ok_or("--seeds needs a range, e.g. 0-4")?)?,
            s if s.starts_with("--seeds=") => seeds = seed_range(&s[8..])?,
            s if s.starts_with('-') => return Err(format!("unknown argument '{s}'")),
            s => files.push(s.to_string()),
        }
    }
    match (verb.as_str(), files.len()) {
        (_, 0) => Err("which lesson? give a FILE.md".into()),
        ("check", _) => Ok(LessonCommand::Check { files, seeds }),
        ("show", 1) => Ok(LessonCommand::Show {
            file: files.remove(0),
        }),
        ("show", _) => Err("'show' takes one file".into()),
        (v, _) => Err(format!(
            "unknown lesson command '{v}'; allowed: check, show"
        )),
    }
}

/// `0-4`, `3` or `0,2,5`.
fn seed_range(text: &str) -> Result<Vec<u64>, String> {
    let bad = || format!("--seeds: '{text}' is not a range like 0-4");
    let mut seeds = Vec::new();
    for part in text.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u64, u64) = (
                    a.trim().parse().map_err(|_| bad())?,
                    b.trim().parse().map_err(|_| bad())?,
                );
                if b < a || b - a >= 1000 {
                    return Err(bad());
                }
                seeds.extend(a..=b);
            }
            None => seeds.push(part.trim().parse().map_err(|_| bad())?),
        }
    }
    Ok(seeds)
}

/// A lesson from a file, or a built-in lesson by id.
pub fn load(file: &str) -> Result<Lesson, String> {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => match builtin::find(file) {
            Some(b) => b.text().unwrap_or_default(),
            None => return Err(format!("{file}: {e}")),
        },
    };
    parse(&text).map_err(|e| format!("{file}: {e}"))
}

/// Runs the command: (exit status, what to print).
pub fn run(command: &LessonCommand) -> (u8, String) {
    match command {
        LessonCommand::Show { file } => match load(file) {
            Ok(l) => (0, show(&l)),
            Err(e) => (2, format!("gradscope: {e}\n")),
        },
        LessonCommand::Check { files, seeds } => {
            let mut out = String::new();
            let mut status = 0;
            for file in files {
                let lesson = match load(file) {
                    Ok(l) => l,
                    Err(e) => return (2, format!("{out}gradscope: {e}\n")),
                };
                let _ = writeln!(out, "{file}: {}", lesson.title);
                let reports = verify(&lesson, seeds);
                for r in &reports {
                    let held = r.outcomes.iter().filter(|(_, o)| o.holds).count();
                    let values: Vec<String> = r
                        .outcomes
                        .iter()
                        .map(|(s, o)| format!("{s}: {}", o.measured))
                        .collect();
                    let mark = if r.holds() { "ok  " } else { "FAIL" };
                    let _ = writeln!(
                        out,
                        "  {mark} step {} line {}: {}  — holds on {held}/{} seeds ({})",
                        r.step + 1,
                        r.line,
                        r.check,
                        r.outcomes.len(),
                        values.join(", ")
                    );
                    for (seed, o) in r.outcomes.iter().filter(|(_, o)| !o.holds) {
                        status = 1;
                        let _ = writeln!(
                            out,
                            "       fails: {}, line {}, seed {seed}: measured {}",
                            lesson.steps[r.step].name(r.step),
                            r.line,
                            o.measured
                        );
                    }
                }
                let _ = writeln!(
                    out,
                    "  {} checks in {} steps: {}",
                    reports.len(),
                    lesson.steps.len(),
                    if reports.iter().all(|r| r.holds()) {
                        "all hold"
                    } else {
                        "some fail"
                    }
                );
            }
            (status, out)
        }
    }
}

/// The lesson as plain text, step by step (what `lesson show` prints).
pub fn show(lesson: &Lesson) -> String {
    let mut out = format!("{}\n\n", lesson.title);
    if !lesson.intro.is_empty() {
        out.push_str(&format!("{}\n\n", lesson.intro));
    }
    for (i, step) in lesson.steps.iter().enumerate() {
        let _ = writeln!(
            out,
            "Step {} of {}: {}",
            i + 1,
            lesson.steps.len(),
            step.heading
        );
        let _ = writeln!(out, "  runs: {}", step.runs);
        if step.pause > 0 {
            let _ = writeln!(out, "  paused at epoch {} for the question", step.pause);
        }
        if let Some(q) = &step.ask {
            let _ = writeln!(out, "  Q: {}", q.text.replace('\n', " "));
            for (k, c) in q.choices.iter().enumerate() {
                let mark = if c.right { "*" } else { " " };
                let _ = writeln!(out, "   {mark}{}. {}", k + 1, c.text);
            }
        }
        if !step.reveal.is_empty() {
            let _ = writeln!(
                out,
                "  Reveal: {}",
                step.reveal.replace('\n', "\n          ")
            );
        }
        for c in &step.checks {
            let _ = writeln!(out, "  check: {c}");
        }
        out.push('\n');
    }
    out
}
