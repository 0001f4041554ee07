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
    let values: [f32; 11] = [
        0.0,
        -0.0,
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
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
    let mut values: Vec<f32> = (1..=101u8).map(f32::from).collect();
    values.reverse();
    values.push(f32::NAN);
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
    assert!(Histogram::of(&[f32::NAN], SIGMOID)
        .percentiles
        .iter()
        .all(Option::is_none));
    // Between −∞ and 1 the median is undefined (∞ − ∞); the ends are not.
    let h = Histogram::of(&[f32::NEG_INFINITY, 1.0], Bins::SignedLog);
    assert_eq!(h.percentiles[4], None);
    assert_eq!(h.percentiles[0], Some(f64::NEG_INFINITY));
    assert_eq!(h.percentiles[8], Some(1.0));
}

/// The definitions, by brute force: every value compared with every edge (numpy's [a, b),
/// the last bin closed, the outermost bins taking what lies beyond), and the percentiles
/// interpolated between the fully sorted values.
fn by_definition(values: &[f32], bins: Bins) -> (Vec<u64>, [u64; 3], Vec<Option<f64>>) {
    let e = bins.edges();
    let last = e.len() - 2;
    let mut counts = vec![0u64; last + 1];
    let mut apart = [0u64; 3];
    for &x in values {
        let x = x as f64;
        if x.is_nan() {
            apart[1] += 1;
        } else if x.is_infinite() {
            apart[2] += 1;
        } else if x == 0.0 {
            apart[0] += 1;
        } else {
            let i = (0..=last).find(|&i| x < e[i + 1]).unwrap_or(last);
            counts[i] += 1;
        }
    }
    let mut sorted: Vec<f64> = values
        .iter()
        .filter(|x| !x.is_nan())
        .map(|&x| x as f64)
        .collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let percentiles = PERCENTILES
        .iter()
        .map(|q| {
            if n == 0 {
                return None;
            }
            let rank = q / 100.0 * (n - 1) as f64;
            let lo = rank.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            let frac = rank - lo as f64;
            let v = if frac > 0.0 && hi > lo {
                sorted[lo] + (sorted[hi] - sorted[lo]) * frac
            } else {
                sorted[lo]
            };
            (!v.is_nan()).then_some(v)
        })
        .collect();
    (counts, apart, percentiles)
}

fn agrees_with_the_definition(values: &[f32], bins: Bins, case: &str) {
    let h = Histogram::of(values, bins);
    let (counts, [zeros, nans, infs], percentiles) = by_definition(values, bins);
    assert_eq!(h.full_counts(), counts, "{case}, {bins:?}");
    assert_eq!((h.zeros, h.nans, h.infs), (zeros, nans, infs), "{case}");
    assert_eq!(h.total(), values.len() as u64, "{case}");
    for (k, (got, want)) in h.percentiles.iter().zip(&percentiles).enumerate() {
        // Exact order statistics (the same f32 values), the same interpolation.
        assert_eq!(
            got.map(f64::to_bits),
            want.map(f64::to_bits),
            "{case}, {bins:?}, percentile {}: {got:?} vs {want:?}",
            PERCENTILES[k]
        );
    }
}

const TANH: Bins = Bins::Range {
    lo: -1.0,
    hi: 1.0,
    n: 20,
};

