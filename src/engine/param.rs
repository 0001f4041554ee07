//! A trainable variable and its gradient: a kernel, a bias, or batch norm's gamma/beta.

use super::real::Real;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// A layer's kernel W (the recurrent cell's input kernel too).
    Kernel,
    /// A recurrent cell's U: a weight matrix, but not a layer of its own.
    RecurrentKernel,
    Bias,
    Gamma,
    Beta,
}

#[derive(Clone, Debug)]
pub struct Param<F> {
    pub kind: ParamKind,
    pub value: Vec<F>,
    pub grad: Vec<F>,
}

impl ParamKind {
    /// A weight matrix: penalized by L2 (biases and batch norm's γ, β are not).
    pub fn is_matrix(self) -> bool {
        matches!(self, ParamKind::Kernel | ParamKind::RecurrentKernel)
    }
}

impl<F: Real> Param<F> {
    pub fn new(kind: ParamKind, value: Vec<F>) -> Self {
        let grad = vec![F::zero(); value.len()];
        Param { kind, value, grad }
    }

    pub fn filled(kind: ParamKind, len: usize, v: F) -> Self {
        Self::new(kind, vec![v; len])
    }
}

/// ‖ΔW‖² of each kernel, picked out of the per-variable step sizes.
pub fn kernel_step_sizes<F: Real>(params: &[&mut Param<F>], steps: &[f64]) -> Vec<f64> {
    params
        .iter()
        .zip(steps)
        .filter(|(p, _)| p.kind == ParamKind::Kernel)
        .map(|(_, s)| *s)
        .collect()
}

/// Adds the L2 penalty l2·Σ‖W‖² over the kernels: its gradient 2·l2·W to each kernel's
/// gradient; returns the penalty (to add to the loss).
pub fn add_l2<F: Real>(params: Vec<&mut Param<F>>, l2: f64) -> f64 {
    let two_l2 = F::of(2.0 * l2);
    let mut penalty = 0.0;
    for p in params.into_iter().filter(|p| p.kind.is_matrix()) {
        penalty += l2 * super::matrix::norm(&p.value).powi(2);
        for (g, &w) in p.grad.iter_mut().zip(&p.value) {
            *g = *g + two_l2 * w;
        }
    }
    penalty
}
