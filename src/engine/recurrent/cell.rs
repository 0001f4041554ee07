//! The recurrent cell a network runs: Keras' `SimpleRNN` or `LSTM`. Both take the same
//! batches, keep their weights as an input kernel W, a recurrent kernel U and a bias, and
//! report δ per time step.

use rand::Rng;

use super::lstm::Lstm;
use super::recurrent_init::RecurrentInit;
use super::simple_rnn::SimpleRnn;
use super::weights::RecurrentWeights;
use crate::engine::activation::Activation;
use crate::engine::init::Initializer;
use crate::engine::matrix::Matrix;
use crate::engine::param::Param;
use crate::engine::real::Real;

/// Which cell to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellKind {
    Simple,
    Lstm,
}

#[derive(Clone, Debug)]
pub enum RecurrentCell<F> {
    Simple(SimpleRnn<F>),
    Lstm(Lstm<F>),
}

impl<F: Real> RecurrentCell<F> {
    pub fn new<R: Rng + ?Sized>(
        kind: CellKind,
        (inputs, units): (usize, usize),
        activation: Activation,
        inits: (Initializer, RecurrentInit, f64),
        rng: &mut R,
    ) -> Self {
        match kind {
            CellKind::Simple => {
                RecurrentCell::Simple(SimpleRnn::new(inputs, units, activation, inits, rng))
            }
            CellKind::Lstm => RecurrentCell::Lstm(Lstm::new(inputs, units, activation, inits, rng)),
        }
    }

    /// Runs the sequences `x`; leaves h_T in `last`.
    pub fn forward(&mut self, x: &Matrix<F>, last: &mut Matrix<F>) {
        match self {
            RecurrentCell::Simple(c) => c.forward(x, last),
            RecurrentCell::Lstm(c) => c.forward(x, last),
        }
    }

    /// From ∂L/∂h_T: every weight's gradient, and δ_t's rms for t = 1..T.
    pub fn backward(&mut self, x: &Matrix<F>, grad_last: &mut Matrix<F>) -> Vec<f64> {
        match self {
            RecurrentCell::Simple(c) => c.backward(x, grad_last),
            RecurrentCell::Lstm(c) => c.backward(x, grad_last),
        }
    }

    /// The activation's input and output at the last step (an LSTM: its candidate's).
    pub fn last_io(&self) -> (&[F], &[F]) {
        match self {
            RecurrentCell::Simple(c) => c.last_io(),
            RecurrentCell::Lstm(c) => c.last_io(),
        }
    }

    /// W, U and b.
    pub fn weights(&self) -> &RecurrentWeights<F> {
        match self {
            RecurrentCell::Simple(c) => &c.weights,
            RecurrentCell::Lstm(c) => &c.weights,
        }
    }

    /// W, U, b.
    pub fn params_mut(&mut self) -> [&mut Param<F>; 3] {
        match self {
            RecurrentCell::Simple(c) => c.weights.params_mut(),
            RecurrentCell::Lstm(c) => c.weights.params_mut(),
        }
    }

    /// The input kernel W.
    pub fn kernel(&self) -> &Param<F> {
        &self.weights().kernel
    }

    /// The recurrent kernel U.
    pub fn recurrent(&self) -> &Param<F> {
        &self.weights().recurrent
    }

    pub fn bias(&self) -> &Param<F> {
        &self.weights().bias
    }

    pub fn units(&self) -> usize {
        match self {
            RecurrentCell::Simple(c) => c.units,
            RecurrentCell::Lstm(c) => c.units,
        }
    }

    /// Columns of W, U and b: units, or 4·units for the LSTM's gates side by side (b's
    /// length, which each cell sets).
    pub fn columns(&self) -> usize {
        self.weights().bias.value.len()
    }
}