#[test]
fn counts_and_percentiles_equal_the_definition_on_many_kinds_of_data() {
    let f32_edges = |bins: Bins| -> Vec<f32> {
        // Each edge's nearest f32s: the values a bucket boundary and an edge fight over.
        bins.edges()
            .iter()
            .flat_map(|&e| {
                let f = e as f32;
                [f, f.next_down(), f.next_up()]
            })
            .collect()
    };
    for seed in 0..40u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = [1, 2, 3, 7, 100, 2000, 20_000][seed as usize % 7];
        let mut pick = |kind: u64| -> f32 {
            let sign = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
            match kind {
                // Over 32 decades, with zeros, NaN and ±∞ mixed in.
                0 => match rng.random_range(0..50) {
                    0 => 0.0,
                    1 => f32::NAN,
                    2 => -f32::NAN,
                    3 => sign as f32 * f32::INFINITY,
                    _ => (sign * 10f64.powf(rng.random_range(-16.0..16.0))) as f32,
                },
                // A ReLU layer: half exact zeros (of both signs), the rest near 1.
                1 => match rng.random_range(0..4) {
                    0 => -0.0,
                    1 => 0.0,
                    _ => rng.random_range(0.0..3.0f32),
                },
                // Saturated sigmoid / tanh outputs, piled against the ends.
                2 => (sign as f32) * (1.0 - rng.random_range(0.0..1e-3f32)),
                // Crowded into a sliver (a handful of buckets).
                3 => 0.3 + rng.random_range(0.0..1e-4f32),
                // Subnormals next to zeros.
                4 => match rng.random_range(0..3) {
                    0 => 0.0,
                    1 => sign as f32 * f32::from_bits(rng.random_range(1..0x7f_ffff)),
                    _ => sign as f32 * f32::MIN_POSITIVE,
                },
                // The extremes of f32.
                5 => {
                    sign as f32 * [f32::MAX, f32::MIN_POSITIVE, 1e30, 1e-30][rng.random_range(0..4)]
                }
                // Tied: a few distinct values.
                _ => [-0.5f32, 0.1, 0.1, 2.0][rng.random_range(0..4)],
            }
        };
        for kind in 0..7 {
            let values: Vec<f32> = (0..n).map(|_| pick(kind)).collect();
            for bins in [Bins::SignedLog, SIGMOID, TANH] {
                agrees_with_the_definition(&values, bins, &format!("seed {seed}, kind {kind}"));
            }
        }
    }
    // Every edge's neighbouring f32s, and sorted, reversed and constant runs.
    for bins in [Bins::SignedLog, SIGMOID, TANH] {
        let at_edges = f32_edges(bins);
        agrees_with_the_definition(&at_edges, bins, "at the edges");
        let ramp: Vec<f32> = (0..1001).map(|i| i as f32 / 100.0 - 5.0).collect();
        let reversed: Vec<f32> = ramp.iter().rev().copied().collect();
        agrees_with_the_definition(&ramp, bins, "ramp");
        agrees_with_the_definition(&reversed, bins, "reversed");
        agrees_with_the_definition(&[0.25; 1001], bins, "constant");
        agrees_with_the_definition(&[], bins, "empty");
        agrees_with_the_definition(&[f32::NAN, -f32::NAN], bins, "only NaN");
        agrees_with_the_definition(&[f32::INFINITY, f32::NEG_INFINITY, 1.0], bins, "∞ − ∞");
        // NaN whose payload puts them in the order buckets of ±∞.
        let (nan_by_inf, nan_by_minus_inf) =
            (f32::from_bits(0x7f80_0001), f32::from_bits(0xff80_0001));
        let mixed = [
            f32::INFINITY,
            nan_by_inf,
            f32::NEG_INFINITY,
            nan_by_minus_inf,
            1.0,
            0.0,
        ];
        agrees_with_the_definition(&mixed, bins, "NaN beside ±∞");
    }
}

#[test]
fn an_f64_networks_values_are_counted_in_single_precision() {
    // The gradient check's f64 network: its values rounded to f32, the precision training uses.
    let wide = [0.1f64, -3.0, 1e-13, 0.0];
    let single: Vec<f32> = wide.iter().map(|&x| x as f32).collect();
    assert_eq!(
        Histogram::of_real(&wide, Bins::SignedLog),
        Histogram::of(&single, Bins::SignedLog)
    );
}

#[test]
fn an_activations_output_histogram_from_its_inputs_equals_the_one_of_its_outputs() {
    use gradscope::engine::activation::Activation;
    use gradscope::engine::layer_histograms::activation_bins;
    for seed in 0..12u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = [5, 300, 23_040][seed as usize % 3];
        // Inputs as a layer meets them (normal-ish over a few decades), with every awkward
        // value mixed in: zeros, subnormals, NaN, ±∞, the extremes, values at the bins' edges.
        let z: Vec<f32> = (0..n)
            .map(|_| {
                let sign = if rng.random_bool(0.5) { 1.0f32 } else { -1.0 };
                match rng.random_range(0..100) {
                    0 => 0.0,
                    1 => f32::NAN,
                    2 => sign * f32::INFINITY,
                    3 => sign * f32::from_bits(rng.random_range(1..0x7f_ffff)),
                    4 => sign * f32::MAX,
                    5 => sign * [0.05, 0.1, 0.5, 1.0, 10f32.sqrt()][rng.random_range(0..5)],
                    6 => sign * 10f32.powf(rng.random_range(-30.0..30.0)),
                    7 => sign * rng.random_range(80.0..120.0f32),
                    _ => sign * 10f32.powf(rng.random_range(-3.0..1.2)),
                }
            })
            .collect();
        for f in Activation::ALL {
            let out_bins = activation_bins(Some(f));
            let (hz, hf) = Histogram::of_inputs_and_outputs(&z, Bins::SignedLog, f, out_bins);
            let y: Vec<f32> = z.iter().map(|&x| f.apply(x)).collect();
            assert_eq!(hz, Histogram::of(&z, Bins::SignedLog), "inputs, {f:?}");
            let direct = Histogram::of(&y, out_bins);
            let case = format!("seed {seed}, {f:?}");
            assert_eq!(hf.full_counts(), direct.full_counts(), "{case}");
            assert_eq!(
                (hf.zeros, hf.nans, hf.infs),
                (direct.zeros, direct.nans, direct.infs),
                "{case}"
            );
            // f of the inputs' order statistics: the outputs' own (f is non-decreasing).
            assert_eq!(hf.percentiles, direct.percentiles, "{case}");
        }
    }
}
