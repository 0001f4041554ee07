//! The floating-point type the engine computes in.
//!
//! Training runs in `f32` (fast in the browser); the gradient check runs the very same code in
//! `f64`, so the check verifies the math the app uses, not a copy of it.

use num_traits::{Float, FromPrimitive, ToPrimitive};
use std::borrow::Cow;
use std::fmt::Debug;
use std::iter::Sum;

/// A float the network can be built over: `f32` or `f64`.
pub trait Real:
    Float + FromPrimitive + ToPrimitive + Default + Debug + Sum + Send + Sync + 'static
{
    /// `C = alpha·A·B + beta·C` on strided matrices (A is m×k, B is k×n, C is m×n).
    /// Strides are given in elements; a transpose is just swapped strides.
    #[allow(clippy::too_many_arguments)]
    fn gemm(
        m: usize,
        k: usize,
        n: usize,
        alpha: Self,
        a: (&[Self], isize, isize),
        b: (&[Self], isize, isize),
        beta: Self,
        c: (&mut [Self], isize, isize),
    );

    /// Converts a constant written as f64 (exact for every constant the engine uses).
    fn of(x: f64) -> Self {
        Self::from_f64(x).expect("finite constant")
    }

    fn as_f64(self) -> f64 {
        self.to_f64().unwrap_or(f64::NAN)
    }

    /// The values in single precision: f32's as they are, f64's rounded (the histograms
    /// count in f32, the precision training runs in).
    fn single(values: &[Self]) -> Cow<'_, [f32]>;
}

/// Checks that a strided view of `rows`×`cols` fits inside `len` elements (non-negative strides).
fn fits(len: usize, rows: usize, cols: usize, rs: isize, cs: isize) -> bool {
    if rows == 0 || cols == 0 {
        return true;
    }
    rs >= 0 && cs >= 0 && ((rows - 1) * rs as usize + (cols - 1) * cs as usize) < len
}

/// `matrixmultiply`'s product behind bounds checks (its API takes raw pointers).
macro_rules! checked_gemm {
    ($name:ident, $t:ty, $gemm:path) => {
        #[allow(clippy::too_many_arguments)]
        pub fn $name(
            m: usize,
            k: usize,
            n: usize,
            alpha: $t,
            a: (&[$t], isize, isize),
            b: (&[$t], isize, isize),
            beta: $t,
            c: (&mut [$t], isize, isize),
        ) {
            assert!(fits(a.0.len(), m, k, a.1, a.2), "gemm: A out of bounds");
            assert!(fits(b.0.len(), k, n, b.1, b.2), "gemm: B out of bounds");
            assert!(fits(c.0.len(), m, n, c.1, c.2), "gemm: C out of bounds");
            if m == 0 || n == 0 {
                return;
            }
            // SAFETY: the asserts above prove every strided access is inside its slice, and
            // `c` is a unique borrow, so it aliases neither `a` nor `b`.
            unsafe {
                $gemm(
                    m,
                    k,
                    n,
                    alpha,
                    a.0.as_ptr(),
                    a.1,
                    a.2,
                    b.0.as_ptr(),
                    b.1,
                    b.2,
                    beta,
                    c.0.as_mut_ptr(),
                    c.1,
                    c.2,
                )
            }
        }
    };
}

checked_gemm!(matrixmultiply_sgemm, f32, matrixmultiply::sgemm);
checked_gemm!(matrixmultiply_dgemm, f64, matrixmultiply::dgemm);

/// Training's product: in the browser the engine's own 4×8 SIMD kernel (faster there than
/// `matrixmultiply`'s, see `engine::gemm`), natively `matrixmultiply` (AVX2 with FMA).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use super::gemm::tiled_sgemm as f32_gemm;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
use matrixmultiply_sgemm as f32_gemm;

macro_rules! impl_real {
    ($t:ty, $gemm:path, $single:expr) => {
        impl Real for $t {
            fn single(values: &[Self]) -> Cow<'_, [f32]> {
                $single(values)
            }

            fn gemm(
                m: usize,
                k: usize,
                n: usize,
                alpha: Self,
                a: (&[Self], isize, isize),
                b: (&[Self], isize, isize),
                beta: Self,
                c: (&mut [Self], isize, isize),
            ) {
                $gemm(m, k, n, alpha, a, b, beta, c)
            }
        }
    };
}

impl_real!(f32, f32_gemm, Cow::Borrowed);
impl_real!(f64, matrixmultiply_dgemm, |v: &[f64]| {
    Cow::Owned(v.iter().map(|&x| x as f32).collect())
});
