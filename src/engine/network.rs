//! The multilayer perceptron: `depth` hidden blocks (Dense → [BN] → activation → [BN]) and a
//! softmax output layer, with forward and backward passes over a whole mini-batch.

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::activation::Activation;
use super::batch_norm::{BatchNorm, Mode};
use super::dense::Dense;
use super::histogram::{Bins, Histogram};
use super::init::Initializer;
use super::loss::softmax_cross_entropy;
use super::matrix::{rms, Matrix};
use super::param::Param;
use super::real::Real;

/// Where batch normalization sits in each hidden block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchNormPlacement {
    None,
    /// Dense → BN → activation
    Before,
    /// Dense → activation → BN
    After,
}

impl BatchNormPlacement {
    pub const ALL: [BatchNormPlacement; 3] = [
        BatchNormPlacement::None,
        BatchNormPlacement::Before,
        BatchNormPlacement::After,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BatchNormPlacement::None => "none",
            BatchNormPlacement::Before => "before",
            BatchNormPlacement::After => "after",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// The shape and kind of network to build.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Architecture {
    pub inputs: usize,
    pub classes: usize,
    pub depth: usize,
    pub width: usize,
    pub activation: Activation,
    pub init: Initializer,
    pub batch_norm: BatchNormPlacement,
}

/// One hidden block and what its last forward pass computed.
#[derive(Clone, Debug)]
pub struct HiddenLayer<F> {
    pub dense: Dense<F>,
    pub bn: Option<BatchNorm<F>>,
    /// Dense output z = x·W + b.
    z: Matrix<F>,
    /// Activation input: BN(z) when BN comes before, else unused (z is the input).
    pre: Matrix<F>,
    /// Activation output f(·).
    act: Matrix<F>,
    /// BN(f(·)) when BN comes after, else unused (act is the output).
    post: Matrix<F>,
}

#[derive(Clone, Debug)]
pub struct Network<F> {
    pub arch: Architecture,
    pub hidden: Vec<HiddenLayer<F>>,
    pub output: Dense<F>,
    /// The batch of the last forward pass.
    input: Matrix<F>,
    /// The output layer's z (logits), turned into ∂L/∂z by the loss.
    logits: Matrix<F>,
    /// Scratch for the backward pass.
    grad_a: Matrix<F>,
    grad_b: Matrix<F>,
    /// Set before a step whose δ should be kept: the backward pass then fills
    /// `captured_deltas`, one histogram per Dense layer (hidden layers, then the output).
    pub capture_deltas: bool,
    pub captured_deltas: Vec<Histogram>,
}

/// What one training step's backward pass measured.
#[derive(Clone, Debug, Default)]
pub struct StepResult {
    /// Mean cross-entropy over the batch, plus the L2 penalty if any.
    pub loss: f64,
    pub correct: usize,
    /// RMS of ∂L/∂z per Dense layer (hidden layers then output).
    pub delta_rms: Vec<f64>,
    /// A recurrent network's RMS of ∂L/∂z_t per time step t = 1..T (empty for an MLP).
    pub time_delta_rms: Vec<f64>,
}

impl<F: Real> Network<F> {
    /// Builds the network, drawing every kernel from `init` with `rng`, in layer order.
    pub fn new<R: Rng + ?Sized>(arch: Architecture, rng: &mut R) -> Self {
        let mut hidden = Vec::with_capacity(arch.depth);
        let mut fan_in = arch.inputs;
        for _ in 0..arch.depth {
            hidden.push(HiddenLayer {
                dense: Dense::new(fan_in, arch.width, arch.init, rng),
                bn: (arch.batch_norm != BatchNormPlacement::None)
                    .then(|| BatchNorm::new(arch.width)),
                z: Matrix::zeros(0, 0),
                pre: Matrix::zeros(0, 0),
                act: Matrix::zeros(0, 0),
                post: Matrix::zeros(0, 0),
            });
            fan_in = arch.width;
        }
        let output = Dense::new(fan_in, arch.classes, arch.init, rng);
        Network {
            arch,
            hidden,
            output,
            input: Matrix::zeros(0, 0),
            logits: Matrix::zeros(0, 0),
            grad_a: Matrix::zeros(0, 0),
            grad_b: Matrix::zeros(0, 0),
            capture_deltas: false,
            captured_deltas: Vec::new(),
        }
    }

    /// Number of Dense layers (hidden + output): the rows of every per-layer figure.
    pub fn dense_count(&self) -> usize {
        self.hidden.len() + 1
    }

    pub fn dense(&self, layer: usize) -> &Dense<F> {
        if layer < self.hidden.len() {
            &self.hidden[layer].dense
        } else {
            &self.output
        }
    }

    /// The input and output of layer `l`'s activation in the last forward pass
    /// (the logits twice for the output layer).
    pub fn activation_io(&self, layer: usize) -> (&Matrix<F>, &Matrix<F>) {
        match self.hidden.get(layer) {
            Some(h) if self.arch.batch_norm == BatchNormPlacement::Before => (&h.pre, &h.act),
            Some(h) => (&h.z, &h.act),
            None => (&self.logits, &self.logits),
        }
    }

