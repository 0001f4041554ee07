//! Drives a run: configuration in, one mini-batch step at a time, epoch records out.
//!
//! The page calls [`Trainer::step`] for a few milliseconds per animation frame; the command
//! line calls it in a loop. Epoch 0 is a measuring pass over the training batches with no
//! update, so the first record shows the network exactly as initialized.

mod evaluate;
mod histograms;
mod record;

use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::batch_norm::Mode;
use super::build::{build_network, empty_dataset, seeded, ORDER_STREAM};
use super::clip::Clipping;
use super::config::{check_clipping, check_lr, Config, ConfigError};
use super::data::Dataset;
use super::epoch_sums::EpochSums;
use super::history::History;
use super::matrix::{norm, Matrix};
use super::metrics::{EpochRecord, PartialLayers, Status};
use super::model::Model;
use super::network::Network;
use super::optim::Optimizer;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunState {
    /// More steps to take.
    Running,
    /// All configured epochs are done.
    Finished,
    /// The loss became non-finite; the run stopped.
    Diverged,
}

#[derive(Clone, Debug)]
pub struct Trainer {
    config: Config,
    data: Dataset,
    net: Model<f32>,
    optimizer: Optimizer<f32>,
    order_rng: ChaCha8Rng,
    /// Visiting order of the training samples in the current epoch.
    order: Vec<usize>,
    /// Next position in `order`.
    cursor: usize,
    /// The epoch being computed (0 = the measuring pass).
    epoch: usize,
    sums: EpochSums,
    records: History,
    state: RunState,
    batch_x: Matrix<f32>,
    batch_y: Vec<usize>,
    /// Whether to compute the per-layer figures (off only to measure their cost).
    measure_layers: bool,
    /// Whether each layer's record carries its distributions (an MLP's only).
    histograms: bool,
}

impl Trainer {
    /// Builds the network and data for `config`; refuses a configuration out of range.
    pub fn new(config: Config) -> Result<Trainer, ConfigError> {
        let data = Dataset::load(config.dataset, config.noise, config.seq_len);
        Self::with_data(config, data)
    }

