//! What a run adds up over the steps of the epoch in progress, and the per-layer means it
//! reports from them.

use super::histogram::Histogram;
use super::metrics::PartialLayers;

/// Sums over the current epoch's steps; per-layer vectors hold one entry per Dense layer.
#[derive(Clone, Debug, Default)]
pub(super) struct EpochSums {
    pub loss: f64,
    pub correct: usize,
    pub seen: usize,
    pub steps: usize,
    /// Σ over steps of ‖∂L/∂W‖ before clipping.
    pub grad_norm: Vec<f64>,
    /// Σ over steps of ‖∂L/∂W‖ after clipping (the gradient the optimizer is given).
    pub clipped_grad_norm: Vec<f64>,
    pub delta_rms: Vec<f64>,
    /// ‖ΔW‖/‖W‖ of the epoch's last step (not a sum).
    pub update_ratio: Vec<Option<f64>>,
    /// Recurrent models: Σ over steps of δ's rms per time step, and of ‖∂L/∂U‖.
    pub time_delta_rms: Vec<f64>,
    pub recurrent_grad_norm: f64,
    /// Recurrent models: each step's global gradient norm before clipping.
    pub step_grad_norms: Vec<f64>,
    /// With histograms on: each Dense layer's δ and kernel gradient (before clipping) of the
    /// epoch's last step, or of the step that diverged; empty before then.
    pub delta_hist: Vec<Histogram>,
    pub gradient_hist: Vec<Histogram>,
}

impl EpochSums {
    /// Empty sums for a network of `layers` Dense layers.
    pub fn new(layers: usize) -> EpochSums {
        EpochSums {
            grad_norm: vec![0.0; layers],
            clipped_grad_norm: vec![0.0; layers],
            delta_rms: vec![0.0; layers],
            update_ratio: vec![Some(0.0); layers],
            ..EpochSums::default()
        }
    }

    /// The mean over the steps so far of a per-layer sum.
    pub fn mean(&self, sums: &[f64]) -> Vec<f64> {
        let steps = self.steps.max(1) as f64;
        sums.iter().map(|x| x / steps).collect()
    }

    /// The epoch in progress as a partial record (`epoch` is the epoch being summed).
    pub fn partial(&self, epoch: usize) -> Option<PartialLayers> {
        (self.steps > 0).then(|| PartialLayers {
            epoch,
            steps: self.steps,
            grad_norm: self.mean(&self.grad_norm),
            clipped_grad_norm: self.mean(&self.clipped_grad_norm),
            delta_rms: self.mean(&self.delta_rms),
            time_delta_rms: self.mean(&self.time_delta_rms),
        })
    }
}
