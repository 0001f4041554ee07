//! The f32 matrix product the engine uses in the browser: a register-tiled kernel over packed
//! panels, shaped for WebAssembly's 128-bit SIMD.
//!
//! C = α·A·B + β·C with A m×k, B k×n and C m×n, each with any (non-negative) strides.
//! A is copied into panels of [`MR`] rows and B into panels of [`NR`] columns, both zero-padded,
//! `KC` values of the inner dimension at a time. The micro-kernel then keeps a 4×8 tile of C in
//! eight 4-lane registers and, for every p, adds `a[i][p] · b[p][0..8]` to row i — two loads
//! of B and four broadcasts of A feed eight multiply-adds.
//!
//! Why 4×8: in Chromium on this project's 2-core Zen 5 machine it runs at 51–56 GFLOP/s on
//! the training shapes (80–90 % of the core's 128-bit bound, 62.6 GFLOP/s) where
//! `matrixmultiply`'s WebAssembly kernel runs at 35–37; in a first probe, taller or wider
//! tiles (6×8, 8×8, 4×12, 3×16) fell to 15–28 GFLOP/s (x86-64 has 16 vector registers for V8
//! to place the accumulators in; we did not inspect V8's code for where it spilled).
//!
//! Fused multiply-add (relaxed SIMD's `f32x4.relaxed_madd`) was measured and left out: the same
//! kernel built with it ran the 50 × 256 epoch 1.6% faster in Chromium (942 against 957 ms,
//! median of three), far from paying for a second worker build and a feature test. This CPU
//! issues 128-bit multiplies and adds on separate pipes at the same 16 flops per cycle as
//! fused ones (measured natively: 62 GFLOP/s either way at 3.9 GHz).
//!
//! Natively the engine keeps `matrixmultiply` (AVX2 with FMA, 8 lanes): see [`super::real`].
//! The lanes are a small type with a WebAssembly SIMD body and a plain-array body, so the
//! packing and tiling here are tested natively; the browser tests compare the app's figures
//! with the native engine's.

use std::cell::RefCell;

use lanes::F32x4;

/// Rows of A per micro-tile.
pub const MR: usize = 4;
/// Columns of B per micro-tile (two 4-lane registers).
pub const NR: usize = 8;
/// Values of the inner dimension per packed block: a B panel of 256 × 8 floats (8 KiB) stays
/// in L1 while every A panel passes over it.
const KC: usize = 256;

thread_local! {
    /// The packed panels of A and B, reused across calls (no allocation per product).
    static PACKED: RefCell<(Vec<f32>, Vec<f32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// A strided matrix view: (values, row stride, column stride).
pub type View<'a> = (&'a [f32], isize, isize);
/// A strided mutable matrix view.
pub type ViewMut<'a> = (&'a mut [f32], isize, isize);
/// An f32 matrix product `C = alpha·A·B + beta·C` (this kernel's, or matrixmultiply's behind
/// `real::matrixmultiply_sgemm`), as the benchmarks call either.
pub type Sgemm = fn(usize, usize, usize, f32, View, View, f32, ViewMut);

