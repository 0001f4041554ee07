//! A fully connected layer z = x·W + b on a mini-batch (rows = samples).

use rand::Rng;

use super::init::Initializer;
use super::matrix::{matmul, matmul_a_bt, matmul_at_b, Matrix};
use super::param::{Param, ParamKind};
use super::real::Real;

#[derive(Clone, Debug)]
pub struct Dense<F> {
    pub inputs: usize,
    pub units: usize,
    /// inputs×units, row-major.
    pub kernel: Param<F>,
    pub bias: Param<F>,
}

impl<F: Real> Dense<F> {
    pub fn new<R: Rng + ?Sized>(
        inputs: usize,
        units: usize,
        init: Initializer,
        rng: &mut R,
    ) -> Self {
        Dense {
            inputs,
            units,
            kernel: Param::new(ParamKind::Kernel, init.kernel(inputs, units, rng)),
            bias: Param::filled(ParamKind::Bias, units, F::zero()),
        }
    }

    /// z = x·W + b
    pub fn forward(&self, x: &Matrix<F>, z: &mut Matrix<F>) {
        matmul(x, &self.kernel.value, self.units, z);
        for row in z.rows_iter_mut() {
            for (v, &b) in row.iter_mut().zip(&self.bias.value) {
                *v = *v + b;
            }
        }
    }

    /// From δ = ∂L/∂z: ∂L/∂W = xᵀ·δ, ∂L/∂b = Σ_rows δ, and (if wanted) ∂L/∂x = δ·Wᵀ.
    pub fn backward(&mut self, x: &Matrix<F>, delta: &Matrix<F>, dx: Option<&mut Matrix<F>>) {
        matmul_at_b(x, delta, &mut self.kernel.grad);
        self.bias.grad.iter_mut().for_each(|g| *g = F::zero());
        for row in delta.rows_iter() {
            for (g, &d) in self.bias.grad.iter_mut().zip(row) {
                *g = *g + d;
            }
        }
        if let Some(dx) = dx {
            matmul_a_bt(delta, &self.kernel.value, self.inputs, dx);
        }
    }
}
