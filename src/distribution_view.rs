//! What the Distributions view draws, worked out apart from the drawing (and tested natively):
//! the columns of a shared x axis over several histograms — the bins any of them fills, the
//! empty decades between the two signs left out, and columns for exact zeros, NaN and ±∞ —
//! and each histogram's share of its values in each column.

use crate::engine::histogram::{Bins, Histogram, BINS_PER_DECADE, LOG_DECADES};

/// One column of the axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// A bin of the quantity's scale (its number on the full scale).
    Bin(usize),
    /// Values exactly 0.
    Zero,
    Nan,
    Inf,
}

/// The signed-log scale's middle bin (the non-zero values within ±10^−12).
const MIDDLE: usize = (2 * LOG_DECADES * BINS_PER_DECADE) as usize;

/// The columns that show every one of `hists` (all on `bins`), in axis order.
pub fn columns(bins: Bins, hists: &[&Histogram]) -> Vec<Column> {
    let filled = |i: usize| {
        hists
            .iter()
            .any(|h| i >= h.first && i < h.first + h.counts.len() && h.counts[i - h.first] > 0)
    };
    let any = |f: fn(&Histogram) -> u64| hists.iter().any(|h| f(h) > 0);
    let mut out = Vec::new();
    match bins {
        // A bounded range: all of it, zeros where 0 lies on it.
        Bins::Range { lo, hi, n } => {
            let zero_at = if lo < 0.0 && hi > 0.0 {
                ((0.0 - lo) / (hi - lo) * n as f64).round() as usize
            } else {
                0
            };
            for i in 0..n {
                if i == zero_at && any(|h| h.zeros) {
                    out.push(Column::Zero);
                }
                out.push(Column::Bin(i));
            }
        }
        // Decades: the negative bins from the first filled to the last, zero, then the
        // positive ones likewise; the empty decades around 0 are left out.
        Bins::SignedLog => {
            let span = |range: std::ops::Range<usize>| {
                let first = range.clone().find(|&i| filled(i));
                let last = range.rev().find(|&i| filled(i));
                first.zip(last).map(|(a, b)| a..b + 1)
            };
            let negative = span(0..MIDDLE + 1);
            let positive = span(MIDDLE + 1..2 * MIDDLE + 1);
            out.extend(negative.clone().into_iter().flatten().map(Column::Bin));
            if any(|h| h.zeros) || (negative.is_some() && positive.is_some()) {
                out.push(Column::Zero);
            }
            out.extend(positive.into_iter().flatten().map(Column::Bin));
        }
    }
    if any(|h| h.nans) {
        out.push(Column::Nan);
    }
    if any(|h| h.infs) {
        out.push(Column::Inf);
    }
    out
}

/// The share of `h`'s values in each column (0 for a histogram with no values).
pub fn shares(h: &Histogram, columns: &[Column]) -> Vec<f64> {
    let total = h.total().max(1) as f64;
    columns
        .iter()
        .map(|c| {
            let n = match *c {
                Column::Bin(i) if i >= h.first => h.counts.get(i - h.first).copied().unwrap_or(0),
                Column::Bin(_) => 0,
                Column::Zero => h.zeros,
                Column::Nan => h.nans,
                Column::Inf => h.infs,
            };
            n as f64 / total
        })
        .collect()
}

/// The label at a column's left edge: the bin's lower edge where it is a round number (a
/// power of ten on the signed-log scale, a quarter of the range on a range), else nothing;
/// "0", "NaN", "±∞" for the columns apart.
pub fn edge_label(bins: Bins, column: Column) -> Option<String> {
    match column {
        Column::Zero => Some("0".into()),
        Column::Nan => Some("NaN".into()),
        Column::Inf => Some("±∞".into()),
        Column::Bin(i) => {
            let edges = bins.edges();
            let x = edges[i];
            match bins {
                Bins::Range { n, .. } => {
                    (i % (n / 4).max(1) == 0 || i == n).then(|| crate::format::num(x))
                }
                Bins::SignedLog => {
                    let decade = x.abs().log10().round() as i32;
                    let round = (x.abs().log10() - decade as f64).abs() < 1e-9;
                    (round && i != MIDDLE).then(|| decade_text(decade, x < 0.0))
                }
            }
        }
    }
}

/// 10^k as a reader expects it: 0.001 … 1000 written out, 1e-6 beyond.
fn decade_text(k: i32, negative: bool) -> String {
    let sign = if negative { "−" } else { "" };
    let body = match k {
        -3..=-1 => format!("0.{}1", "0".repeat((-k - 1) as usize)),
        0..=3 => format!("1{}", "0".repeat(k as usize)),
        _ => format!("1e{k}"),
    };
    format!("{sign}{body}")
}
