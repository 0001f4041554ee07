//! The two matrix products of one time step that every recurrent cell shares, written once:
//! z_t = x_t·W + h_{t−1}·U + b forward, and back from δ_t = ∂L/∂z_t the weights' gradients and
//! ∂L/∂h_{t−1} = δ_t·Uᵀ. `cols` is z's width: units for a SimpleRNN, 4·units for an LSTM.
//! Never inlined: one copy serves both cells.

use super::weights::RecurrentWeights;
use crate::engine::matrix::Matrix;
use crate::engine::real::Real;

/// A strided view (slice, row stride, column stride) as `Real::gemm` takes it.
type View<'a, F> = (&'a [F], isize, isize);

/// The t-th step of every row of `x` (a row holds T steps of `inputs` values each).
fn step_of<F>(x: &Matrix<F>, t: usize, inputs: usize) -> View<'_, F> {
    (&x.data[t * inputs..], x.cols as isize, 1)
}

/// z = x_t·W + h_{t−1}·U + b (`h_prev` None at t = 1, where h_0 = 0 adds nothing).
#[inline(never)]
pub fn pre_activation<F: Real>(
    (x, t, inputs): (&Matrix<F>, usize, usize),
    h_prev: Option<&[F]>,
    weights: &RecurrentWeights<F>,
    z: &mut [F],
) {
    let (w, u, b) = (&weights.kernel, &weights.recurrent, &weights.bias);
    let (n, cols) = (x.rows, b.value.len());
    let units = u.value.len() / cols.max(1);
    let out = cols as isize;
    let w_view = (&w.value[..], out, 1);
    F::gemm(
        n,
        inputs,
        cols,
        F::one(),
        step_of(x, t, inputs),
        w_view,
        F::zero(),
        (z, out, 1),
    );
    if let Some(h) = h_prev {
        let u_view = (&u.value[..], out, 1);
        F::gemm(
            n,
            units,
            cols,
            F::one(),
            (h, units as isize, 1),
            u_view,
            F::one(),
            (z, out, 1),
        );
    }
    for row in z.chunks_exact_mut(cols) {
        row.iter_mut()
            .zip(&b.value)
            .for_each(|(v, &bias)| *v = *v + bias);
    }
}

/// From δ_t (batch×cols): ∂L/∂W += x_tᵀ·δ_t, ∂L/∂U += h_{t−1}ᵀ·δ_t, ∂L/∂b += Σ δ_t, and
/// ∂L/∂h_{t−1} = δ_t·Uᵀ into `dh_prev` (nothing of the two at t = 1).
#[inline(never)]
pub fn back_step<F: Real>(
    (x, t, inputs): (&Matrix<F>, usize, usize),
    h_prev: Option<&[F]>,
    weights: &mut RecurrentWeights<F>,
    delta: &[F],
    dh_prev: &mut [F],
) {
    let RecurrentWeights {
        kernel: w,
        recurrent: u,
        bias: b,
    } = weights;
    let (n, cols) = (x.rows, b.value.len());
    let units = u.value.len() / cols.max(1);
    let out = cols as isize;
    let one = F::one();
    let delta_view: View<F> = (delta, out, 1);
    let x_t_transposed = (&x.data[t * inputs..], 1, x.cols as isize);
    F::gemm(
        inputs,
        n,
        cols,
        one,
        x_t_transposed,
        delta_view,
        one,
        (&mut w.grad, out, 1),
    );
    if let Some(h) = h_prev {
        let h_transposed = (h, 1, units as isize);
        F::gemm(
            units,
            n,
            cols,
            one,
            h_transposed,
            delta_view,
            one,
            (&mut u.grad, out, 1),
        );
        let u_transposed = (&u.value[..], 1, out);
        let dh = (dh_prev, units as isize, 1);
        F::gemm(n, cols, units, one, delta_view, u_transposed, F::zero(), dh);
    }
    for row in delta.chunks_exact(cols) {
        b.grad.iter_mut().zip(row).for_each(|(g, &v)| *g = *g + v);
    }
}
