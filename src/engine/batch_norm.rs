//! Batch normalization with Keras' semantics: momentum 0.99, epsilon 1e-3, learnable γ and β,
//! batch statistics while training, moving statistics when evaluating.

// The per-unit formulas index γ, β, μ, σ and the row by the same unit j: clearer as written.
#![allow(clippy::needless_range_loop)]

use super::matrix::Matrix;
use super::param::{Param, ParamKind};
use super::real::Real;

pub const MOMENTUM: f64 = 0.99;
pub const EPSILON: f64 = 1e-3;

#[derive(Clone, Debug)]
pub struct BatchNorm<F> {
    pub gamma: Param<F>,
    pub beta: Param<F>,
    pub moving_mean: Vec<F>,
    pub moving_var: Vec<F>,
    /// x̂ = (x − μ_B)/√(σ²_B + ε) of the last training batch, kept for the backward pass.
    x_hat: Matrix<F>,
    /// 1/√(σ²_B + ε) per unit, of the last training batch.
    inv_std: Vec<F>,
}

/// How a forward pass treats batch statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Normalize by the batch's statistics and fold them into the moving averages.
    Train,
    /// Normalize by the batch's statistics, but leave the moving averages alone
    /// (the measurement pass at epoch 0 and the gradient check).
    TrainNoUpdate,
    /// Normalize by the moving averages.
    Eval,
}

impl<F: Real> BatchNorm<F> {
    pub fn new(units: usize) -> Self {
        BatchNorm {
            gamma: Param::filled(ParamKind::Gamma, units, F::one()),
            beta: Param::filled(ParamKind::Beta, units, F::zero()),
            moving_mean: vec![F::zero(); units],
            moving_var: vec![F::one(); units],
            x_hat: Matrix::zeros(0, units),
            inv_std: vec![F::zero(); units],
        }
    }

    pub fn units(&self) -> usize {
        self.gamma.value.len()
    }

    /// y = γ·x̂ + β, in place on `x` (rows = samples).
    pub fn forward(&mut self, x: &mut Matrix<F>, mode: Mode) {
        let units = self.units();
        let eps = F::of(EPSILON);
        if mode == Mode::Eval {
            for row in x.rows_iter_mut() {
                for j in 0..units {
                    let inv = F::one() / (self.moving_var[j] + eps).sqrt();
                    row[j] = self.gamma.value[j] * (row[j] - self.moving_mean[j]) * inv
                        + self.beta.value[j];
                }
            }
            return;
        }
        let n = F::of(x.rows as f64);
        // Biased batch statistics, μ_B = Σx/n and σ²_B = Σ(x − μ_B)²/n, as Keras uses.
        let mut mean = vec![F::zero(); units];
        for row in x.rows_iter() {
            for (m, &v) in mean.iter_mut().zip(row) {
                *m = *m + v;
            }
        }
        mean.iter_mut().for_each(|m| *m = *m / n);
        let mut var = vec![F::zero(); units];
        for row in x.rows_iter() {
            for ((s, &v), &m) in var.iter_mut().zip(row).zip(&mean) {
                *s = *s + (v - m) * (v - m);
            }
        }
        var.iter_mut().for_each(|s| *s = *s / n);
        for (inv, &v) in self.inv_std.iter_mut().zip(&var) {
            *inv = F::one() / (v + eps).sqrt();
        }
        self.x_hat.resize(x.rows, units);
        for (row, hat) in x.rows_iter_mut().zip(self.x_hat.rows_iter_mut()) {
            for j in 0..units {
                hat[j] = (row[j] - mean[j]) * self.inv_std[j];
                row[j] = self.gamma.value[j] * hat[j] + self.beta.value[j];
            }
        }
        if mode == Mode::Train {
            // moving = momentum·moving + (1 − momentum)·batch
            let m = F::of(MOMENTUM);
            let one_m = F::one() - m;
            for j in 0..units {
                self.moving_mean[j] = m * self.moving_mean[j] + one_m * mean[j];
                self.moving_var[j] = m * self.moving_var[j] + one_m * var[j];
            }
        }
    }

    /// Given ∂L/∂y in `grad`, stores ∂L/∂γ, ∂L/∂β and replaces `grad` by ∂L/∂x:
    /// ∂L/∂x = γ/(n·σ) · (n·∂L/∂y − Σ∂L/∂y − x̂·Σ(∂L/∂y·x̂)).
    pub fn backward(&mut self, grad: &mut Matrix<F>) {
        let units = self.units();
        let n = F::of(grad.rows as f64);
        let mut sum_dy = vec![F::zero(); units];
        let mut sum_dy_xhat = vec![F::zero(); units];
        for (g, hat) in grad.rows_iter().zip(self.x_hat.rows_iter()) {
            for j in 0..units {
                sum_dy[j] = sum_dy[j] + g[j];
                sum_dy_xhat[j] = sum_dy_xhat[j] + g[j] * hat[j];
            }
        }
        self.gamma.grad.copy_from_slice(&sum_dy_xhat);
        self.beta.grad.copy_from_slice(&sum_dy);
        for (g, hat) in grad.rows_iter_mut().zip(self.x_hat.rows_iter()) {
            for j in 0..units {
                let scale = self.gamma.value[j] * self.inv_std[j] / n;
                g[j] = scale * (n * g[j] - sum_dy[j] - hat[j] * sum_dy_xhat[j]);
            }
        }
    }
}