/// `C = alpha·A·B + beta·C` (`beta == 0` ignores C's old contents, NaN included). Panics if a
/// view does not hold its matrix.
#[allow(clippy::too_many_arguments)]
pub fn tiled_sgemm(
    m: usize,
    k: usize,
    n: usize,
    alpha: f32,
    a: View,
    b: View,
    beta: f32,
    c: ViewMut,
) {
    let (a, rsa, csa) = (a.0, a.1 as usize, a.2 as usize);
    let (b, rsb, csb) = (b.0, b.1 as usize, b.2 as usize);
    let (c, rsc, csc) = (c.0, c.1 as usize, c.2 as usize);
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        for i in 0..m {
            for j in 0..n {
                let x = &mut c[i * rsc + j * csc];
                *x = if beta == 0.0 { 0.0 } else { beta * *x };
            }
        }
        return;
    }
    PACKED.with_borrow_mut(|(pa, pb)| {
        for p0 in (0..k).step_by(KC) {
            let kc = KC.min(k - p0);
            pack::<NR>(pb, (n, kc), &b[p0 * rsb..], (csb, rsb));
            pack::<MR>(pa, (m, kc), &a[p0 * csa..], (rsa, csa));
            // The first block meets C's old values (scaled by beta); later ones add to it.
            let first = p0 == 0;
            let beta_is_zero = beta == 0.0;
            for (jp, b_panel) in pb.chunks_exact(kc * NR).enumerate() {
                for (ip, a_panel) in pa.chunks_exact(kc * MR).enumerate() {
                    let tile = micro_kernel(a_panel, b_panel);
                    let (i0, j0) = (ip * MR, jp * NR);
                    if csc == 1 && i0 + MR <= m && j0 + NR <= n {
                        // A whole tile in contiguous rows of C: four lanes at a time.
                        let (alpha, beta) = (F32x4::splat(alpha), F32x4::splat(beta));
                        for (r, row) in tile.iter().enumerate() {
                            let start = (i0 + r) * rsc + j0;
                            let (lo, hi) = c[start..start + NR].split_at_mut(4);
                            for (x, &v) in [lo, hi].into_iter().zip(row) {
                                let old = F32x4::load(x);
                                let new = match (first, beta_is_zero) {
                                    (true, true) => alpha.mul(v),
                                    (true, false) => alpha.mul_add(v, beta.mul(old)),
                                    (false, _) => alpha.mul_add(v, old),
                                };
                                new.store(x);
                            }
                        }
                        continue;
                    }
                    for (r, row) in tile.iter().enumerate() {
                        let i = ip * MR + r;
                        if i >= m {
                            break;
                        }
                        let values = row_values(row);
                        for (col, &v) in values.iter().enumerate() {
                            let j = jp * NR + col;
                            if j >= n {
                                break;
                            }
                            let x = &mut c[i * rsc + j * csc];
                            *x = match (first, beta_is_zero) {
                                (true, true) => alpha * v,
                                (true, false) => alpha * v + beta * *x,
                                (false, _) => alpha * v + *x,
                            };
                        }
                    }
                }
            }
        }
    });
}

/// Packs `len` lines (rows of A or columns of B) into panels of `width` lines, each panel
/// holding `kc` groups of `width` values (line-fastest), the missing lines of the last panel
/// as zeros. Line `l` at depth `p` is `src[l·line_stride + p·depth_stride]`.
fn pack<const WIDTH: usize>(
    out: &mut Vec<f32>,
    (len, kc): (usize, usize),
    src: &[f32],
    (line_stride, depth_stride): (usize, usize),
) {
    let panels = len.div_ceil(WIDTH);
    // Every value is written below (the padding as zeros): no need to clear first.
    out.resize(panels * kc * WIDTH, 0.0);
    for (panel, values) in out.chunks_exact_mut(kc * WIDTH).enumerate() {
        let first = panel * WIDTH;
        let lines = WIDTH.min(len - first);
        let (groups, _) = values.as_chunks_mut::<WIDTH>();
        for (p, group) in groups.iter_mut().enumerate() {
            let start = first * line_stride + p * depth_stride;
            if line_stride == 1 && lines == WIDTH {
                // The group is contiguous in the source (row-major B, transposed A).
                group.copy_from_slice(&src[start..start + WIDTH]);
            } else {
                for (l, v) in group.iter_mut().enumerate() {
                    *v = if l < lines {
                        src[start + l * line_stride]
                    } else {
                        0.0
                    };
                }
            }
        }
    }
}

