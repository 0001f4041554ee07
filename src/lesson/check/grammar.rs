//! Reading a `check:` line and writing it back (the two agree: tested).

use std::fmt;

use super::{
    Check, Epoch, Figure, Layer, Op, Rhs, Term, HISTOGRAM_FIGURES, LAYER_FIGURES, RUN_FIGURES,
    STEP_FIGURE,
};
use crate::engine::verdict::Verdict;

const OPS: [(&str, Op); 4] = [
    ("<=", Op::LessEq),
    (">=", Op::GreaterEq),
    ("<", Op::Less),
    (">", Op::Greater),
];

impl Op {
    fn text(self) -> &'static str {
        OPS.iter().find(|(_, o)| *o == self).map_or("<", |(t, _)| t)
    }
}

impl Check {
    /// Reads a check (the text after `check:`). `runs` is how many runs the step has, `layers`
    /// each run's number of Dense layers, so a run or layer that does not exist is an error.
    pub fn parse(text: &str, layers: &[usize]) -> Result<Check, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut at = 0;
        let check = parse_check(&words, &mut at, layers)?;
        if at != words.len() {
            return Err(format!(
                "unexpected '{}' after the check",
                words[at..].join(" ")
            ));
        }
        Ok(check)
    }
}

/// Reads `run R` and checks the run exists.
fn parse_run(words: &[&str], at: &mut usize, runs: usize) -> Result<usize, String> {
    expect(words, at, "run")?;
    let w = next(words, at, "a run number")?;
    let r: usize = w
        .parse()
        .map_err(|_| format!("'{w}' is not a run number"))?;
    if r == 0 || r > runs {
        return Err(format!(
            "there is no run {r}: this step has {runs} run{}",
            if runs == 1 { "" } else { "s" }
        ));
    }
    Ok(r)
}

fn parse_epoch(words: &[&str], at: &mut usize) -> Result<Epoch, String> {
    let w = next(words, at, "an epoch")?;
    if w == "last" {
        return Ok(Epoch::Last);
    }
    w.parse()
        .map(Epoch::Number)
        .map_err(|_| format!("'{w}' is not an epoch (a number or 'last')"))
}

fn parse_figure(w: &str, layers: usize) -> Result<Figure, String> {
    if let Some(name) = RUN_FIGURES.iter().find(|n| **n == w) {
        return Ok(Figure { name, layer: None });
    }
    let (name, layer) = match w.split_once('[') {
        Some((n, rest)) => (n, rest.strip_suffix(']')),
        None => (w, None),
    };
    if name == STEP_FIGURE {
        // Time steps are checked against the run when it is evaluated.
        let step = match layer {
            Some("last") => Layer::Last,
            Some(t) => match t.parse::<usize>() {
                Ok(t) if t >= 1 => Layer::Number(t),
                _ => return Err(format!("'{w}': no time step '{t}' (1 to T, or last)")),
            },
            None => {
                return Err(format!(
                    "'{w}' needs a time step: {name}[1] or {name}[last]"
                ))
            }
        };
        return Ok(Figure {
            name: STEP_FIGURE,
            layer: Some(step),
        });
    }
    let Some(name) = LAYER_FIGURES
        .iter()
        .chain(&HISTOGRAM_FIGURES)
        .find(|n| **n == name)
    else {
        return Err(format!(
            "unknown figure '{w}'; allowed: {}, {}, {}, {STEP_FIGURE}",
            RUN_FIGURES.join(", "),
            LAYER_FIGURES.join(", "),
            HISTOGRAM_FIGURES.join(", ")
        ));
    };
    let layer = match layer {
        Some("last") => Layer::Last,
        Some(n) => match n.parse::<usize>() {
            Ok(n) if (1..=layers).contains(&n) => Layer::Number(n),
            _ => {
                return Err(format!(
                    "'{w}': no layer '{n}' (this run's layers are 1 to {layers}, or last)"
                ))
            }
        },
        None => return Err(format!("'{w}' needs a layer: {name}[1] or {name}[last]")),
    };
    Ok(Figure {
        name,
        layer: Some(layer),
    })
}

/// `FIGURE` or `FIGURE / FIGURE`.
fn parse_term(
    words: &[&str],
    at: &mut usize,
    layers: &[usize],
    run: usize,
) -> Result<Term, String> {
    let epoch = parse_epoch(words, at)?;
    let n = layers[run - 1];
    let figure = parse_figure(next(words, at, "a figure")?, n)?;
    let over = if words.get(*at) == Some(&"/") {
        *at += 1;
        Some(parse_figure(next(words, at, "a figure after '/'")?, n)?)
    } else {
        None
    };
    Ok(Term {
        run,
        epoch,
        figure,
        over,
    })
}

