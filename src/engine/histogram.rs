//! A distribution of one layer's values (activations, pre-activations, δ, weights or
//! gradients) in fixed bins, with zeros, NaN and ±∞ counted apart, and TensorBoard's nine
//! percentiles of the signed values.
//!
//! A record keeps only the span of bins that hold something (a layer's values rarely cover
//! more than a few of the 24 decades): [`Histogram::json`] writes the full, documented form.

use super::activation::Activation;
use super::order_buckets::{self, View};
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
    #[inline(always)]
    pub(super) fn guess(self, x: f64) -> isize {
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
    /// Of single-precision values, the network's own (one pass to place every value in its
    /// order bucket, a second over the few buckets that need their values one by one: see
    /// [`super::order_buckets`]).
    pub fn of(values: &[f32], bins: Bins) -> Histogram {
        Histogram::of_views(values, &[View::new(None, bins)]).swap_remove(0)
    }

    /// The histograms of a layer's inputs z and of its outputs f(z), from the inputs alone
    /// (the same two passes): every activation never decreases and sends NaN to NaN.
    pub fn of_inputs_and_outputs(
        z: &[f32],
        z_bins: Bins,
        f: Activation,
        out_bins: Bins,
    ) -> (Histogram, Histogram) {
        let views = [View::new(None, z_bins), View::new(Some(f), out_bins)];
        let mut h = Histogram::of_views(z, &views);
        let outputs = h.swap_remove(1);
        (h.swap_remove(0), outputs)
    }

    fn of_views(values: &[f32], views: &[View]) -> Vec<Histogram> {
        order_buckets::count(values, views)
            .into_iter()
            .zip(views)
            .map(|(c, v)| Histogram::from_counted(v.bins, c))
            .collect()
    }

    /// Only the span of bins that hold something is kept.
    fn from_counted(bins: Bins, c: order_buckets::Counted) -> Histogram {
        let first = c.bins.iter().position(|&n| n > 0).unwrap_or(0);
        let end = c.bins.iter().rposition(|&n| n > 0).map_or(first, |i| i + 1);
        Histogram {
            bins,
            first,
            counts: c.bins[first..end].to_vec(),
            zeros: c.zeros,
            nans: c.nans,
            infs: c.infs,
            percentiles: c.percentiles,
        }
    }

    /// Of a network's values: f32 as they are; an f64 network's (the gradient check's) rounded
    /// to f32 first.
    pub fn of_real<F: Real>(values: &[F], bins: Bins) -> Histogram {
        Histogram::of(&F::single(values), bins)
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
/// beyond the edges, the outermost bin. `guess` is at most one bin off: one comparison on each
/// side corrects it, as arithmetic rather than branches (the values' signs and bins are
/// unpredictable, and mispredicted branches cost more than the rest of the work).
#[inline(always)]
pub(super) fn bin_of(edges: &[f64], guess: isize, x: f64) -> usize {
    let last = edges.len() - 2;
    let i = guess.clamp(0, last as isize) as usize;
    let i = i - (i > 0 && x < edges[i]) as usize;
    i + (i < last && x >= edges[i + 1]) as usize
}
