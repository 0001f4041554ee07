//! A trainable variable and its gradient: a kernel, a bias, or batch norm's gamma/beta.

use super::real::Real;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    Kernel,
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
