//! The largest singular value σ_max of a recurrent kernel (units×units, or an LSTM's
//! units×4·units), by power iteration on UᵀU.
//!
//! Back-propagated through one time step, a gradient is multiplied by Uᵀ and by the
//! activation's slope, so σ_max · (slope) above 1 lets it grow over T steps and below 1
//! makes it fade (Pascanu, Mikolov & Bengio 2013).

use crate::engine::real::Real;

/// At most this many iterations of the power method (it stops once σ no longer changes): enough for 1e-6 relative accuracy on the kernels the app
/// builds (the gap between the two largest singular values of a trained kernel is rarely
/// tiny; for an orthogonal one every start vector is already exact).
const ITERATIONS: usize = 100;

/// σ_max of the rows×cols row-major matrix `u` (NaN if it holds a non-finite value).
pub fn sigma_max<F: Real>(u: &[F], rows: usize, cols: usize) -> f64 {
    if rows == 0 || cols == 0 || u.len() != rows * cols {
        return 0.0;
    }
    if u.iter().any(|w| !w.as_f64().is_finite()) {
        return f64::NAN;
    }
    let at = |i: usize, j: usize| u[i * cols + j].as_f64();
    // A fixed, dense start vector: deterministic, and not orthogonal to any sensible top
    // singular vector.
    let mut v: Vec<f64> = (0..cols)
        .map(|i| 1.0 + (i as f64 * 0.618_034).fract())
        .collect();
    let mut sigma = 0.0;
    for _ in 0..ITERATIONS {
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm == 0.0 {
            return 0.0;
        }
        v.iter_mut().for_each(|x| *x /= norm);
        // w = U v, then v = Uᵀ w; σ² = ‖Uv‖² at a unit v.
        let w: Vec<f64> = (0..rows)
            .map(|i| (0..cols).map(|j| at(i, j) * v[j]).sum())
            .collect();
        let next = w.iter().map(|x| x * x).sum::<f64>().sqrt();
        // Converged (an orthogonal kernel at once): the rest would change nothing.
        if (next - sigma).abs() <= 1e-14 * next {
            return next;
        }
        sigma = next;
        v = (0..cols)
            .map(|j| (0..rows).map(|i| at(i, j) * w[i]).sum())
            .collect();
    }
    sigma
}
