//! A distribution of one layer's values (activations, pre-activations, δ, weights or
//! gradients) in fixed bins, with zeros, NaN and ±∞ counted apart, and TensorBoard's nine
//! percentiles of the signed values.

use serde::{Deserialize, Serialize};

/// TensorBoard's distribution bands: the percentiles of ±0, 0.5, 1, 1.5 standard deviations of
/// a normal distribution, and the extremes.
pub const PERCENTILES: [f64; 9] = [0.0, 6.68, 15.87, 30.85, 50.0, 69.15, 84.13, 93.32, 100.0];
/// The signed-log scale spans |x| from 10^−`LOG_DECADES` to 10^`LOG_DECADES`...
pub const LOG_DECADES: i32 = 12;
/// ...with this many bins per decade on each side.
pub const BINS_PER_DECADE: i32 = 2;
/// Bins of a bounded activation's own range (sigmoid [0, 1], tanh [−1, 1]).
pub const RANGE_BINS: usize = 20;

/// How a quantity is binned.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bins {
    /// `n` equal bins on [lo, hi]: a bounded activation's range.
    Range { lo: f64, hi: f64, n: usize },
    /// Decades of |x| with the sign kept: bins from −10^12 up to −10^−12, one bin for the
    /// non-zero values within ±10^−12, then from 10^−12 up to 10^12; 2 bins per decade. The
    /// outermost bins also take what lies beyond them.
    SignedLog,
}

impl Bins {
    /// The bin edges, ascending (one more than the bins).
    pub fn edges(self) -> Vec<f64> {
        match self {
            Bins::Range { lo, hi, n } => (0..=n)
                .map(|j| lo + (hi - lo) * j as f64 / n as f64)
                .collect(),
            Bins::SignedLog => {
                let steps = 2 * LOG_DECADES * BINS_PER_DECADE;
                let at =
                    |j: i32| 10f64.powf(j as f64 / BINS_PER_DECADE as f64 - LOG_DECADES as f64);
                let negative = (0..=steps).rev().map(|j| -at(j));
                negative.chain((0..=steps).map(at)).collect()
            }
        }
    }
}

/// Counts per bin; zeros, NaN and ±∞ are in no bin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
    pub zeros: u64,
    pub nans: u64,
    pub infs: u64,
    /// [`PERCENTILES`] of the values other than NaN (±∞ included), interpolated linearly
    /// between order statistics as numpy's `nanpercentile` does; None where that is undefined
    /// (no values, or ∞ − ∞).
    pub percentiles: Vec<Option<f64>>,
}

impl Histogram {
    pub fn of(values: &[f64], bins: Bins) -> Histogram {
        let edges = bins.edges();
        let mut counts = vec![0u64; edges.len() - 1];
        let (mut zeros, mut nans, mut infs) = (0, 0, 0);
        for &x in values {
            if x.is_nan() {
                nans += 1;
            } else if x.is_infinite() {
                infs += 1;
            } else if x == 0.0 {
                zeros += 1;
            } else {
                counts[bin_of(&edges, x)] += 1;
            }
        }
        let mut kept: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
        Histogram {
            percentiles: percentiles(&mut kept),
            edges,
            counts,
            zeros,
            nans,
            infs,
        }
    }

    /// Values counted: in bins and apart.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum::<u64>() + self.zeros + self.nans + self.infs
    }
}

/// The bin of a finite x, as numpy's `histogram` places it: [a, b) except the last, [a, b];
/// beyond the edges, the outermost bin.
fn bin_of(edges: &[f64], x: f64) -> usize {
    let last = edges.len() - 2;
    edges
        .partition_point(|&e| e <= x)
        .saturating_sub(1)
        .min(last)
}

/// [`PERCENTILES`] of `values` (no NaN), reordering them: each is found by selection, not a
/// full sort.
fn percentiles(values: &mut [f64]) -> Vec<Option<f64>> {
    let n = values.len();
    if n == 0 {
        return vec![None; PERCENTILES.len()];
    }
    PERCENTILES
        .iter()
        .map(|p| {
            let rank = p / 100.0 * (n - 1) as f64;
            let lo = rank.floor() as usize;
            let below = nth(values, lo);
            let v = if lo + 1 < n && rank > lo as f64 {
                let above = nth(values, lo + 1);
                below + (above - below) * (rank - lo as f64)
            } else {
                below
            };
            (!v.is_nan()).then_some(v)
        })
        .collect()
}

/// The k-th smallest value.
fn nth(values: &mut [f64], k: usize) -> f64 {
    *values.select_nth_unstable_by(k, |a, b| a.total_cmp(b)).1
}
