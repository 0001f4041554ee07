//! What each epoch reports: the per-layer figures of DESIGN §3 and the loss/accuracy curves.

use serde::{Deserialize, Serialize};

use super::activation::Activation;
use super::layer_histograms::LayerHistograms;
use super::real::Real;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Ok,
    /// The loss became NaN or ±Inf: the run stopped there.
    Diverged,
}

/// The figures of one Dense layer for one epoch. Non-finite values are kept as they are
/// (and written as `null` in JSON).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerStats {
    /// 1..=depth for the hidden layers, depth + 1 for the output layer.
    pub layer: usize,
    /// ‖∂L/∂W‖_F of the kernel before clipping, mean over the epoch's steps.
    pub grad_norm: f64,
    /// ‖∂L/∂W‖_F of the kernel after clipping (the gradient the optimizer is given), mean
    /// over the epoch's steps; equal to `grad_norm` when clipping is off.
    pub clipped_grad_norm: f64,
    /// RMS of ∂L/∂z over batch and units, mean over the epoch's steps.
    pub delta_rms: f64,
    /// ‖W‖_F at the end of the epoch.
    pub weight_norm: f64,
    /// ‖ΔW‖_F / ‖W‖_F of the epoch's last step, ‖W‖ taken before the step: 0 when nothing
    /// moved (epoch 0 makes no update), None (`null`) when the weights were all 0 and the
    /// step was not — a ratio to nothing is undefined.
    pub update_ratio: Option<f64>,
    /// Mean and standard deviation of the layer's activations f(·) on the validation set
    /// (of the logits, for the output layer).
    pub act_mean: f64,
    pub act_std: f64,
    /// Fraction of sigmoid/tanh outputs with f' under 5 % of its maximum (0 otherwise).
    pub saturated: f64,
    /// ReLU-family hidden layers only (None, `null`, elsewhere): the fraction of units whose
    /// input is ≤ 0 for every validation sample. A dead ReLU outputs 0 and passes no gradient;
    /// a dead leaky ReLU passes only its 0.01 slope.
    pub dead: Option<f64>,
    /// With histograms on (an MLP's layers): the layer's five distributions, compact
    /// ([`super::layer_histograms::flat`]; read them with [`LayerStats::histograms`]). The
    /// command line and the export write the documented form, `LayerHistograms::json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hist: Option<Vec<f64>>,
}

impl LayerStats {
    /// The layer's distributions, when they were measured.
    pub fn histograms(&self) -> Option<LayerHistograms> {
        super::layer_histograms::flat::decode(self.hist.as_deref()?)
    }
}

/// The per-layer figures by their JSON names, in the order of [`LayerStats`]'s fields (after
/// `layer`): the CSV's columns and the figures a lesson's checks can name.
pub const LAYER_FIGURES: [&str; 9] = [
    "grad_norm",
    "clipped_grad_norm",
    "delta_rms",
    "weight_norm",
    "update_ratio",
    "act_mean",
    "act_std",
    "saturated",
    "dead",
];

/// Epoch 0's per-layer gradient figures over the batches measured so far: a deep network
/// shows its first bars after one batch instead of after the whole training set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartialLayers {
    /// The epoch in progress.
    pub epoch: usize,
    /// Batches measured so far.
    pub steps: usize,
    /// Mean over those batches of ‖∂L/∂W‖ per Dense layer (as in the epoch's record).
    pub grad_norm: Vec<f64>,
    /// The same after clipping.
    pub clipped_grad_norm: Vec<f64>,
    /// Mean over those batches of δ rms per Dense layer.
    pub delta_rms: Vec<f64>,
    /// A recurrent run: mean over those batches of δ rms per time step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub time_delta_rms: Vec<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    pub epoch: usize,
    pub train_loss: f64,
    pub train_accuracy: f64,
    pub val_loss: f64,
    pub val_accuracy: f64,
    pub status: Status,
    pub layers: Vec<LayerStats>,
    /// Recurrent models: δ per time step, in time order (t = 1 is the sequence's start).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub time_steps: Vec<TimeStep>,
    /// Recurrent models: the largest singular value of the recurrent kernel U at the end of
    /// the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sigma_max: Option<f64>,
    /// Recurrent models: ‖∂L/∂U‖_F before clipping, mean over the epoch's steps (the input
    /// kernel's ‖∂L/∂W‖ is layer 1's `grad_norm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurrent_grad_norm: Option<f64>,
    /// Recurrent models: every training step's global gradient norm √(Σ over all variables
    /// of ‖∂L/∂θ‖²) before clipping, in step order — the spikes that clipping cuts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub step_grad_norms: Vec<f64>,
}

