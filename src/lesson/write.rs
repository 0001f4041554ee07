//! Writes a lesson back as a file: what "Download lesson" saves. Parsing what it writes gives
//! the same lesson (tested on every built-in lesson).

use super::Lesson;

pub fn write(lesson: &Lesson) -> String {
    let mut out = format!("# {}\n", lesson.title);
    if !lesson.intro.is_empty() {
        out.push_str(&format!("\n{}\n", lesson.intro));
    }
    for step in &lesson.steps {
        out.push_str(&format!("\n## {}\nruns: {}\n", step.heading, step.runs));
        if step.pause != 0 {
            out.push_str(&format!("pause: {}\n", step.pause));
        }
        if let Some(q) = &step.ask {
            out.push_str(&format!("ask: {}\n", q.text));
            for c in &q.choices {
                let mark = if c.right { 'x' } else { ' ' };
                out.push_str(&format!("- [{mark}] {}\n", c.text));
            }
        }
        if !step.reveal.is_empty() {
            out.push_str(&format!("reveal: {}\n", step.reveal));
        }
        for c in &step.checks {
            out.push_str(&format!("check: {c}\n"));
        }
    }
    out
}
