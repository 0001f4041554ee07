//! The per-layer distributions of an epoch (`Trainer::set_histograms`): δ and the kernel
//! gradient captured on the epoch's last step, the activations gathered during the validation
//! pass, the weights read at the epoch's end.

use super::Trainer;
use crate::engine::activation::Activation;
use crate::engine::histogram::{Bins, Histogram};
use crate::engine::layer_histograms::{activation_bins, flat, LayerHistograms};

/// One layer's activation inputs over the validation pass, gathered chunk by chunk (the
/// outputs' histogram comes from them).
#[derive(Clone, Debug, Default)]
pub(super) struct ValidationValues {
    pub preactivation: Vec<f32>,
}

impl Trainer {
    /// Before a step: whether the backward pass should keep δ (the epoch's last step).
    pub(super) fn prepare_capture(&mut self, last_of_epoch: bool) {
        let on = self.histograms && self.net.mlp().is_some();
        self.net.capture_deltas(on && last_of_epoch);
    }

    /// After a step's gradients are measured and before they are clipped: keep δ and ∂L/∂W
    /// when this is the epoch's last step or the one that diverged.
    pub(super) fn capture_step(&mut self, last_of_epoch: bool, diverging: bool) {
        let deltas = self.net.take_captured_deltas();
        if !self.histograms || self.net.mlp().is_none() || !(last_of_epoch || diverging) {
            return;
        }
        self.sums.delta_hist = deltas;
        self.sums.gradient_hist = (0..self.net.layer_count())
            .map(|l| Histogram::of_real(&self.net.kernel(l).grad, Bins::SignedLog))
            .collect();
    }

    /// The layer's five distributions at the epoch's end, from the validation values, in the
    /// record's compact form.
    pub(super) fn layer_histograms(&self, layer: usize, values: &ValidationValues) -> Vec<f64> {
        let f = self.net.activation_of(layer);
        let z = &values.preactivation;
        // The outputs' histogram from the inputs' two passes (every activation is
        // non-decreasing); the logits, and a linear layer's outputs, are the inputs.
        let (preactivation, activation) = match f {
            Some(f) if f != Activation::Linear => {
                Histogram::of_inputs_and_outputs(z, Bins::SignedLog, f, activation_bins(Some(f)))
            }
            _ => {
                let h = Histogram::of(z, Bins::SignedLog);
                (h.clone(), h)
            }
        };
        flat::encode(&LayerHistograms {
            activation,
            preactivation,
            delta: self.sums.delta_hist.get(layer).cloned(),
            weight: Histogram::of_real(&self.net.kernel(layer).value, Bins::SignedLog),
            gradient: self.sums.gradient_hist.get(layer).cloned(),
        })
    }
}
