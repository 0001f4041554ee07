//! The validation pass at the end of an epoch.

use super::histograms::ValidationValues;
use super::Trainer;
use crate::engine::batch_norm::Mode;
use crate::engine::data::Samples;
use crate::engine::matrix::norm;
use crate::engine::metrics::ActivationStats;

/// Validation samples per forward pass (bounds memory at depth 100 × width 512).
const EVAL_CHUNK: usize = 128;

impl Trainer {
    /// Validation loss (with the L2 penalty, as Keras reports it), accuracy, and the
    /// activation statistics per layer, in evaluation mode.
    /// With histograms on (an MLP), also every layer's activation inputs.
    pub(super) fn evaluate(&mut self) -> (f64, f64, Vec<ActivationStats>, Vec<ValidationValues>) {
        let layers = self.net.layer_count();
        let mut stats = vec![ActivationStats::default(); layers];
        let keep = self.measure_layers && self.histograms && self.net.mlp().is_some();
        let mut values = vec![ValidationValues::default(); layers * keep as usize];
        let val: &Samples = &self.data.val;
        let idx: Vec<usize> = (0..val.len()).collect();
        let (mut loss, mut correct) = (0.0, 0usize);
        for chunk in idx.chunks(EVAL_CHUNK) {
            val.gather(chunk, &mut self.batch_x, &mut self.batch_y);
            let logits = self.net.forward(&self.batch_x, Mode::Eval);
            let (l, c) = crate::engine::loss::evaluate_logits(logits, &self.batch_y);
            loss += l * chunk.len() as f64;
            correct += c;
            let measured = if self.measure_layers { layers } else { 0 };
            for (layer, s) in stats.iter_mut().enumerate().take(measured) {
                let (input, output, units) = self.net.activation_io(layer);
                s.add(self.net.activation_of(layer), input, output, units);
            }
            for (layer, v) in values.iter_mut().enumerate() {
                let z = self.net.activation_io(layer).0;
                // Room for the whole validation set at once (growing chunk by chunk copied
                // what was kept so far each time).
                if v.preactivation.is_empty() {
                    v.preactivation.reserve(z.len() / chunk.len() * val.len());
                }
                v.preactivation.extend_from_slice(z);
            }
        }
        let n = val.len().max(1) as f64;
        let penalty = if self.config.l2 > 0.0 {
            (0..layers)
                .map(|l| norm(&self.net.kernel(l).value).powi(2))
                .chain(
                    self.net
                        .rnn()
                        .map(|r| norm(&r.cell.recurrent().value).powi(2)),
                )
                .sum::<f64>()
                * self.config.l2
        } else {
            0.0
        };
        (loss / n + penalty, correct as f64 / n, stats, values)
    }
}
