//! A dense row-major matrix: one row per sample of a mini-batch.

use super::real::Real;

#[derive(Clone, Debug, PartialEq)]
pub struct Matrix<F> {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<F>,
}

impl<F: Real> Matrix<F> {
    pub fn zeros(rows: usize, cols: usize) -> Self {
        Matrix {
            rows,
            cols,
            data: vec![F::zero(); rows * cols],
        }
    }

    pub fn from_vec(rows: usize, cols: usize, data: Vec<F>) -> Self {
        assert_eq!(data.len(), rows * cols, "matrix data has the wrong length");
        Matrix { rows, cols, data }
    }

    /// Resizes in place, reusing the allocation (contents become unspecified zeros).
    pub fn resize(&mut self, rows: usize, cols: usize) {
        self.rows = rows;
        self.cols = cols;
        self.data.clear();
        self.data.resize(rows * cols, F::zero());
    }

    pub fn row(&self, r: usize) -> &[F] {
        &self.data[r * self.cols..(r + 1) * self.cols]
    }

    pub fn rows_iter(&self) -> std::slice::ChunksExact<'_, F> {
        self.data.chunks_exact(self.cols.max(1))
    }

    pub fn rows_iter_mut(&mut self) -> std::slice::ChunksExactMut<'_, F> {
        self.data.chunks_exact_mut(self.cols.max(1))
    }
}

/// `out = a · w` (a: n×k, w: k×m stored row-major, out: n×m) — the forward pass `X·W`.
pub fn matmul<F: Real>(a: &Matrix<F>, w: &[F], m: usize, out: &mut Matrix<F>) {
    let k = a.cols;
    assert_eq!(w.len(), k * m);
    out.resize(a.rows, m);
    F::gemm(
        a.rows,
        k,
        m,
        F::one(),
        (&a.data, k as isize, 1),
        (w, m as isize, 1),
        F::zero(),
        (&mut out.data, m as isize, 1),
    );
}

/// `out = aᵀ · b` (a: n×k, b: n×m, out: k×m) — the kernel gradient `Xᵀ·δ`.
pub fn matmul_at_b<F: Real>(a: &Matrix<F>, b: &Matrix<F>, out: &mut [F]) {
    assert_eq!(a.rows, b.rows);
    assert_eq!(out.len(), a.cols * b.cols);
    F::gemm(
        a.cols,
        a.rows,
        b.cols,
        F::one(),
        (&a.data, 1, a.cols as isize),
        (&b.data, b.cols as isize, 1),
        F::zero(),
        (out, b.cols as isize, 1),
    );
}

/// `out = a · wᵀ` (a: n×m, w: k×m stored row-major, out: n×k) — the input gradient `δ·Wᵀ`.
pub fn matmul_a_bt<F: Real>(a: &Matrix<F>, w: &[F], k: usize, out: &mut Matrix<F>) {
    let m = a.cols;
    assert_eq!(w.len(), k * m);
    out.resize(a.rows, k);
    F::gemm(
        a.rows,
        m,
        k,
        F::one(),
        (&a.data, m as isize, 1),
        (w, 1, m as isize),
        F::zero(),
        (&mut out.data, k as isize, 1),
    );
}

/// Frobenius norm √Σx², accumulated in f64 so that 1e-20 and 1e+20 entries both survive
/// (in f32, 1e-20² underflows to 0). Eight partial sums let the compiler vectorize.
pub fn norm<F: Real>(xs: &[F]) -> f64 {
    let mut acc = [0.0f64; 8];
    let chunks = xs.chunks_exact(8);
    let tail: f64 = chunks
        .remainder()
        .iter()
        .map(|x| x.as_f64() * x.as_f64())
        .sum();
    for c in chunks {
        for (a, x) in acc.iter_mut().zip(c) {
            let v = x.as_f64();
            *a += v * v;
        }
    }
    (acc.iter().sum::<f64>() + tail).sqrt()
}

/// Root-mean-square √(Σx²/n).
pub fn rms<F: Real>(xs: &[F]) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    norm(xs) / (xs.len() as f64).sqrt()
}
