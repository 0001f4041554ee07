//! A recurrent classifier: a SimpleRNN or an LSTM over the sequence, its last state h_T into a
//! softmax output layer (Keras: `Sequential([SimpleRNN(units), Dense(classes)])`, or `LSTM`).

use rand::Rng;

use super::cell::{CellKind, RecurrentCell};
use super::recurrent_init::RecurrentInit;
use crate::engine::activation::Activation;
use crate::engine::dense::Dense;
use crate::engine::init::Initializer;
use crate::engine::loss::softmax_cross_entropy;
use crate::engine::matrix::{rms, Matrix};
use crate::engine::network::StepResult;
use crate::engine::param::Param;
use crate::engine::real::Real;

/// The shape and kind of recurrent network to build.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RnnArchitecture {
    pub cell: CellKind,
    /// Values per time step.
    pub inputs: usize,
    pub classes: usize,
    pub units: usize,
    pub activation: Activation,
    /// The input kernel W's and the output layer's initializer.
    pub init: Initializer,
    pub recurrent_init: RecurrentInit,
    pub recurrent_gain: f64,
}

#[derive(Clone, Debug)]
pub struct RnnNetwork<F> {
    pub arch: RnnArchitecture,
    pub cell: RecurrentCell<F>,
    pub output: Dense<F>,
    input: Matrix<F>,
    last: Matrix<F>,
    logits: Matrix<F>,
    grad_last: Matrix<F>,
}

impl<F: Real> RnnNetwork<F> {
    pub fn new<R: Rng + ?Sized>(arch: RnnArchitecture, rng: &mut R) -> Self {
        let inits = (arch.init, arch.recurrent_init, arch.recurrent_gain);
        let shape = (arch.inputs, arch.units);
        let cell = RecurrentCell::new(arch.cell, shape, arch.activation, inits, rng);
        let output = Dense::new(arch.units, arch.classes, arch.init, rng);
        RnnNetwork {
            arch,
            cell,
            output,
            input: Matrix::zeros(0, 0),
            last: Matrix::zeros(0, 0),
            logits: Matrix::zeros(0, 0),
            grad_last: Matrix::zeros(0, 0),
        }
    }

    /// The batch's sequences through the cell and the output layer; returns the logits.
    pub fn forward(&mut self, x: &Matrix<F>) -> &Matrix<F> {
        self.input.clone_from(x);
        self.cell.forward(&self.input, &mut self.last);
        self.output.forward(&self.last, &mut self.logits);
        &self.logits
    }

    /// Forward and back-propagation through time on one batch: every variable's gradient
    /// (L = mean cross-entropy + l2·Σ‖kernel‖²), the loss, and δ's rms per layer (the cell:
    /// over all time steps; the output) and per time step.
    pub fn compute_gradients(&mut self, x: &Matrix<F>, labels: &[usize], l2: f64) -> StepResult {
        self.forward(x);
        let (mut loss, correct) = softmax_cross_entropy(&mut self.logits, labels);
        let output_rms = rms(&self.logits.data);
        self.output
            .backward(&self.last, &self.logits, Some(&mut self.grad_last));
        let time_delta_rms = self.cell.backward(&self.input, &mut self.grad_last);
        // The cell's δ over every (t, sample, unit): the root of the mean of the per-step
        // mean squares.
        let steps = time_delta_rms.len().max(1) as f64;
        let cell_rms = (time_delta_rms.iter().map(|r| r * r).sum::<f64>() / steps).sqrt();
        if l2 > 0.0 {
            loss += crate::engine::param::add_l2(self.params_mut(), l2);
        }
        StepResult {
            loss,
            correct,
            delta_rms: vec![cell_rms, output_rms],
            time_delta_rms,
        }
    }

    /// W, U, b of the cell, then the output layer's kernel and bias.
    pub fn params_mut(&mut self) -> Vec<&mut Param<F>> {
        let mut out: Vec<&mut Param<F>> = self.cell.params_mut().into_iter().collect();
        out.push(&mut self.output.kernel);
        out.push(&mut self.output.bias);
        out
    }

    /// The cell's z_T and h_T, or the logits twice for the output layer (layer 1).
    pub fn activation_io(&self, layer: usize) -> (&[F], &[F]) {
        if layer == 0 {
            self.cell.last_io()
        } else {
            (&self.logits.data, &self.logits.data)
        }
    }

    /// Columns of the activations `activation_io` returns.
    pub fn layer_units(&self, layer: usize) -> usize {
        if layer == 0 {
            self.arch.units
        } else {
            self.arch.classes
        }
    }
}