fn parse_check(words: &[&str], at: &mut usize, layers: &[usize]) -> Result<Check, String> {
    let run = parse_run(words, at, layers.len())?;
    match next(words, at, "'epoch', 'diverged' or 'finite'")? {
        "diverged" => {
            expect(words, at, "by")?;
            expect(words, at, "epoch")?;
            let epoch = parse_epoch(words, at)?;
            Ok(Check::DivergedBy { run, epoch })
        }
        "finite" => {
            expect(words, at, "through")?;
            expect(words, at, "epoch")?;
            let epoch = parse_epoch(words, at)?;
            Ok(Check::FiniteThrough { run, epoch })
        }
        "epoch" => {
            if words.get(*at + 1) == Some(&"verdict") {
                let epoch = parse_epoch(words, at)?;
                *at += 1;
                expect(words, at, "is")?;
                let is = if words.get(*at) == Some(&"not") {
                    *at += 1;
                    false
                } else {
                    true
                };
                let w = next(words, at, "a verdict")?;
                let verdict = Verdict::ALL
                    .into_iter()
                    .find(|v| v.id() == w)
                    .ok_or_else(|| {
                        let ids: Vec<&str> = Verdict::ALL.iter().map(|v| v.id()).collect();
                        format!("unknown verdict '{w}'; allowed: {}", ids.join(", "))
                    })?;
                return Ok(Check::Verdict {
                    run,
                    epoch,
                    is,
                    verdict,
                });
            }
            let left = parse_term(words, at, layers, run)?;
            let w = next(words, at, "a comparison (< <= > >=)")?;
            let op = OPS
                .iter()
                .find(|(t, _)| *t == w)
                .map(|(_, o)| *o)
                .ok_or_else(|| format!("'{w}' is not a comparison; allowed: < <= > >="))?;
            let right = if words.get(*at) == Some(&"run") {
                let r = parse_run(words, at, layers.len())?;
                expect(words, at, "epoch")?;
                Rhs::Term(parse_term(words, at, layers, r)?)
            } else {
                let w = next(words, at, "a number")?;
                match crate::format::parse_number(w) {
                    Some(x) if x.is_finite() => Rhs::Number(x, w.to_string()),
                    _ => return Err(format!("'{w}' is not a number")),
                }
            };
            Ok(Check::Compare { left, op, right })
        }
        w => Err(format!(
            "'{w}': expected 'epoch E …', 'diverged by epoch E' or 'finite through epoch E'"
        )),
    }
}

fn next<'a>(words: &[&'a str], at: &mut usize, what: &str) -> Result<&'a str, String> {
    let w = words
        .get(*at)
        .copied()
        .ok_or_else(|| format!("the check ends where {what} was expected"))?;
    *at += 1;
    Ok(w)
}

fn expect(words: &[&str], at: &mut usize, word: &'static str) -> Result<(), String> {
    match words.get(*at) {
        Some(w) if *w == word => {
            *at += 1;
            Ok(())
        }
        Some(w) => Err(format!("expected '{word}', found '{w}'")),
        None => Err(format!("the check ends where '{word}' was expected")),
    }
}

pub(super) struct FigureText<'a>(pub(super) &'a Figure);

impl fmt::Display for FigureText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fig = self.0;
        f.write_str(fig.name)?;
        match fig.layer {
            Some(Layer::Number(n)) => write!(f, "[{n}]"),
            Some(Layer::Last) => f.write_str("[last]"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for Epoch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Epoch::Number(n) => write!(f, "{n}"),
            Epoch::Last => f.write_str("last"),
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "run {} epoch {} {}",
            self.run,
            self.epoch,
            FigureText(&self.figure)
        )?;
        match &self.over {
            Some(o) => write!(f, " / {}", FigureText(o)),
            None => Ok(()),
        }
    }
}

/// The check as a `check:` line writes it (parsing it back gives the same check).
impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Check::Compare { left, op, right } => {
                write!(f, "{left} {} ", op.text())?;
                match right {
                    // As the lecturer wrote it (1e-6 stays 1e-6).
                    Rhs::Number(_, text) => f.write_str(text),
                    Rhs::Term(t) => write!(f, "{t}"),
                }
            }
            Check::DivergedBy { run, epoch } => write!(f, "run {run} diverged by epoch {epoch}"),
            Check::FiniteThrough { run, epoch } => {
                write!(f, "run {run} finite through epoch {epoch}")
            }
            Check::Verdict {
                run,
                epoch,
                is,
                verdict,
            } => write!(
                f,
                "run {run} epoch {epoch} verdict is {}{}",
                if *is { "" } else { "not " },
                verdict.id()
            ),
        }
    }
}