/// One time step's figure of a recurrent run's epoch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimeStep {
    /// 1..=T, in time order.
    pub t: usize,
    /// RMS of ∂L/∂z_t over batch and units, mean over the epoch's steps.
    pub delta_rms: f64,
}

/// ‖ΔW‖ / ‖W‖ with ‖W‖ before the step: 0 when nothing moved, None when weights of 0 moved
/// (a ratio to nothing is undefined).
pub fn update_ratio(step_norm: f64, weight_norm: f64) -> Option<f64> {
    if step_norm == 0.0 {
        Some(0.0)
    } else if weight_norm == 0.0 {
        None
    } else {
        Some(step_norm / weight_norm)
    }
}

/// Threshold of "saturated": f' below this fraction of its maximum.
pub const SATURATION_FRACTION: f64 = 0.05;

/// Accumulates act_mean, act_std, saturated and dead over validation chunks for one layer.
#[derive(Clone, Debug, Default)]
pub struct ActivationStats {
    sum: f64,
    sum_sq: f64,
    count: usize,
    saturated: usize,
    /// Per unit: has its input ever been above 0? (ReLU-family layers only.)
    alive: Vec<bool>,
    /// Whether `dead` means anything for this layer.
    relu_family: bool,
}

impl ActivationStats {
    /// Adds a chunk: `input`/`output` of the activation, row-major with `units` columns.
    /// `activation` is None for the output layer (logits: no saturation).
    pub fn add<F: Real>(
        &mut self,
        activation: Option<Activation>,
        input: &[F],
        output: &[F],
        units: usize,
    ) {
        self.relu_family = matches!(activation, Some(Activation::Relu | Activation::LeakyRelu));
        if self.alive.len() != units {
            self.alive = vec![false; units];
        }
        for &y in output {
            let v = y.as_f64();
            self.sum += v;
            self.sum_sq += v * v;
        }
        if self.relu_family {
            for (i, &x) in input.iter().enumerate() {
                // NaN counts as alive: a NaN unit is not "dead", it is broken (and reported so).
                if x > F::zero() || x.as_f64().is_nan() {
                    self.alive[i % units] = true;
                }
            }
        }
        self.count += output.len();
        if let Some(f) = activation.filter(|f| f.saturates()) {
            let limit = F::of(SATURATION_FRACTION * f.max_derivative());
            self.saturated += input
                .iter()
                .zip(output)
                .filter(|(&x, &y)| f.derivative(x, y) < limit)
                .count();
        }
    }

    /// (act_mean, act_std, saturated, dead)
    pub fn finish(&self) -> (f64, f64, f64, Option<f64>) {
        if self.count == 0 {
            return (0.0, 0.0, 0.0, self.relu_family.then_some(0.0));
        }
        let n = self.count as f64;
        let mean = self.sum / n;
        // Clamp rounding below 0, but let NaN through: a NaN figure must stay visible.
        let var = self.sum_sq / n - mean * mean;
        let var = if var < 0.0 { 0.0 } else { var };
        let dead = self.relu_family.then(|| {
            self.alive.iter().filter(|a| !**a).count() as f64 / self.alive.len().max(1) as f64
        });
        (mean, var.sqrt(), self.saturated as f64 / n, dead)
    }
}
