//! A distribution of one layer's values (activations, pre-activations, δ, weights or
//! gradients) in fixed bins, with zeros, NaN and ±∞ counted apart, and TensorBoard's nine
//! percentiles of the signed values.
//!
//! A record keeps only the span of bins that hold something (a layer's values rarely cover
//! more than a few of the 24 decades): [`Histogram::json`] writes the full, documented form.

use super::real::Real;

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

/// Bins on one side of the signed-log scale.
const SIDE: usize = (2 * LOG_DECADES * BINS_PER_DECADE) as usize;

impl Bins {
    /// The bin edges, ascending (one more than the bins).
    pub fn edges(self) -> Vec<f64> {
        match self {
            Bins::Range { lo, hi, n } => (0..=n)
                .map(|j| lo + (hi - lo) * j as f64 / n as f64)
                .collect(),
            Bins::SignedLog => {
                // 10^(j/2 − 12): a power of ten, times √10 for odd j.
                let at = |j: usize| {
                    let decade = 10f64.powi(j as i32 / BINS_PER_DECADE - LOG_DECADES);
                    if j % 2 == 1 {
                        decade * 10f64.sqrt()
                    } else {
                        decade
                    }
                };
                let negative = (0..=SIDE).rev().map(|j| -at(j));
                negative.chain((0..=SIDE).map(at)).collect()
            }
        }
    }

    /// How many bins.
    pub fn count(self) -> usize {
        match self {
            Bins::Range { n, .. } => n,
            Bins::SignedLog => 2 * SIDE + 1,
        }
    }

    /// A bin near x's: the exact one, or one of its neighbours (`bin_of` corrects it).
    fn guess(self, x: f64) -> isize {
        match self {
            Bins::Range { lo, hi, n } => ((x - lo) / (hi - lo) * n as f64) as isize,
            Bins::SignedLog => {
                // log2|x| lies in [e, e + 1) for the binary exponent e, so the decade-bin
                // log10|x|·2 lies within one bin of e·2·log10(2).
                let e = ((x.to_bits() >> 52) & 0x7ff) as f64 - 1023.0;
                let j = ((e * std::f64::consts::LOG10_2 + LOG_DECADES as f64)
                    * BINS_PER_DECADE as f64)
                    .floor() as isize;
                let j = j.clamp(-1, SIDE as isize);
                if x > 0.0 {
                    SIDE as isize + 1 + j
                } else {
                    SIDE as isize - 1 - j
                }
            }
        }
    }
}

/// Counts per bin; zeros, NaN and ±∞ are in no bin.
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    pub bins: Bins,
    /// The bin of `counts[0]`: the bins before it, and after the last count, hold nothing.
    pub first: usize,
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
                counts[bin_of(&edges, bins.guess(x), x)] += 1;
            }
        }
        let first = counts.iter().position(|&c| c > 0).unwrap_or(0);
        let end = counts.iter().rposition(|&c| c > 0).map_or(first, |i| i + 1);
        let mut kept: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
        Histogram {
            bins,
            first,
            counts: counts[first..end].to_vec(),
            zeros,
            nans,
            infs,
            percentiles: percentiles(&mut kept),
        }
    }

    /// Of a network's own values, each widened exactly to f64.
    pub fn of_real<F: Real>(values: &[F], bins: Bins) -> Histogram {
        let wide: Vec<f64> = values.iter().map(|x| x.as_f64()).collect();
        Histogram::of(&wide, bins)
    }

    /// The bin edges, ascending.
    pub fn edges(&self) -> Vec<f64> {
        self.bins.edges()
    }

    /// The count of every bin, one fewer than the edges.
    pub fn full_counts(&self) -> Vec<u64> {
        let mut all = vec![0; self.bins.count()];
        all[self.first..self.first + self.counts.len()].copy_from_slice(&self.counts);
        all
    }

    /// Values counted: in bins and apart.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum::<u64>() + self.zeros + self.nans + self.infs
    }

    /// The share of all values counted in bins [from, to) (full-scale bin numbers).
    pub fn share_of_bins(&self, from: usize, to: usize) -> f64 {
        let (lo, hi) = (from.max(self.first), to.min(self.first + self.counts.len()));
        let n: u64 = (lo..hi).map(|i| self.counts[i - self.first]).sum();
        n as f64 / self.total().max(1) as f64
    }

    /// The documented form: `{edges, counts, zeros, nans, infs, percentiles}`, every bin's
    /// count, non-finite percentiles as `null`.
    pub fn json(&self) -> serde_json::Value {
        let finite = |p: &Option<f64>| p.filter(|x| x.is_finite());
        serde_json::json!({
            "edges": self.edges(),
            "counts": self.full_counts(),
            "zeros": self.zeros,
            "nans": self.nans,
            "infs": self.infs,
            "percentiles": self.percentiles.iter().map(finite).collect::<Vec<_>>(),
        })
    }
}

/// The bin of a finite x, as numpy's `histogram` places it: [a, b) except the last, [a, b];
/// beyond the edges, the outermost bin. `guess` is at most a bin or two off.
fn bin_of(edges: &[f64], guess: isize, x: f64) -> usize {
    let last = edges.len() - 2;
    let mut i = guess.clamp(0, last as isize) as usize;
    while i > 0 && x < edges[i] {
        i -= 1;
    }
    while i < last && x >= edges[i + 1] {
        i += 1;
    }
    i
}

/// [`PERCENTILES`] of `values` (no NaN), reordering them. Each order statistic is found by
/// selection within the part of the slice left by the previous one (ranks ascend), so the nine
/// cost a few passes, not a sort.
fn percentiles(values: &mut [f64]) -> Vec<Option<f64>> {
    let n = values.len();
    if n == 0 {
        return vec![None; PERCENTILES.len()];
    }
    let mut start = 0;
    PERCENTILES
        .iter()
        .map(|p| {
            let rank = p / 100.0 * (n - 1) as f64;
            let lo = rank.floor() as usize;
            let below = nth(values, start, lo);
            start = lo;
            let v = if lo + 1 < n && rank > lo as f64 {
                // After selecting rank lo, everything above it is ≥ it: the next order
                // statistic is the least of those.
                let above = values[lo + 1..]
                    .iter()
                    .copied()
                    .min_by(f64::total_cmp)
                    .unwrap_or(below);
                below + (above - below) * (rank - lo as f64)
            } else {
                below
            };
            (!v.is_nan()).then_some(v)
        })
        .collect()
}

/// The k-th smallest value, given that `values[..start]` are all ≤ every value after them:
/// Hoare's selection (FIND) on `values[start..]`, leaving the slice partitioned around k.
/// Written out rather than `select_nth_unstable_by`, whose generic machinery cost the worker
/// ~2 KB gzipped; the middle element as pivot, and equal values split between both sides, keep
/// it linear on sorted, reversed and constant data alike.
fn nth(values: &mut [f64], start: usize, k: usize) -> f64 {
    let (mut lo, mut hi) = (start, values.len() - 1);
    while lo < hi {
        let pivot = values[lo + (hi - lo) / 2];
        let (mut i, mut j) = (lo, hi);
        loop {
            while values[i].total_cmp(&pivot).is_lt() {
                i += 1;
            }
            while values[j].total_cmp(&pivot).is_gt() {
                j -= 1;
            }
            if i >= j {
                break;
            }
            values.swap(i, j);
            i += 1;
            j -= 1;
        }
        // values[lo..=j] ≤ pivot ≤ values[j + 1..=hi]
        if k <= j {
            hi = j;
        } else {
            lo = j + 1;
        }
    }
    values[k]
}
