//! A hand-written, cache-blocked matrix product, kept beside `matrixmultiply` so the two can be
//! measured against each other (native and wasm32 + SIMD). The engine always uses
//! `matrixmultiply` ([`super::real::Real::gemm`]): it measured faster on both targets; this
//! kernel runs only in the benchmarks.
//!
//! C = β·C + α·A·B with A m×k (any strides), B k×n and C m×n. B is packed row-major when its
//! rows are not contiguous; then four rows of C at a time take `c_r += a_rp · b_p` over a block
//! of 128 values of p — an axpy over contiguous memory that the compiler vectorizes.

use num_traits::Float;

/// Rows of B per block: 128 rows × 512 columns × 4 bytes = 256 KiB, about an L2 cache.
const K_BLOCK: usize = 128;

/// `C = beta·C + alpha·A·B` (`beta == 0` ignores C's old contents, NaN included).
#[allow(clippy::too_many_arguments)]
pub fn blocked_gemm<F: Float>(
    m: usize,
    k: usize,
    n: usize,
    alpha: F,
    a: (&[F], isize, isize),
    b: (&[F], isize, isize),
    beta: F,
    c: (&mut [F], isize, isize),
) {
    let (a, rsa, csa) = (a.0, a.1 as usize, a.2 as usize);
    let (c, rsc, csc) = c;
    if m == 0 || n == 0 {
        return;
    }
    // B as contiguous rows of length n.
    let packed: Vec<F>;
    let b_rows: &[F] = if b.2 == 1 && b.1 as usize == n {
        &b.0[..k * n]
    } else {
        let (rsb, csb) = (b.1 as usize, b.2 as usize);
        packed = (0..k)
            .flat_map(|p| (0..n).map(move |j| b.0[p * rsb + j * csb]))
            .collect();
        &packed
    };
    // Work on a contiguous C and write it back if C is strided.
    let contiguous = csc == 1 && rsc as usize == n;
    let mut scratch: Vec<F> = Vec::new();
    let out: &mut [F] = if contiguous {
        &mut c[..m * n]
    } else {
        scratch.resize(m * n, F::zero());
        for i in 0..m {
            for j in 0..n {
                scratch[i * n + j] = c[i * rsc as usize + j * csc as usize];
            }
        }
        &mut scratch
    };
    if beta == F::zero() {
        out.iter_mut().for_each(|v| *v = F::zero());
    } else if beta != F::one() {
        out.iter_mut().for_each(|v| *v = *v * beta);
    }
    for p0 in (0..k).step_by(K_BLOCK) {
        let p1 = (p0 + K_BLOCK).min(k);
        let mut rows = out.chunks_exact_mut(n);
        let mut i = 0;
        while i + 4 <= m {
            let (c0, c1, c2, c3) = (
                rows.next().unwrap_or_default(),
                rows.next().unwrap_or_default(),
                rows.next().unwrap_or_default(),
                rows.next().unwrap_or_default(),
            );
            for p in p0..p1 {
                let bp = &b_rows[p * n..(p + 1) * n];
                let at = |r: usize| alpha * a[(i + r) * rsa + p * csa];
                let (a0, a1, a2, a3) = (at(0), at(1), at(2), at(3));
                for ((((x0, x1), x2), x3), &bv) in c0
                    .iter_mut()
                    .zip(c1.iter_mut())
                    .zip(c2.iter_mut())
                    .zip(c3.iter_mut())
                    .zip(bp)
                {
                    *x0 = *x0 + a0 * bv;
                    *x1 = *x1 + a1 * bv;
                    *x2 = *x2 + a2 * bv;
                    *x3 = *x3 + a3 * bv;
                }
            }
            i += 4;
        }
        for row in rows {
            for p in p0..p1 {
                let bp = &b_rows[p * n..(p + 1) * n];
                let ap = alpha * a[i * rsa + p * csa];
                for (x, &bv) in row.iter_mut().zip(bp) {
                    *x = *x + ap * bv;
                }
            }
            i += 1;
        }
    }
    if !contiguous {
        for i in 0..m {
            for j in 0..n {
                c[i * rsc as usize + j * csc as usize] = scratch[i * n + j];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::blocked_gemm;

    /// The definition, one dot product at a time.
    fn naive(m: usize, k: usize, n: usize, a: &[f64], b: &[f64]) -> Vec<f64> {
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k).map(|p| a[i * k + p] * b[p * n + j]).sum();
            }
        }
        c
    }

    #[test]
    fn matches_the_definition_for_every_layout_and_odd_sizes() {
        for (m, k, n) in [(1, 1, 1), (5, 3, 7), (33, 130, 9), (4, 257, 64), (7, 1, 3)] {
            let a: Vec<f64> = (0..m * k).map(|i| ((i * 37 % 11) as f64) - 5.0).collect();
            let b: Vec<f64> = (0..k * n)
                .map(|i| ((i * 53 % 13) as f64) / 3.0 - 2.0)
                .collect();
            let want = naive(m, k, n, &a, &b);
            // Row-major everything.
            let mut c = vec![f64::NAN; m * n];
            blocked_gemm(
                m,
                k,
                n,
                1.0,
                (&a, k as isize, 1),
                (&b, n as isize, 1),
                0.0,
                (&mut c, n as isize, 1),
            );
            assert_eq!(c, want, "{m}x{k}x{n}");
            // A given transposed (as Aᵀ stored k×m), B given transposed, C column-major.
            let at: Vec<f64> = (0..k * m).map(|x| a[(x % m) * k + x / m]).collect();
            let bt: Vec<f64> = (0..n * k).map(|x| b[(x % k) * n + x / k]).collect();
            let mut ct = vec![0.0; m * n];
            blocked_gemm(
                m,
                k,
                n,
                1.0,
                (&at, 1, m as isize),
                (&bt, 1, k as isize),
                0.0,
                (&mut ct, 1, m as isize),
            );
            for i in 0..m {
                for j in 0..n {
                    assert_eq!(ct[j * m + i], want[i * n + j]);
                }
            }
            // alpha and beta.
            let mut c2 = want.clone();
            blocked_gemm(
                m,
                k,
                n,
                2.0,
                (&a, k as isize, 1),
                (&b, n as isize, 1),
                0.5,
                (&mut c2, n as isize, 1),
            );
            for (x, w) in c2.iter().zip(&want) {
                assert!((x - 2.5 * w).abs() < 1e-9);
            }
        }
    }
}
