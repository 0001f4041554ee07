//! Closing an epoch: the means over its steps, the validation pass and the layers' figures
//! (and distributions) become its record; then the next epoch starts.

use super::Trainer;
use crate::engine::matrix::norm;
use crate::engine::metrics::{EpochRecord, LayerStats, Status, TimeStep};
use crate::engine::recurrent::spectral::sigma_max;

impl Trainer {
    /// Closes the epoch: averages, validation pass, record; then prepares the next epoch.
    pub(super) fn finish_epoch(&mut self, status: Status) -> EpochRecord {
        let (val_loss, val_accuracy, act, values) = self.evaluate();
        let s = &self.sums;
        let (grad_norm, clipped) = (s.mean(&s.grad_norm), s.mean(&s.clipped_grad_norm));
        let delta_rms = s.mean(&s.delta_rms);
        let measured = if self.measure_layers {
            self.net.layer_count()
        } else {
            0
        };
        let layers = (0..measured)
            .map(|l| {
                let (act_mean, act_std, saturated, dead) = act[l].finish();
                LayerStats {
                    layer: l + 1,
                    grad_norm: grad_norm[l],
                    clipped_grad_norm: clipped[l],
                    delta_rms: delta_rms[l],
                    weight_norm: norm(&self.net.kernel(l).value),
                    update_ratio: s.update_ratio[l],
                    act_mean,
                    act_std,
                    saturated,
                    dead,
                    hist: values.get(l).map(|v| self.layer_histograms(l, v)),
                }
            })
            .collect();
        let train_loss = s.loss / s.seen.max(1) as f64;
        let status = if status == Status::Ok && !(train_loss.is_finite() && val_loss.is_finite()) {
            Status::Diverged
        } else {
            status
        };
        let mut record = EpochRecord {
            epoch: self.epoch,
            train_loss,
            train_accuracy: s.correct as f64 / s.seen.max(1) as f64,
            val_loss,
            val_accuracy,
            status,
            layers,
            ..EpochRecord::default()
        };
        if let (Some(rnn), true) = (self.net.rnn(), self.measure_layers) {
            record.time_steps = s
                .mean(&s.time_delta_rms)
                .into_iter()
                .enumerate()
                .map(|(t, delta_rms)| TimeStep {
                    t: t + 1,
                    delta_rms,
                })
                .collect();
            record.sigma_max = Some(sigma_max(
                &rnn.cell.recurrent().value,
                rnn.cell.units(),
                rnn.cell.columns(),
            ));
            record.recurrent_grad_norm = Some(s.recurrent_grad_norm / s.steps.max(1) as f64);
            record.step_grad_norms = s.step_grad_norms.clone();
        }
        self.records.push(record.clone());
        self.epoch += 1;
        self.cursor = 0;
        self.start_epoch_sums();
        record
    }
}
