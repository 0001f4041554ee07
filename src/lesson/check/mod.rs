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

use crate::engine::config::Config;
use crate::engine::diagnose::diagnose;
use crate::engine::metrics::{EpochRecord, LayerStats, Status};
use crate::engine::verdict::Verdict;
use crate::format::num;

/// The run figures a check can name (the CLI's JSON names).
pub const RUN_FIGURES: [&str; 8] = [
    "val_accuracy",
    "train_accuracy",
    "val_loss",
    "train_loss",
    // Recurrent runs only (undefined for an MLP).
    "sigma_max",
    "recurrent_grad_norm",
    // The epoch's training steps' global gradient norms before clipping: median and largest.
    "step_norm_median",
    "step_norm_max",
];

/// A recurrent run's δ rms at time step `[t]` (1..T, or `[last]` for T).
pub const STEP_FIGURE: &str = "step_delta_rms";
/// The per-layer figures a check can name, with a layer.
pub use crate::engine::metrics::LAYER_FIGURES;
/// Per-layer figures read off the layer's distributions (an MLP's): the share of its
/// activations on the validation set that are exactly 0.
pub const HISTOGRAM_FIGURES: [&str; 1] = ["zero_share"];

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
    /// The number and its text as written (so a check is written back as its author wrote it).
    Number(f64, String),
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

mod grammar;

use grammar::FigureText;

impl Op {
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
    /// Evaluates the check on a step's runs.
    pub fn evaluate(&self, runs: &[RunResult]) -> Outcome {
        match self {
            Check::Compare { left, op, right } => {
                let a = left.value(runs);
                let b = match right {
                    Rhs::Number(x, _) => Ok(*x),
                    Rhs::Term(t) => t.value(runs),
                };
                match (a, b) {
                    (Ok(a), Ok(b)) => Outcome {
                        holds: op.holds(a, b),
                        measured: match right {
                            Rhs::Number(..) => num(a),
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
                Rhs::Number(..) => vec![left.run],
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
        "sigma_max" => return record.sigma_max,
        "recurrent_grad_norm" => return record.recurrent_grad_norm,
        "step_norm_median" => return median(&record.step_grad_norms),
        "step_norm_max" => return record.step_grad_norms.iter().copied().reduce(f64::max),
        STEP_FIGURE => {
            let steps = &record.time_steps;
            return Some(steps.get(layer_index(f.layer?, steps.len())?)?.delta_rms);
        }
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
        "zero_share" => l.histograms().map(|h| {
            let a = h.activation;
            a.zeros as f64 / a.total().max(1) as f64
        }),
        _ => None,
    }
}

/// The median (the mean of the middle two for an even count); None for no values or a NaN.
fn median(values: &[f64]) -> Option<f64> {
    let mut v = values.to_vec();
    if v.is_empty() || v.iter().any(|x| x.is_nan()) {
        return None;
    }
    // Insertion: an epoch has at most a few thousand steps (microseconds to a few ms), and
    // std's sort cost the page 1.9 KB gzipped.
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && v[j - 1] > v[j] {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
    let n = v.len();
    Some((v[(n - 1) / 2] + v[n / 2]) / 2.0)
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

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn the_median_is_the_middle_value_or_the_mean_of_the_middle_two() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[7.0]), Some(7.0));
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[1.0, f64::NAN]), None);
        // A long epoch's steps, in a scrambled order: the same as sorting them.
        let v: Vec<f64> = (0..2001).map(|i| ((i * 7919) % 2001) as f64).collect();
        assert_eq!(median(&v), Some(1000.0));
    }
}
