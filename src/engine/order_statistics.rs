//! The percentiles' order statistics: which ranks TensorBoard's nine percentiles need of n
//! values, numpy's linear interpolation between them, and selecting those ranks among the
//! few values [`super::order_buckets`] gathers — without sorting them.

use super::histogram::PERCENTILES;
use super::order_buckets::order_key;

/// The order statistics the percentiles need, of n values.
pub(super) struct Ranks {
    /// Per percentile: the rank below, the rank above, and the fraction between them.
    each: Vec<(usize, usize, f64)>,
    /// Every rank needed, ascending, once.
    wanted: Vec<usize>,
}

impl Ranks {
    pub(super) fn new(n: usize) -> Ranks {
        if n == 0 {
            return Ranks {
                each: Vec::new(),
                wanted: Vec::new(),
            };
        }
        let each: Vec<(usize, usize, f64)> = PERCENTILES
            .iter()
            .map(|p| {
                let rank = p / 100.0 * (n - 1) as f64;
                let lo = rank.floor() as usize;
                (lo, (lo + 1).min(n - 1), rank - lo as f64)
            })
            .collect();
        // Ascending, once each (an insertion: std's sort would cost the worker its code).
        let mut wanted: Vec<usize> = Vec::with_capacity(2 * each.len());
        for r in each.iter().flat_map(|&(lo, hi, _)| [lo, hi]) {
            let at = wanted.partition_point(|&w| w < r);
            if wanted.get(at) != Some(&r) {
                wanted.insert(at, r);
            }
        }
        Ranks { each, wanted }
    }

    /// Every rank needed, ascending, once.
    pub(super) fn wanted(&self) -> &[usize] {
        &self.wanted
    }

    /// The wanted ranks in [from, to).
    pub(super) fn within(
        &self,
        from: usize,
        to: usize,
    ) -> impl Iterator<Item = usize> + Clone + '_ {
        let start = self.wanted.partition_point(|&r| r < from);
        self.wanted[start..]
            .iter()
            .copied()
            .take_while(move |&r| r < to)
    }

    /// The percentiles from the order statistics found: numpy's linear interpolation.
    pub(super) fn percentiles(&self, known: &[(usize, f32)]) -> Vec<Option<f64>> {
        if self.each.is_empty() {
            return vec![None; PERCENTILES.len()];
        }
        let at = |rank: usize| {
            known
                .iter()
                .find(|(r, _)| *r == rank)
                .map_or(f64::NAN, |&(_, v)| v as f64)
        };
        self.each
            .iter()
            .map(|&(lo, hi, frac)| {
                let below = at(lo);
                let v = if frac > 0.0 && hi > lo {
                    below + (at(hi) - below) * frac
                } else {
                    below
                };
                (!v.is_nan()).then_some(v)
            })
            .collect()
    }
}

/// The values of `ranks` (ascending; `first` is the rank of the smallest of `values`) among
/// values whose order keys agree above bit `shift`. A few values: by Hoare's selection. More:
/// a counting sort on the key's next 8 bits (branch-free, two passes), then the same within
/// each smaller bucket that holds a rank — so a crowded bucket (a saturated tanh's outputs,
/// thousands of them within a thirty-second of an octave of ±1) costs a few passes, not a
/// mispredicted branch per comparison.
pub(super) fn select(
    values: &mut [f32],
    shift: u32,
    ranks: &[usize],
    first: usize,
    out: &mut Vec<(usize, f32)>,
) {
    if ranks.is_empty() {
        return;
    }
    if shift == 0 {
        // One key: one value.
        out.extend(ranks.iter().map(|&r| (r, values[0])));
        return;
    }
    if values.len() <= 64 {
        // Ranks ascend: each selection only looks above the previous one's place.
        let mut from = 0;
        for &r in ranks {
            out.push((r, nth(values, from, r - first)));
            from = r - first;
        }
        return;
    }
    let bits = shift.min(8);
    let low = shift - bits;
    let sub = |x: f32| ((order_key(x) >> low) & ((1 << bits) - 1)) as usize;
    let mut starts = [0usize; 257];
    for &x in values.iter() {
        starts[sub(x) + 1] += 1;
    }
    for i in 1..257 {
        starts[i] += starts[i - 1];
    }
    let mut sorted = vec![0f32; values.len()];
    let mut next = starts;
    for &x in values.iter() {
        let s = sub(x);
        sorted[next[s]] = x;
        next[s] += 1;
    }
    // Only the smaller buckets that hold a rank: each found from its first rank.
    let mut from = 0;
    while let Some(&r) = ranks.get(from) {
        let s = starts.partition_point(|&start| start <= r - first) - 1;
        let to = from + ranks[from..].partition_point(|&q| q - first < starts[s + 1]);
        let part = &mut sorted[starts[s]..starts[s + 1]];
        select(part, low, &ranks[from..to], first + starts[s], out);
        from = to;
    }
}

/// The k-th smallest of `values`, given that `values[..start]` are all ≤ every value after
/// them: Hoare's selection (FIND) on `values[start..]`, leaving the slice partitioned around k.
/// Written out rather than std's sort or `select_nth_unstable_by`, whose generic machinery
/// costs the worker ~2 KB gzipped; the middle element as pivot, and equal values split between
/// both sides, keep it linear on sorted, reversed and constant data alike.
fn nth(values: &mut [f32], start: usize, k: usize) -> f32 {
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
