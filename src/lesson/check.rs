//! A lesson's `check:` lines: claims about what a step's runs compute, which `gradscope lesson
//! check` verifies over seeds and the page evaluates on the runs it shows.
//!
//! ```text
//! run R epoch E EXPR OP NUMBER            run 1 epoch 5 val_accuracy <= 0.3
//! run R epoch E EXPR OP run R epoch E EXPR run 2 epoch 3 val_accuracy > run 1 epoch 3 val_accuracy
//! run R diverged by epoch E
//! run R finite through epoch E
//! run R epoch E verdict is ID             (or `is not`)
//! ```
//! EXPR is a FIGURE or FIGURE / FIGURE; a FIGURE is a run figure (`val_accuracy`, …) or a layer
//! figure with its layer (`grad_norm[1]`, `delta_rms[last]`, the output layer being `last`);
//! E is a number or `last` (the run's final epoch); OP one of `< <= > >=`.

use std::fmt;

use crate::engine::config::Config;
use crate::engine::diagnose::diagnose;
use crate::engine::metrics::{EpochRecord, LayerStats, Status};
use crate::engine::verdict::Verdict;
use crate::format::num;

/// The run figures a check can name (the CLI's JSON names).
pub const RUN_FIGURES: [&str; 4] = ["val_accuracy", "train_accuracy", "val_loss", "train_loss"];
/// The per-layer figures a check can name, with a layer.
pub const LAYER_FIGURES: [&str; 9] = [
    "grad_norm",
    "clipped_grad_norm",
    "delta_rms",
    "weight_norm",
    "update_ratio",
    "act_mean",
    "act_std",
    "saturated",
    "dead",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    Number(usize),
    /// The output layer.
    Last,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Epoch {
    Number(usize),
    /// The run's final epoch (its `epochs` setting).
    Last,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub name: &'static str,
    /// Some for a layer figure.
    pub layer: Option<Layer>,
}

/// A figure, or the ratio of two, of one run at one epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub run: usize,
    pub epoch: Epoch,
    pub figure: Figure,
    pub over: Option<Figure>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Less,
    LessEq,
    Greater,
    GreaterEq,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Rhs {
    Number(f64),
    Term(Term),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    Compare {
        left: Term,
        op: Op,
        right: Rhs,
    },
    DivergedBy {
        run: usize,
        epoch: Epoch,
    },
    FiniteThrough {
        run: usize,
        epoch: Epoch,
    },
    Verdict {
        run: usize,
        epoch: Epoch,
        is: bool,
        verdict: Verdict,
    },
}

/// What one run computed: its configuration and its records, in epoch order.
pub struct RunResult<'a> {
    pub config: &'a Config,
    pub records: &'a [EpochRecord],
}

/// A check evaluated: whether it holds, and the measured value(s) in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub holds: bool,
    pub measured: String,
    /// The left side's value, for a comparison that could be measured.
    pub value: Option<f64>,
}

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

    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Less => a < b,
            Op::LessEq => a <= b,
            Op::Greater => a > b,
            Op::GreaterEq => a >= b,
        }
    }
}

