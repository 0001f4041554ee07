//! What a run has achieved so far, read from its epoch records: the accuracy against chance,
//! whether the loss falls, swings or sits above guessing, and batch norm's train/eval gap.
//! The verdicts' outcome rules (see [`super::verdict`]) are thresholds on these figures.

use super::config::Config;
use super::metrics::EpochRecord;
use super::network::BatchNormPlacement;

/// A run is healthy once its validation accuracy has covered this share of the way from
/// chance to 100 % (73 % on the digits, 85 % on a two-class puzzle).
pub const HEALTHY_SHARE: f64 = 0.7;
/// … and near chance below this share (19 % on the digits, 55 % on a two-class puzzle).
pub const NEAR_CHANCE_SHARE: f64 = 0.1;
/// Training steps (updates) before a run below the healthy bar is called slow: five epochs of
/// the digits at batch size 32, nine of a 2-D puzzle.
pub const SLOW_AFTER_STEPS: usize = 200;
/// Epochs of training before a run near chance, whose loss no longer falls, is called stalled.
pub const STALLED_AFTER: usize = 3;
/// Over the last [`STALLED_AFTER`] epochs, a training loss that fell by less than this share
/// is not falling.
pub const FLAT_LOSS: f64 = 0.02;
/// An epoch whose training loss is this share of ln(classes) above the previous one's counts
/// as a rise (0.12 on the digits): an absolute step, so a small loss's noise is no rise.
pub const LOSS_RISE: f64 = 0.05;
/// Rises among the last four epoch-to-epoch changes that make the loss oscillate.
pub const RISES: usize = 2;
/// A validation accuracy this far below the run's best so far is a fall-back, once the best
/// was half-way from chance to 100 % (below that the accuracy's noise is no fall).
pub const FALL_BACK: f64 = 0.15;
pub const FALL_BACK_FROM: f64 = 0.5;
/// A training loss this factor above ln(classes) — the loss of guessing every class with
/// equal probability — after [`STALLED_AFTER`] epochs: the steps overshoot.
pub const ABOVE_GUESSING: f64 = 1.03;
/// With batch norm, training accuracy this far above validation accuracy: the moving
/// statistics that evaluation uses have not caught up with the trained network.
pub const BN_GAP: f64 = 0.3;

#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The latest epoch (0: nothing trained yet).
    pub epoch: usize,
    /// 1 / classes.
    pub chance: f64,
    pub val_accuracy: f64,
    pub train_accuracy: f64,
    /// The best validation accuracy of any epoch so far.
    pub best_val_accuracy: f64,
    pub train_loss: f64,
    /// The training loss [`STALLED_AFTER`] epochs ago (or at epoch 1), to see whether it falls.
    pub earlier_train_loss: f64,
    /// Rises of the training loss among the last four changes
    /// (epochs 1 on: epoch 0's loss is of the untrained network), by more than
    /// [`LOSS_RISE`]·ln(classes).
    pub loss_rises: usize,
    /// ln(classes): the loss of a network that guesses uniformly.
    pub guessing_loss: f64,
    /// Batch norm is on.
    pub batch_norm: bool,
    /// Training steps taken so far.
    pub steps: usize,
}

impl Outcome {
    pub fn of(config: &Config, records: &[EpochRecord]) -> Option<Outcome> {
        let last = records.last()?;
        let classes = config.dataset.classes() as f64;
        let trained = &records[records
            .iter()
            .position(|r| r.epoch >= 1)
            .unwrap_or(records.len())..];
        let earlier = trained
            .iter()
            .rev()
            .find(|r| r.epoch + STALLED_AFTER <= last.epoch)
            .or(trained.first())
            .map_or(last.train_loss, |r| r.train_loss);
        let recent = &trained[trained.len().saturating_sub(5)..];
        let loss_rises = recent
            .windows(2)
            .filter(|w| w[1].train_loss > w[0].train_loss + LOSS_RISE * classes.ln())
            .count();
        Some(Outcome {
            epoch: last.epoch,
            chance: 1.0 / classes,
            val_accuracy: last.val_accuracy,
            train_accuracy: last.train_accuracy,
            best_val_accuracy: records.iter().map(|r| r.val_accuracy).fold(0.0, f64::max),
            train_loss: last.train_loss,
            earlier_train_loss: earlier,
            loss_rises,
            guessing_loss: classes.ln(),
            batch_norm: config.batch_norm != BatchNormPlacement::None,
            steps: last.epoch * config.steps_per_epoch(config.dataset.train_len()),
        })
    }

    /// The accuracy `share` of the way from chance to 100 %.
    pub fn bar(&self, share: f64) -> f64 {
        self.chance + share * (1.0 - self.chance)
    }

    /// Trained long enough, and still below the healthy bar.
    pub fn slow(&self) -> bool {
        self.steps >= SLOW_AFTER_STEPS && !self.reached_healthy_bar()
    }

    pub fn near_chance(&self) -> bool {
        self.val_accuracy < self.bar(NEAR_CHANCE_SHARE)
    }

    pub fn reached_healthy_bar(&self) -> bool {
        self.val_accuracy >= self.bar(HEALTHY_SHARE)
    }

    /// The training loss fell by less than [`FLAT_LOSS`] over the last epochs.
    pub fn loss_flat(&self) -> bool {
        self.train_loss > self.earlier_train_loss * (1.0 - FLAT_LOSS)
    }

    /// Evidence that the steps are too large: the loss keeps rising, the accuracy falls back
    /// from its best, or the loss stays above guessing (in that order); None when none holds.
    /// A rising or high loss in a run above the healthy bar does not count: weights that
    /// started large give confident mistakes a huge loss while the accuracy is fine.
    pub fn overshoot(&self) -> Option<Overshoot> {
        if self.epoch < STALLED_AFTER {
            return None;
        }
        // A bumpy loss in a run above the healthy bar is no reason to change anything.
        if self.loss_rises >= RISES && !self.reached_healthy_bar() {
            Some(Overshoot::LossRises)
        } else if self.best_val_accuracy >= self.bar(FALL_BACK_FROM)
            && self.best_val_accuracy - self.val_accuracy >= FALL_BACK
        {
            Some(Overshoot::FellBack)
        } else if self.train_loss > ABOVE_GUESSING * self.guessing_loss
            && !self.reached_healthy_bar()
        {
            Some(Overshoot::AboveGuessing)
        } else {
            None
        }
    }

    /// Batch norm's evaluation-mode network lags the training one.
    pub fn batch_norm_lag(&self) -> bool {
        self.batch_norm && self.epoch >= 1 && self.train_accuracy - self.val_accuracy >= BN_GAP
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overshoot {
    LossRises,
    FellBack,
    AboveGuessing,
}
