//! The per-layer histograms' bins and percentiles against their definitions: known values in
//! known bins, zeros / NaN / ±∞ apart, numpy's linear interpolation between order statistics,
//! and counts equal to a brute-force count over many random samples.

use gradscope::engine::histogram::{Bins, Histogram, PERCENTILES};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SIGMOID: Bins = Bins::Range {
    lo: 0.0,
    hi: 1.0,
    n: 20,
};

#[test]
fn the_signed_log_edges_run_from_minus_1e12_to_1e12_two_per_decade() {
    let e = Bins::SignedLog.edges();
    assert_eq!(e.len(), 2 * 49);
    assert!(e.windows(2).all(|w| w[0] < w[1]), "ascending");
    let close = |a: f64, b: f64| ((a - b) / b).abs() < 1e-12;
    assert!(close(e[0], -1e12) && close(e[48], -1e-12));
    assert!(close(e[49], 1e-12) && close(e[97], 1e12));
    assert!(close(e[73], 1.0) && close(e[74], 10f64.sqrt()));
    for (a, b) in e.iter().zip(e.iter().rev()) {
        assert_eq!(*a, -*b, "symmetric");
    }
}

#[test]
fn known_values_land_in_known_bins_and_the_rest_is_counted_apart() {
    let e = Bins::SignedLog.edges();
    let values = [
        0.0,
        -0.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.5,
        -0.5,
        2e-13,
        5e13,
        -3.0,
        1.0,
    ];
    let h = Histogram::of(&values, Bins::SignedLog);
    assert_eq!((h.zeros, h.nans, h.infs), (2, 1, 2));
    let counts = h.full_counts();
    assert_eq!(h.total(), values.len() as u64);
    let bin = |x: f64| {
        let i = (0..e.len() - 1)
            .find(|&i| e[i] <= x && x < e[i + 1])
            .unwrap();
        counts[i]
    };
    assert_eq!(counts[48], 1, "2e-13: the bin between ±1e-12");
    assert_eq!(counts[96], 1, "5e13: beyond the last edge, in the last bin");
    assert_eq!(bin(0.5), 1, "[10^-0.5, 1)");
    assert_eq!(
        bin(1.0),
        1,
        "[1, 10^0.5): an edge belongs to the bin above it"
    );
    assert_eq!(bin(-3.0), 1, "[-10^0.5, -1)");
    assert_eq!(bin(-0.5), 1);
    assert_eq!(counts.iter().sum::<u64>(), 6);
    // Kept: from -3.0's bin [−10^0.5, −1) (bin 23) to the last.
    assert_eq!((h.first, h.counts.len()), (23, 97 - 23));

    let s = Histogram::of(&[0.0, 0.05, 0.5, 1.0, 0.999], SIGMOID);
    let (edges, counts) = (s.edges(), s.full_counts());
    assert_eq!(edges.len(), 21);
    assert_eq!(s.zeros, 1, "exact zeros apart, also on a range");
    assert_eq!(counts[1], 1, "0.05 opens bin 1");
    assert_eq!(counts[10], 1);
    assert_eq!(counts[19], 2, "the last bin is closed: 1.0 is in it");
}

#[test]
fn percentiles_interpolate_between_order_statistics_as_numpy_does() {
    // 1..=101 shuffled: the p-th percentile is 1 + p.
    let mut values: Vec<f64> = (1..=101).map(f64::from).collect();
    values.reverse();
    values.push(f64::NAN);
    let h = Histogram::of(&values, Bins::SignedLog);
    for (p, got) in PERCENTILES.iter().zip(&h.percentiles) {
        assert!((got.unwrap() - (1.0 + p)).abs() < 1e-9, "{p}: {got:?}");
    }
    // numpy.percentile([1, 2, 4, 8], 30.85) = 1 + (2 − 1)·0.9255
    let h = Histogram::of(&[8.0, 1.0, 4.0, 2.0], Bins::SignedLog);
    assert!((h.percentiles[3].unwrap() - 1.9255).abs() < 1e-12);
    assert_eq!(h.percentiles[0], Some(1.0));
    assert_eq!(h.percentiles[8], Some(8.0));
    assert_eq!(h.percentiles[4], Some(3.0));

    assert!(Histogram::of(&[], SIGMOID)
        .percentiles
        .iter()
        .all(Option::is_none));
    assert!(Histogram::of(&[f64::NAN], SIGMOID)
        .percentiles
        .iter()
        .all(Option::is_none));
    // Between −∞ and 1 the median is undefined (∞ − ∞); the ends are not.
    let h = Histogram::of(&[f64::NEG_INFINITY, 1.0], Bins::SignedLog);
    assert_eq!(h.percentiles[4], None);
    assert_eq!(h.percentiles[0], Some(f64::NEG_INFINITY));
    assert_eq!(h.percentiles[8], Some(1.0));
}

#[test]
fn counts_equal_a_brute_force_count_over_random_samples() {
    for seed in 0..20 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let values: Vec<f64> = (0..2000)
            .map(|_| {
                let decade: f64 = rng.random_range(-16.0..16.0);
                let sign = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
                match rng.random_range(0..50) {
                    0 => 0.0,
                    1 => f64::NAN,
                    _ => sign * 10f64.powf(decade),
                }
            })
            .collect();
        for bins in [Bins::SignedLog, SIGMOID] {
            let h = Histogram::of(&values, bins);
            let e = bins.edges();
            let last = e.len() - 2;
            let mut want = vec![0u64; last + 1];
            for &x in values.iter().filter(|x| x.is_finite() && **x != 0.0) {
                let i = (0..=last)
                    .find(|&i| x < e[i + 1] || (i == last && x <= e[i + 1]))
                    .unwrap_or(last);
                want[i] += 1;
            }
            assert_eq!(h.full_counts(), want, "seed {seed}, {bins:?}");
            assert_eq!(h.total(), values.len() as u64);
            let sorted = {
                let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
                v.sort_by(f64::total_cmp);
                v
            };
            assert_eq!(h.percentiles[0], Some(sorted[0]));
            assert_eq!(h.percentiles[8], Some(*sorted.last().unwrap()));
            let p = h.percentiles.iter().map(|p| p.unwrap()).collect::<Vec<_>>();
            assert!(p.windows(2).all(|w| w[0] <= w[1]), "monotone: {p:?}");
            // Every percentile equals the interpolation between the sorted values.
            for (q, got) in PERCENTILES.iter().zip(&p) {
                let rank = q / 100.0 * (sorted.len() - 1) as f64;
                let lo = rank.floor() as usize;
                let hi = (lo + 1).min(sorted.len() - 1);
                let want = sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo as f64);
                assert!(
                    *got == want || (got - want).abs() <= 1e-12 * want.abs(),
                    "{q}"
                );
            }
        }
    }
}

#[test]
fn percentiles_hold_on_sorted_reversed_constant_and_tied_values() {
    let n = 1001;
    let ramp: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let cases = [
        ramp.clone(),
        ramp.iter().rev().copied().collect(),
        vec![0.25; n],
        // Half exact zeros, as a ReLU layer gives.
        (0..n)
            .map(|i| if i % 2 == 0 { 0.0 } else { i as f64 })
            .collect::<Vec<_>>(),
    ];
    for values in cases {
        let h = Histogram::of(&values, Bins::SignedLog);
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        for (q, got) in PERCENTILES.iter().zip(&h.percentiles) {
            let rank = q / 100.0 * (n - 1) as f64;
            let lo = rank.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            let want = sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo as f64);
            assert!(
                (got.unwrap() - want).abs() <= 1e-9 * want.abs().max(1.0),
                "{q}"
            );
        }
    }
}