/// The layers a run has: `depth` hidden ones, then the output layer (`depth + 1`).
fn layer_index(layer: Layer, layers: usize) -> Option<usize> {
    match layer {
        Layer::Last => layers.checked_sub(1),
        Layer::Number(n) if (1..=layers).contains(&n) => Some(n - 1),
        Layer::Number(_) => None,
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

    /// Evaluates the check on a step's runs.
    pub fn evaluate(&self, runs: &[RunResult]) -> Outcome {
        match self {
            Check::Compare { left, op, right } => {
                let a = left.value(runs);
                let b = match right {
                    Rhs::Number(x) => Ok(*x),
                    Rhs::Term(t) => t.value(runs),
                };
                match (a, b) {
                    (Ok(a), Ok(b)) => Outcome {
                        holds: op.holds(a, b),
                        measured: match right {
                            Rhs::Number(_) => num(a),
                            Rhs::Term(_) => format!("{} against {}", num(a), num(b)),
                        },
                        value: Some(a),
                    },
                    (Err(e), _) | (_, Err(e)) => Outcome {
                        holds: false,
                        measured: e,
                        value: None,
                    },
                }
            }
            Check::DivergedBy { run, epoch } => {
                let r = &runs[*run - 1];
                let e = epoch_number(*epoch, r.config);
                let at = diverged_at(r.records);
                Outcome {
                    holds: at.is_some_and(|d| d <= e),
                    measured: at.map_or("finite throughout".into(), |d| {
                        format!("diverged at epoch {d}")
                    }),
                    value: None,
                }
            }
            Check::FiniteThrough { run, epoch } => {
                let r = &runs[*run - 1];
                let e = epoch_number(*epoch, r.config);
                let at = diverged_at(r.records);
                let reached = r.records.iter().any(|x| x.epoch >= e);
                Outcome {
                    holds: at.is_none_or(|d| d > e) && reached,
                    measured: match at {
                        Some(d) => format!("diverged at epoch {d}"),
                        None if reached => "finite".into(),
                        None => format!("not trained to epoch {e}"),
                    },
                    value: None,
                }
            }
            Check::Verdict {
                run,
                epoch,
                is,
                verdict,
            } => {
                let r = &runs[*run - 1];
                let e = epoch_number(*epoch, r.config);
                let upto = r.records.partition_point(|x| x.epoch <= e);
                if upto == 0 || r.records[upto - 1].epoch != e {
                    return Outcome {
                        holds: false,
                        measured: missing_epoch(r.records, e),
                        value: None,
                    };
                }
                let got = diagnose(r.config, &r.records[..upto]).verdict;
                Outcome {
                    holds: (got == *verdict) == *is,
                    measured: got.id().into(),
                    value: None,
                }
            }
        }
    }

    /// The runs (1-based) the check reads.
    pub fn runs(&self) -> Vec<usize> {
        match self {
            Check::Compare { left, right, .. } => match right {
                Rhs::Term(t) => vec![left.run, t.run],
                Rhs::Number(_) => vec![left.run],
            },
            Check::DivergedBy { run, .. }
            | Check::FiniteThrough { run, .. }
            | Check::Verdict { run, .. } => vec![*run],
        }
    }
}

fn epoch_number(e: Epoch, config: &Config) -> usize {
    match e {
        Epoch::Number(n) => n,
        Epoch::Last => config.epochs,
    }
}

fn diverged_at(records: &[EpochRecord]) -> Option<usize> {
    records
        .iter()
        .find(|r| r.status == Status::Diverged)
        .map(|r| r.epoch)
}

fn missing_epoch(records: &[EpochRecord], e: usize) -> String {
    match diverged_at(records) {
        Some(d) if d <= e => format!("diverged at epoch {d}, before epoch {e}"),
        _ => format!("no epoch {e} yet"),
    }
}

fn figure_value(f: &Figure, record: &EpochRecord) -> Option<f64> {
    let run = match f.name {
        "val_accuracy" => Some(record.val_accuracy),
        "train_accuracy" => Some(record.train_accuracy),
        "val_loss" => Some(record.val_loss),
        "train_loss" => Some(record.train_loss),
        _ => None,
    };
    if run.is_some() {
        return run;
    }
    let l: &LayerStats = record
        .layers
        .get(layer_index(f.layer?, record.layers.len())?)?;
    match f.name {
        "grad_norm" => Some(l.grad_norm),
        "clipped_grad_norm" => Some(l.clipped_grad_norm),
        "delta_rms" => Some(l.delta_rms),
        "weight_norm" => Some(l.weight_norm),
        "update_ratio" => l.update_ratio,
        "act_mean" => Some(l.act_mean),
        "act_std" => Some(l.act_std),
        "saturated" => Some(l.saturated),
        "dead" => l.dead,
        _ => None,
    }
}

impl Term {
    fn value(&self, runs: &[RunResult]) -> Result<f64, String> {
        let r = &runs[self.run - 1];
        let e = epoch_number(self.epoch, r.config);
        let record = r
            .records
            .iter()
            .find(|x| x.epoch == e && x.status == Status::Ok)
            .ok_or_else(|| missing_epoch(r.records, e))?;
        let undefined = |f: &Figure| format!("{} is undefined here", FigureText(f));
        let a = figure_value(&self.figure, record).ok_or_else(|| undefined(&self.figure))?;
        match &self.over {
            None => Ok(a),
            Some(over) => Ok(a / figure_value(over, record).ok_or_else(|| undefined(over))?),
        }
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
    let Some(name) = LAYER_FIGURES.iter().find(|n| **n == name) else {
        return Err(format!(
            "unknown figure '{w}'; allowed: {}, {}",
            RUN_FIGURES.join(", "),
            LAYER_FIGURES.join(", ")
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
                    Some(x) if x.is_finite() => Rhs::Number(x),
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

struct FigureText<'a>(&'a Figure);

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
                    // 1e-6, not 0.000001: as a lecturer writes a tiny ratio.
                    Rhs::Number(x) if *x != 0.0 && !(1e-3..1e6).contains(&x.abs()) => {
                        write!(f, "{x:e}")
                    }
                    Rhs::Number(x) => write!(f, "{x}"),
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