    /// Every trainable variable, in a fixed order (kernel, bias, [gamma, beta] per layer).
    pub fn params_mut(&mut self) -> Vec<&mut Param<F>> {
        let mut out = Vec::with_capacity(4 * self.hidden.len() + 2);
        for h in &mut self.hidden {
            out.push(&mut h.dense.kernel);
            out.push(&mut h.dense.bias);
            if let Some(bn) = &mut h.bn {
                out.push(&mut bn.gamma);
                out.push(&mut bn.beta);
            }
        }
        out.push(&mut self.output.kernel);
        out.push(&mut self.output.bias);
        out
    }

    /// Runs the batch `x` through the network; returns the logits.
    pub fn forward(&mut self, x: &Matrix<F>, mode: Mode) -> &Matrix<F> {
        let placement = self.arch.batch_norm;
        let f = self.arch.activation;
        self.input.clone_from(x);
        for l in 0..self.hidden.len() {
            let (done, rest) = self.hidden.split_at_mut(l);
            let layer = &mut rest[0];
            let input = done.last().map_or(&self.input, |p| p.output(placement));
            layer.dense.forward(input, &mut layer.z);
            let act_in = match (placement, layer.bn.as_mut()) {
                (BatchNormPlacement::Before, Some(bn)) => {
                    layer.pre.clone_from(&layer.z);
                    bn.forward(&mut layer.pre, mode);
                    &layer.pre
                }
                _ => &layer.z,
            };
            layer.act.resize(act_in.rows, act_in.cols);
            f.forward(&act_in.data, &mut layer.act.data);
            if let (BatchNormPlacement::After, Some(bn)) = (placement, layer.bn.as_mut()) {
                layer.post.clone_from(&layer.act);
                bn.forward(&mut layer.post, mode);
            }
        }
        let last = self
            .hidden
            .last()
            .map_or(&self.input, |h| h.output(placement));
        self.output.forward(last, &mut self.logits);
        &self.logits
    }

    /// Forward and backward on one batch: fills every variable's gradient with ∂L/∂θ
    /// (L = mean cross-entropy + l2·Σ‖W‖²) and reports the loss and per-layer delta RMS.
    pub fn compute_gradients(
        &mut self,
        x: &Matrix<F>,
        labels: &[usize],
        mode: Mode,
        l2: f64,
    ) -> StepResult {
        self.forward(x, mode);
        let (mut loss, correct) = softmax_cross_entropy(&mut self.logits, labels);
        let mut delta_rms = vec![0.0; self.dense_count()];
        delta_rms[self.hidden.len()] = rms(&self.logits.data);
        self.captured_deltas.clear();
        if self.capture_deltas {
            let output = Histogram::of_real(&self.logits.data, Bins::SignedLog);
            self.captured_deltas = vec![output; self.dense_count()];
        }
        self.backward(&mut delta_rms);
        if l2 > 0.0 {
            loss += super::param::add_l2(self.params_mut(), l2);
        }
        StepResult {
            loss,
            correct,
            delta_rms,
            time_delta_rms: Vec::new(),
        }
    }

    /// Back-propagates ∂L/∂logits (held in `self.logits`) through every layer.
    fn backward(&mut self, delta_rms: &mut [f64]) {
        let placement = self.arch.batch_norm;
        let f = self.arch.activation;
        let depth = self.hidden.len();
        let mut grad = std::mem::replace(&mut self.grad_a, Matrix::zeros(0, 0));
        let mut next = std::mem::replace(&mut self.grad_b, Matrix::zeros(0, 0));
        {
            let last = self
                .hidden
                .last()
                .map_or(&self.input, |h| h.output(placement));
            let dx = (depth > 0).then_some(&mut grad);
            self.output.backward(last, &self.logits, dx);
        }
        for l in (0..depth).rev() {
            let (done, rest) = self.hidden.split_at_mut(l);
            let layer = &mut rest[0];
            // `grad` holds ∂L/∂(block output); turn it into δ = ∂L/∂z.
            match (placement, layer.bn.as_mut()) {
                (BatchNormPlacement::Before, Some(bn)) => {
                    f.backward(&layer.pre.data, &layer.act.data, &mut grad.data);
                    bn.backward(&mut grad);
                }
                (BatchNormPlacement::After, Some(bn)) => {
                    bn.backward(&mut grad);
                    f.backward(&layer.z.data, &layer.act.data, &mut grad.data);
                }
                _ => f.backward(&layer.z.data, &layer.act.data, &mut grad.data),
            }
            delta_rms[l] = rms(&grad.data);
            if self.capture_deltas {
                self.captured_deltas[l] = Histogram::of_real(&grad.data, Bins::SignedLog);
            }
            let input = done.last().map_or(&self.input, |p| p.output(placement));
            layer
                .dense
                .backward(input, &grad, (l > 0).then_some(&mut next));
            std::mem::swap(&mut grad, &mut next);
        }
        self.grad_a = grad;
        self.grad_b = next;
    }
}

impl<F: Real> HiddenLayer<F> {
    /// What this block hands to the next layer.
    fn output(&self, placement: BatchNormPlacement) -> &Matrix<F> {
        match placement {
            BatchNormPlacement::After => &self.post,
            _ => &self.act,
        }
    }
}
