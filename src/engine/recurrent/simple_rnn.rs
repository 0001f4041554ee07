//! Keras' `SimpleRNN` over a whole mini-batch of sequences:
//! z_t = x_t·W + h_{t−1}·U + b, h_t = f(z_t), h_0 = 0 (t = 1..T), and back-propagation
//! through time.
//!
//! A batch is a matrix with one row per sample holding its T steps one after the other
//! (row = [x_1 | x_2 | … | x_T], each `inputs` wide).

use rand::Rng;

use super::recurrent_init::RecurrentInit;
use super::step;
use super::weights::RecurrentWeights;
use crate::engine::activation::Activation;
use crate::engine::init::Initializer;
use crate::engine::matrix::{rms, Matrix};
use crate::engine::real::Real;

#[derive(Clone, Debug)]
pub struct SimpleRnn<F> {
    pub inputs: usize,
    pub units: usize,
    pub activation: Activation,
    /// W (inputs×units), U (units×units), b.
    pub weights: RecurrentWeights<F>,
    /// z_t for t = 1..T, each batch×units, one after the other.
    z: Vec<F>,
    /// h_t for t = 0..T (h_0 = 0), each batch×units.
    h: Vec<F>,
    batch: usize,
    steps: usize,
}

impl<F: Real> SimpleRnn<F> {
    pub fn new<R: Rng + ?Sized>(
        inputs: usize,
        units: usize,
        activation: Activation,
        inits: (Initializer, RecurrentInit, f64),
        rng: &mut R,
    ) -> Self {
        let shape = (inputs, units, units);
        SimpleRnn {
            inputs,
            units,
            activation,
            weights: RecurrentWeights::new(shape, inits, vec![F::zero(); units], rng),
            z: Vec::new(),
            h: Vec::new(),
            batch: 0,
            steps: 0,
        }
    }

    /// Time steps in a row of `x`.
    pub fn steps_of(&self, x: &Matrix<F>) -> usize {
        x.cols / self.inputs.max(1)
    }

    /// Runs the sequences `x`; leaves h_T in `last`.
    pub fn forward(&mut self, x: &Matrix<F>, last: &mut Matrix<F>) {
        let (n, u, d) = (x.rows, self.units, self.inputs);
        let steps = self.steps_of(x);
        let block = n * u;
        self.batch = n;
        self.steps = steps;
        self.z.clear();
        self.z.resize(steps * block, F::zero());
        self.h.clear();
        self.h.resize((steps + 1) * block, F::zero());
        for t in 0..steps {
            let (past, future) = self.h.split_at_mut((t + 1) * block);
            let h_prev = (t > 0).then(|| &past[t * block..]);
            let z = &mut self.z[t * block..(t + 1) * block];
            step::pre_activation((x, t, d), h_prev, &self.weights, z);
            self.activation.forward(z, &mut future[..block]);
        }
        last.resize(n, u);
        last.data.copy_from_slice(&self.h[steps * block..]);
    }

    /// z_T and h_T of the last forward pass (the activation's input and output at the end).
    pub fn last_io(&self) -> (&[F], &[F]) {
        let block = self.batch * self.units;
        let s = self.steps;
        if s == 0 {
            return (&[], &[]);
        }
        (&self.z[(s - 1) * block..s * block], &self.h[s * block..])
    }

    /// From ∂L/∂h_T (`grad_last`, consumed): fills ∂L/∂W, ∂L/∂U, ∂L/∂b and returns the rms of
    /// δ_t = ∂L/∂z_t over batch and units for t = 1..T (in time order).
    pub fn backward(&mut self, x: &Matrix<F>, grad_last: &mut Matrix<F>) -> Vec<f64> {
        let (n, u, d) = (self.batch, self.units, self.inputs);
        let block = n * u;
        let steps = self.steps;
        self.weights.clear_grads();
        let mut delta_rms = vec![0.0; steps];
        // `g` holds ∂L/∂h_t; turned into δ_t in place, then ∂L/∂h_{t−1} = δ_t·Uᵀ goes to `next`.
        let mut g = std::mem::take(&mut grad_last.data);
        let mut next = vec![F::zero(); block];
        for t in (0..steps).rev() {
            let z = &self.z[t * block..(t + 1) * block];
            let h = &self.h[(t + 1) * block..(t + 2) * block];
            self.activation.backward(z, h, &mut g);
            delta_rms[t] = rms(&g);
            let h_prev = (t > 0).then(|| &self.h[t * block..(t + 1) * block]);
            step::back_step((x, t, d), h_prev, &mut self.weights, &g, &mut next);
            std::mem::swap(&mut g, &mut next);
        }
        grad_last.data = g;
        delta_rms
    }
}