/// One 4×8 tile of A·B over a packed A panel (kc × 4) and B panel (kc × 8).
#[inline(always)]
fn micro_kernel(a_panel: &[f32], b_panel: &[f32]) -> [[F32x4; 2]; MR] {
    let (a_groups, _) = a_panel.as_chunks::<MR>();
    let (b_groups, _) = b_panel.as_chunks::<NR>();
    let mut acc = [[F32x4::zero(); 2]; MR];
    for (a4, b8) in a_groups.iter().zip(b_groups) {
        let (b_lo, b_hi) = b8.split_at(4);
        let b0 = F32x4::load(b_lo);
        let b1 = F32x4::load(b_hi);
        for (row, &ai) in acc.iter_mut().zip(a4) {
            let a = F32x4::splat(ai);
            row[0] = a.mul_add(b0, row[0]);
            row[1] = a.mul_add(b1, row[1]);
        }
    }
    acc
}

/// A tile row's eight values.
#[inline(always)]
fn row_values(row: &[F32x4; 2]) -> [f32; NR] {
    let (lo, hi) = (row[0].to_array(), row[1].to_array());
    [lo[0], lo[1], lo[2], lo[3], hi[0], hi[1], hi[2], hi[3]]
}

/// Four f32 lanes: one WebAssembly SIMD register in the browser.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod lanes {
    use core::arch::wasm32::{f32x4_add, f32x4_mul, f32x4_splat, v128, v128_load, v128_store};

    #[derive(Clone, Copy)]
    pub struct F32x4(v128);

    impl F32x4 {
        #[inline(always)]
        pub fn zero() -> Self {
            Self(f32x4_splat(0.0))
        }
        #[inline(always)]
        pub fn splat(x: f32) -> Self {
            Self(f32x4_splat(x))
        }
        /// The first four values of `xs`.
        #[inline(always)]
        pub fn load(xs: &[f32]) -> Self {
            assert!(xs.len() >= 4);
            // SAFETY: 16 readable bytes (checked above); v128.load needs no alignment.
            Self(unsafe { v128_load(xs.as_ptr().cast()) })
        }
        /// `self·b + c`, rounded twice (as in plain SIMD; see the module notes on fused).
        #[inline(always)]
        pub fn mul_add(self, b: Self, c: Self) -> Self {
            Self(f32x4_add(f32x4_mul(self.0, b.0), c.0))
        }
        #[inline(always)]
        pub fn mul(self, b: Self) -> Self {
            Self(f32x4_mul(self.0, b.0))
        }
        /// Into the first four values of `xs`.
        #[inline(always)]
        pub fn store(self, xs: &mut [f32]) {
            assert!(xs.len() >= 4);
            // SAFETY: 16 writable bytes (checked above); v128.store needs no alignment.
            unsafe { v128_store(xs.as_mut_ptr().cast(), self.0) };
        }
        #[inline(always)]
        pub fn to_array(self) -> [f32; 4] {
            let mut out = [0.0f32; 4];
            // SAFETY: `out` has 16 writable bytes; v128.store needs no alignment.
            unsafe { v128_store(out.as_mut_ptr().cast(), self.0) };
            out
        }
    }
}

/// Four f32 lanes as a plain array (native builds, where the tests run).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod lanes {
    #[derive(Clone, Copy)]
    pub struct F32x4([f32; 4]);

    impl F32x4 {
        #[inline(always)]
        pub fn zero() -> Self {
            Self([0.0; 4])
        }
        #[inline(always)]
        pub fn splat(x: f32) -> Self {
            Self([x; 4])
        }
        #[inline(always)]
        pub fn load(xs: &[f32]) -> Self {
            Self([xs[0], xs[1], xs[2], xs[3]])
        }
        #[inline(always)]
        pub fn mul_add(self, b: Self, c: Self) -> Self {
            Self(std::array::from_fn(|l| self.0[l] * b.0[l] + c.0[l]))
        }
        #[inline(always)]
        pub fn mul(self, b: Self) -> Self {
            Self(std::array::from_fn(|l| self.0[l] * b.0[l]))
        }
        #[inline(always)]
        pub fn store(self, xs: &mut [f32]) {
            xs[..4].copy_from_slice(&self.0);
        }
        #[inline(always)]
        pub fn to_array(self) -> [f32; 4] {
            self.0
        }
    }
}