    /// As [`Trainer::new`], reusing an already loaded dataset (it must match the config).
    pub fn with_data(config: Config, data: Dataset) -> Result<Trainer, ConfigError> {
        config.validate()?;
        let net = build_network(&config, &data);
        let order_rng = seeded(config.seed, ORDER_STREAM);
        let n = data.train.len();
        let mut t = Trainer {
            optimizer: Optimizer::new(config.optimizer),
            config,
            data,
            net,
            order_rng,
            order: (0..n).collect(),
            cursor: 0,
            epoch: 0,
            sums: EpochSums::default(),
            records: History::new(),
            state: RunState::Running,
            batch_x: Matrix::zeros(0, 0),
            batch_y: Vec::new(),
            measure_layers: true,
            histograms: false,
        };
        t.start_epoch_sums();
        Ok(t)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn dataset(&self) -> &Dataset {
        &self.data
    }

    /// The network being trained.
    pub fn model(&self) -> &Model<f32> {
        &self.net
    }

    /// The network, to set its weights (replaying a reference case before the first step).
    pub fn model_mut(&mut self) -> &mut Model<f32> {
        &mut self.net
    }

    /// The MLP being trained (None for a recurrent run).
    pub fn network(&self) -> Option<&Network<f32>> {
        self.net.mlp()
    }

    /// The MLP, to set its weights (None for a recurrent run).
    pub fn network_mut(&mut self) -> Option<&mut Network<f32>> {
        self.net.mlp_mut()
    }

    /// The records so far (all of them, or thinned when there are very many: [`History`]).
    pub fn records(&self) -> &[EpochRecord] {
        self.records.records()
    }

    pub fn state(&self) -> RunState {
        self.state
    }

    /// The epoch in progress (0 while measuring the initial network).
    pub fn epoch(&self) -> usize {
        self.epoch
    }

    /// The order in which the current epoch visits the training samples.
    pub fn data_order(&self) -> &[usize] {
        &self.order
    }

    /// Steps (mini-batches) per epoch ([`Config::steps_per_epoch`]).
    pub fn steps_per_epoch(&self) -> usize {
        self.config.steps_per_epoch(self.data.train.len())
    }

    /// Training samples an epoch visits ([`Config::samples_per_epoch`]).
    pub fn samples_per_epoch(&self) -> usize {
        self.config.samples_per_epoch(self.data.train.len())
    }

    /// Steps taken in the current epoch.
    pub fn steps_into_epoch(&self) -> usize {
        self.sums.steps
    }

    /// Changes the learning rate from the next step on, keeping everything else.
    pub fn set_learning_rate(&mut self, lr: f64) -> Result<(), ConfigError> {
        check_lr(lr)?;
        self.config.lr = lr;
        Ok(())
    }

    /// Changes gradient clipping from the next step on.
    pub fn set_clipping(&mut self, clipping: Clipping) -> Result<(), ConfigError> {
        check_clipping(clipping)?;
        self.config.clipping = clipping;
        Ok(())
    }

    /// Turns the per-layer figures on or off (records then carry no layers). Only the
    /// benchmark turns them off, to show what they cost.
    pub fn set_measure_layers(&mut self, on: bool) {
        self.measure_layers = on;
    }

    /// Turns the per-layer distributions on or off, from the next epoch's record on.
    pub fn set_histograms(&mut self, on: bool) {
        self.histograms = on;
    }

    /// Changes how many epochs the run lasts; a finished run can be extended.
    pub fn set_epochs(&mut self, epochs: usize) {
        self.config.epochs = epochs.min(super::config::max_epochs());
        if self.state == RunState::Finished && self.epoch <= self.config.epochs {
            self.state = RunState::Running;
        } else if self.state == RunState::Running && self.epoch > self.config.epochs {
            self.state = RunState::Finished;
        }
    }

    /// Starts over: with the same initial weights and data order, or with new weights
    /// (a new `init_seed`) and the same data order.
    pub fn reset(&mut self, new_weights: bool) {
        let mut config = self.config.clone();
        if new_weights {
            config.init_seed = config.init_seed.wrapping_add(1);
        }
        let data = std::mem::replace(&mut self.data, empty_dataset());
        *self = Trainer::with_data(config, data).expect("a running config stays valid");
    }

    /// Takes one mini-batch step; returns the epoch's record when this step completed one.
    pub fn step(&mut self) -> Option<EpochRecord> {
        if self.state != RunState::Running {
            return None;
        }
        if self.cursor == 0 && self.epoch > 0 {
            self.order.shuffle(&mut self.order_rng);
        }
        let epoch_len = self.samples_per_epoch();
        let end = (self.cursor + self.config.batch_size).min(epoch_len);
        self.data.train.gather(
            &self.order[self.cursor..end],
            &mut self.batch_x,
            &mut self.batch_y,
        );
        self.cursor = end;
        let last_of_epoch = end == epoch_len;

        let measuring = self.epoch == 0;
        let mode = if measuring {
            Mode::TrainNoUpdate
        } else {
            Mode::Train
        };
        self.prepare_capture(last_of_epoch);
        let step = self
            .net
            .compute_gradients(&self.batch_x, &self.batch_y, mode, self.config.l2);
        let s = &mut self.sums;
        s.loss += step.loss * self.batch_y.len() as f64;
        s.correct += step.correct;
        s.seen += self.batch_y.len();
        s.steps += 1;
        let mut gradients_finite = true;
        if self.measure_layers {
            for (l, d) in step.delta_rms.iter().enumerate() {
                let g = norm(&self.net.kernel(l).grad);
                gradients_finite &= g.is_finite();
                s.delta_rms[l] += d;
                s.grad_norm[l] += g;
            }
            if let Some(rnn) = self.net.rnn() {
                for (sum, d) in s.time_delta_rms.iter_mut().zip(&step.time_delta_rms) {
                    *sum += d;
                }
                let u = norm(&rnn.cell.recurrent().grad);
                gradients_finite &= u.is_finite();
                s.recurrent_grad_norm += u;
                let global = self
                    .net
                    .params_mut()
                    .iter()
                    .map(|p| norm(&p.grad).powi(2))
                    .sum::<f64>();
                self.sums.step_grad_norms.push(global.sqrt());
            }
        }
        let diverging = !step.loss.is_finite() || !gradients_finite;
        self.capture_step(last_of_epoch, diverging);
        // Clipping acts in the measuring pass too: epoch 0 then shows the gradient that the
        // first update would be given (its steps are never applied).
        self.config.clipping.apply(&mut self.net.params_mut());
        if self.measure_layers {
            for l in 0..self.net.layer_count() {
                self.sums.clipped_grad_norm[l] += norm(&self.net.kernel(l).grad);
            }
        }
        // A non-finite gradient would put NaN or ±Inf into the weights even while the loss
        // still looks finite: that is a divergence too.
        if diverging {
            self.state = RunState::Diverged;
            return Some(self.finish_epoch(Status::Diverged));
        }
        if !measuring {
            self.update(last_of_epoch);
        }
        if !last_of_epoch {
            return None;
        }
        let record = self.finish_epoch(Status::Ok);
        if record.status == Status::Diverged {
            self.state = RunState::Diverged;
        } else if self.epoch > self.config.epochs {
            self.state = RunState::Finished;
        }
        Some(record)
    }

    /// The epoch in progress over its batches so far (a deep net's first bars, a Step's).
    pub fn epoch_so_far(&self) -> Option<PartialLayers> {
        self.sums
            .partial(self.epoch)
            .filter(|_| self.measure_layers)
    }

    /// Runs until the current epoch completes (or the run stops).
    pub fn run_epoch(&mut self) -> Option<EpochRecord> {
        while self.state == RunState::Running {
            if let Some(r) = self.step() {
                return Some(r);
            }
        }
        None
    }

    /// Applies the optimizer to the (already clipped) gradients; on the epoch's last step also
    /// records ‖ΔW‖/‖W‖ per Dense layer.
    fn update(&mut self, measure: bool) {
        let kernel_norms: Vec<f64> = if measure {
            (0..self.net.layer_count())
                .map(|l| norm(&self.net.kernel(l).value))
                .collect()
        } else {
            Vec::new()
        };
        let lr = self.config.lr;
        let mut params = self.net.params_mut();
        let steps = self.optimizer.step(&mut params, lr, measure);
        if measure {
            // Kernels are every layer's first variable, in layer order (U is not a layer's).
            let kernel_steps = super::param::kernel_step_sizes(&params, &steps);
            for (l, (step, w)) in kernel_steps.iter().zip(&kernel_norms).enumerate() {
                self.sums.update_ratio[l] = super::metrics::update_ratio(step.sqrt(), *w);
            }
        }
    }

    pub(super) fn start_epoch_sums(&mut self) {
        self.sums = EpochSums::new(self.net.layer_count());
        self.sums.time_delta_rms =
            vec![0.0; self.config.seq_len * self.net.rnn().is_some() as usize];
    }
}
