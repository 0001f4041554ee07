//! The engine's own matrix product (the one it trains with in the browser) against the
//! definition and against `matrixmultiply`: every layout the layers use, odd sizes that leave
//! partial tiles, inner dimensions longer than one packed block, alpha and beta, NaN in an
//! ignored C. The lanes run as plain arrays here; in the browser they are SIMD registers
//! computing the same IEEE multiplies and adds, so these are the browser's numbers.

use gradscope::engine::gemm::{tiled_sgemm, MR, NR};
use gradscope::engine::real::matrixmultiply_sgemm;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// A·B by the definition, in f64: one dot product per entry.
fn definition(m: usize, k: usize, n: usize, a: &[f32], b: &[f32]) -> Vec<f64> {
    let mut c = vec![0.0; m * n];
    for i in 0..m {
        for j in 0..n {
            c[i * n + j] = (0..k)
                .map(|p| a[i * k + p] as f64 * b[p * n + j] as f64)
                .sum();
        }
    }
    c
}

/// Small integers and halves: every product and partial sum below 2^24 is exact in f32, so
/// any order of summation gives the definition exactly.
fn exact_values(len: usize, seed: usize) -> Vec<f32> {
    (0..len)
        .map(|i| ((i * 37 + seed * 11) % 13) as f32 / 2.0 - 3.0)
        .collect()
}

/// Row-major A (m×k) given as the layout the test asks for: (values, row stride, col stride).
fn layout(x: &[f32], rows: usize, cols: usize, transposed: bool) -> (Vec<f32>, isize, isize) {
    if transposed {
        let t = (0..rows * cols)
            .map(|s| x[(s % rows) * cols + s / rows])
            .collect();
        (t, 1, rows as isize)
    } else {
        (x.to_vec(), cols as isize, 1)
    }
}

#[test]
fn equals_the_definition_exactly_on_exact_values_in_every_layout() {
    // Partial tiles in both directions, one value of k, k across two and three packed blocks.
    let shapes = [
        (1, 1, 1),
        (MR - 1, 3, NR + 1),
        (MR + 1, 7, NR - 1),
        (32, 64, 64),
        (33, 257, 9),
        (5, 600, 17),
        (64, 32, 64),
    ];
    for (m, k, n) in shapes {
        let (a, b) = (exact_values(m * k, 1), exact_values(k * n, 2));
        let want = definition(m, k, n, &a, &b);
        for (ta, tb, tc) in [
            (false, false, false),
            (true, false, false),
            (false, true, false),
            (true, true, true),
        ] {
            let (av, rsa, csa) = layout(&a, m, k, ta);
            let (bv, rsb, csb) = layout(&b, k, n, tb);
            let (rsc, csc) = if tc { (1, m as isize) } else { (n as isize, 1) };
            let mut c = vec![f32::NAN; m * n];
            tiled_sgemm(
                m,
                k,
                n,
                1.0,
                (&av, rsa, csa),
                (&bv, rsb, csb),
                0.0,
                (&mut c, rsc, csc),
            );
            for i in 0..m {
                for j in 0..n {
                    let got = c[i * rsc as usize + j * csc as usize];
                    assert_eq!(
                        got as f64,
                        want[i * n + j],
                        "{m}x{k}x{n} layout {ta}/{tb}/{tc} at ({i},{j})"
                    );
                }
            }
        }
    }
}

#[test]
fn applies_alpha_and_beta_and_leaves_nothing_else_touched() {
    let (m, k, n) = (6, 300, 11);
    let (a, b) = (exact_values(m * k, 3), exact_values(k * n, 4));
    let want = definition(m, k, n, &a, &b);
    // C inside a larger buffer (row stride 13): the padding columns must stay as they were.
    let old: Vec<f32> = (0..m * 13).map(|i| (i % 7) as f32).collect();
    let mut c = old.clone();
    tiled_sgemm(
        m,
        k,
        n,
        2.0,
        (&a, k as isize, 1),
        (&b, n as isize, 1),
        0.5,
        (&mut c, 13, 1),
    );
    for i in 0..m {
        for j in 0..13 {
            let got = c[i * 13 + j] as f64;
            if j < n {
                let expected = 2.0 * want[i * n + j] + 0.5 * old[i * 13 + j] as f64;
                assert_eq!(got, expected, "({i},{j})");
            } else {
                assert_eq!(got, old[i * 13 + j] as f64, "padding ({i},{j}) untouched");
            }
        }
    }
}

#[test]
fn an_empty_inner_dimension_scales_c() {
    let mut c = vec![1.0f32, f32::NAN, 3.0, 4.0];
    tiled_sgemm(2, 0, 2, 1.0, (&[], 0, 1), (&[], 2, 1), 0.0, (&mut c, 2, 1));
    assert_eq!(c, vec![0.0; 4], "beta = 0 ignores the old C, NaN included");
    let mut c = vec![1.0f32, 2.0, 3.0, 4.0];
    tiled_sgemm(2, 0, 2, 1.0, (&[], 0, 1), (&[], 2, 1), 2.0, (&mut c, 2, 1));
    assert_eq!(c, vec![2.0, 4.0, 6.0, 8.0]);
}

#[test]
#[should_panic]
fn a_view_too_short_for_its_matrix_panics_instead_of_reading_past_it() {
    let a = vec![1.0f32; 5]; // 2×3 needs 6
    let b = vec![1.0f32; 6];
    let mut c = vec![0.0f32; 4];
    tiled_sgemm(2, 3, 2, 1.0, (&a, 3, 1), (&b, 2, 1), 0.0, (&mut c, 2, 1));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, rng_seed: RngSeed::Fixed(7), ..ProptestConfig::default() })]

    /// Random shapes and values: within f32 rounding of matrixmultiply, relative to the size of
    /// the terms summed (|A|·|B|), which bounds any order of summation's error.
    #[test]
    fn agrees_with_matrixmultiply(m in 1usize..70, k in 1usize..600, n in 1usize..70,
                                  ta in any::<bool>(), tb in any::<bool>(), seed in 0u64..1000) {
        let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let mut next = move || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
        };
        let a: Vec<f32> = (0..m * k).map(|_| next()).collect();
        let b: Vec<f32> = (0..k * n).map(|_| next()).collect();
        let (av, rsa, csa) = layout(&a, m, k, ta);
        let (bv, rsb, csb) = layout(&b, k, n, tb);
        let mut ours = vec![0.0f32; m * n];
        let mut theirs = vec![0.0f32; m * n];
        tiled_sgemm(m, k, n, 1.0, (&av, rsa, csa), (&bv, rsb, csb), 0.0, (&mut ours, n as isize, 1));
        matrixmultiply_sgemm(m, k, n, 1.0, (&av, rsa, csa), (&bv, rsb, csb), 0.0, (&mut theirs, n as isize, 1));
        for i in 0..m {
            for j in 0..n {
                let scale: f64 = (0..k).map(|p| (a[i * k + p] as f64 * b[p * n + j] as f64).abs()).sum();
                let diff = (ours[i * n + j] as f64 - theirs[i * n + j] as f64).abs();
                prop_assert!(diff <= 4.0 * k as f64 * f32::EPSILON as f64 * scale + 1e-30,
                    "{m}x{k}x{n} ({i},{j}): {} vs {}", ours[i * n + j], theirs[i * n + j]);
            }
        }
    }
}
