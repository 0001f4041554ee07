//! The network a run trains: the multilayer perceptron or a recurrent network. The trainer
//! sees both through the same few operations; "layer" l is a Dense layer of the MLP, or for
//! the recurrent network the cell (l = 0, its input kernel W) and the output layer (l = 1).

use serde::{Deserialize, Serialize};

use super::activation::Activation;
use super::batch_norm::Mode;
use super::histogram::Histogram;
use super::matrix::Matrix;
use super::network::{Network, StepResult};
use super::param::Param;
use super::real::Real;
use super::recurrent::RnnNetwork;

/// Which network a run builds (the `model` setting).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    #[default]
    Mlp,
    /// Keras' `SimpleRNN`, its last state into a softmax output layer.
    Rnn,
    /// Keras' `LSTM`, likewise.
    Lstm,
}

impl ModelKind {
    pub const ALL: [ModelKind; 3] = [ModelKind::Mlp, ModelKind::Rnn, ModelKind::Lstm];

    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Mlp => "mlp",
            ModelKind::Rnn => "rnn",
            ModelKind::Lstm => "lstm",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }

    pub fn is_recurrent(self) -> bool {
        self != ModelKind::Mlp
    }
}

// One model per trainer, built once: the size difference costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Model<F> {
    Mlp(Network<F>),
    Rnn(RnnNetwork<F>),
}

impl<F: Real> Model<F> {
    pub fn mlp(&self) -> Option<&Network<F>> {
        match self {
            Model::Mlp(n) => Some(n),
            Model::Rnn(_) => None,
        }
    }

    pub fn mlp_mut(&mut self) -> Option<&mut Network<F>> {
        match self {
            Model::Mlp(n) => Some(n),
            Model::Rnn(_) => None,
        }
    }

    pub fn rnn(&self) -> Option<&RnnNetwork<F>> {
        match self {
            Model::Rnn(n) => Some(n),
            Model::Mlp(_) => None,
        }
    }

    pub fn rnn_mut(&mut self) -> Option<&mut RnnNetwork<F>> {
        match self {
            Model::Rnn(n) => Some(n),
            Model::Mlp(_) => None,
        }
    }

    /// Rows of every per-layer figure.
    pub fn layer_count(&self) -> usize {
        match self {
            Model::Mlp(n) => n.dense_count(),
            Model::Rnn(_) => 2,
        }
    }

    /// Layer l's kernel (the recurrent cell's: its input kernel W).
    pub fn kernel(&self, layer: usize) -> &Param<F> {
        match self {
            Model::Mlp(n) => &n.dense(layer).kernel,
            Model::Rnn(n) if layer == 0 => n.cell.kernel(),
            Model::Rnn(n) => &n.output.kernel,
        }
    }

    /// The activation of layer l (None for the output layer's logits).
    pub fn activation_of(&self, layer: usize) -> Option<Activation> {
        match self {
            Model::Mlp(n) => (layer < n.hidden.len()).then_some(n.arch.activation),
            Model::Rnn(n) => (layer == 0).then_some(n.arch.activation),
        }
    }

    pub fn compute_gradients(
        &mut self,
        x: &Matrix<F>,
        labels: &[usize],
        mode: Mode,
        l2: f64,
    ) -> StepResult {
        match self {
            Model::Mlp(n) => n.compute_gradients(x, labels, mode, l2),
            Model::Rnn(n) => n.compute_gradients(x, labels, l2),
        }
    }

    pub fn forward(&mut self, x: &Matrix<F>, mode: Mode) -> &Matrix<F> {
        match self {
            Model::Mlp(n) => n.forward(x, mode),
            Model::Rnn(n) => n.forward(x),
        }
    }

    /// Layer l's activation input and output in the last forward pass, and their columns.
    pub fn activation_io(&self, layer: usize) -> (&[F], &[F], usize) {
        match self {
            Model::Mlp(n) => {
                let (i, o) = n.activation_io(layer);
                (&i.data, &o.data, o.cols)
            }
            Model::Rnn(n) => {
                let (i, o) = n.activation_io(layer);
                (i, o, n.layer_units(layer))
            }
        }
    }

    /// Asks the next step to keep each Dense layer's δ as a histogram (an MLP's only: a
    /// recurrent cell's δ is per time step).
    pub fn capture_deltas(&mut self, on: bool) {
        if let Model::Mlp(n) = self {
            n.capture_deltas = on;
        }
    }

    /// The δ histograms the last step kept (empty when none were asked for).
    pub fn take_captured_deltas(&mut self) -> Vec<Histogram> {
        match self {
            Model::Mlp(n) => std::mem::take(&mut n.captured_deltas),
            Model::Rnn(_) => Vec::new(),
        }
    }

    pub fn params_mut(&mut self) -> Vec<&mut Param<F>> {
        match self {
            Model::Mlp(n) => n.params_mut(),
            Model::Rnn(n) => n.params_mut(),
        }
    }
}
