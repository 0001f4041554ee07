//! How the gradient flows through the hidden layers in one epoch's record: the ratio of
//! layer 1's δ to the output layer's, the per-layer factor, the kernel gradients, and the
//! saturated and dead units — the verdicts' gradient rules and the evidence behind them.

use super::activation::Activation;
use super::config::Config;
use super::init::Initializer;
use super::metrics::{EpochRecord, LayerStats};
use crate::format::num;

/// Layer 1's δ over the output layer's below this: vanishing.
pub const VANISHING_RATIO: f64 = 1e-2;
/// … above this: exploding (the gradient grows toward the input).
pub const EXPLODING_RATIO: f64 = 1e2;
/// A kernel gradient norm below this everywhere: nothing reaches the weights.
pub const TINY_GRADIENT: f64 = 1e-6;
/// A kernel gradient norm above this anywhere: steps that large wreck the weights.
pub const HUGE_GRADIENT: f64 = 1e3;
/// More than this share of dead ReLU units: most of the network passes no gradient.
pub const MOSTLY_DEAD: f64 = 0.5;

pub struct Flow {
    /// δ rms of layer 1 over the output layer's (where the gradient enters the network).
    pub ratio: f64,
    /// ratio^(1/depth): the mean factor per layer.
    pub per_layer: f64,
    pub max_grad: f64,
    pub min_grad: f64,
    /// Largest over smallest hidden δ rms.
    pub spread: f64,
    /// Mean over hidden layers of the saturated and dead fractions.
    pub saturated: f64,
    pub dead: f64,
    /// A recurrent run: the ratio is time step 1's δ over time step T's, the factor is per
    /// time step, and the words speak of time steps.
    pub through_time: bool,
}

impl Flow {
    /// None for a network without hidden layers.
    pub fn of(record: &EpochRecord) -> Option<Flow> {
        if !record.time_steps.is_empty() {
            return Self::through_time(record);
        }
        let hidden = &record.layers[..record.layers.len().saturating_sub(1)];
        let (first, top) = (hidden.first()?, record.layers.last()?);
        let ratio = first.delta_rms / top.delta_rms;
        let mean =
            |f: fn(&LayerStats) -> f64| hidden.iter().map(f).sum::<f64>() / hidden.len() as f64;
        let deltas = hidden.iter().map(|l| l.delta_rms);
        Some(Flow {
            ratio,
            per_layer: ratio.powf(1.0 / hidden.len() as f64),
            max_grad: hidden.iter().map(|l| l.grad_norm).fold(0.0, f64::max),
            min_grad: hidden
                .iter()
                .map(|l| l.grad_norm)
                .fold(f64::INFINITY, f64::min),
            spread: deltas.clone().fold(0.0, f64::max) / deltas.fold(f64::INFINITY, f64::min),
            saturated: mean(|l| l.saturated),
            // Dead units are a ReLU-family notion: other layers report none.
            dead: mean(|l| l.dead.unwrap_or(0.0)),
            through_time: false,
        })
    }

    /// A recurrent record: the gradient enters at the last time step and travels back to the
    /// first; the kernel gradients are the cell's W and U.
    fn through_time(record: &EpochRecord) -> Option<Flow> {
        let steps = &record.time_steps;
        let (first, last, cell) = (steps.first()?, steps.last()?, record.layers.first()?);
        let ratio = first.delta_rms / last.delta_rms;
        let kernels = [
            cell.grad_norm,
            record.recurrent_grad_norm.unwrap_or(cell.grad_norm),
        ];
        let deltas = steps.iter().map(|s| s.delta_rms);
        Some(Flow {
            ratio,
            per_layer: ratio.powf(1.0 / (steps.len().max(2) - 1) as f64),
            max_grad: kernels.iter().copied().fold(0.0, f64::max),
            min_grad: kernels.iter().copied().fold(f64::INFINITY, f64::min),
            spread: deltas.clone().fold(0.0, f64::max) / deltas.fold(f64::INFINITY, f64::min),
            saturated: cell.saturated,
            dead: cell.dead.unwrap_or(0.0),
            through_time: true,
        })
    }

    /// Where the gradient ends and where it starts, and what it crosses: layers or steps.
    pub fn places(&self) -> (&'static str, &'static str, &'static str) {
        if self.through_time {
            ("the first time step", "the last time step", "time step")
        } else {
            ("layer 1", "the output layer", "layer")
        }
    }

    pub fn vanishing(&self, config: &Config) -> bool {
        self.max_grad < TINY_GRADIENT
            || self.ratio < VANISHING_RATIO
            || self.dead > MOSTLY_DEAD
            || config.init == Initializer::Zeros
    }

    pub fn exploding(&self) -> bool {
        self.ratio > EXPLODING_RATIO || self.max_grad > HUGE_GRADIENT
    }

    /// The headline of a vanishing gradient: the measured shrinkage, or why there is none.
    pub fn vanishing_headline(&self) -> String {
        if self.max_grad == 0.0 {
            "No gradient reaches any hidden layer: the hidden weights cannot change.".into()
        } else if self.ratio < VANISHING_RATIO && self.through_time {
            format!(
                "The back-propagated gradient δ shrinks by {} on its way back from the last time step to the first: what the sequence's start showed barely shapes the weights.",
                times(1.0 / self.ratio)
            )
        } else if self.ratio < VANISHING_RATIO {
            format!(
                "The back-propagated gradient δ shrinks by {} on its way from the output layer down to layer 1: the lower layers barely learn.",
                times(1.0 / self.ratio)
            )
        } else if self.max_grad < TINY_GRADIENT {
            format!(
                "Every layer's gradient is tiny (at most {}): the weights hardly move.",
                num(self.max_grad)
            )
        } else {
            "Most ReLU units are dead: no gradient flows through them.".into()
        }
    }

    pub fn exploding_headline(&self, config: &Config) -> String {
        let headline = if self.ratio > EXPLODING_RATIO {
            format!(
                "The back-propagated gradient δ grows by {} on its way down to {}.",
                times(self.ratio),
                self.places().0
            )
        } else {
            format!(
                "Gradients are huge (up to {}): each step throws the weights far.",
                num(self.max_grad)
            )
        };
        if config.clipping.threshold().is_some() {
            format!("{headline} Clipping caps every step, which is why training can still go on.")
        } else {
            headline
        }
    }

    /// The numbers behind the gradient rules.
    pub fn evidence(&self, config: &Config, record: &EpochRecord) -> Vec<String> {
        let mut out = Vec::new();
        let layers = &record.layers;
        let (start, end, unit) = self.places();
        if self.ratio.is_finite() {
            out.push(format!(
                "Epoch {}: {start} receives {} of the back-propagated gradient (δ rms) that {end} receives — a factor of {} per {unit}.",
                record.epoch,
                times(self.ratio),
                num(self.per_layer)
            ));
        } else {
            out.push(format!(
                "Epoch {}: the back-propagated gradient δ is {} in {start} and {} in {end}.",
                record.epoch,
                num(first_delta(record)),
                num(last_delta(record)),
            ));
        }
        if let (true, Some(sigma)) = (self.through_time, record.sigma_max) {
            out.push(format!(
                "The recurrent kernel's largest singular value σ_max is {}: back through one step the gradient is multiplied by Uᵀ and by the activation's slope, so it can grow only where σ_max × slope passes 1.",
                num(sigma)
            ));
        }
        if config.activation == Activation::Sigmoid && self.ratio < VANISHING_RATIO {
            out.push(format!(
                "Glorot's variance is the right one for sigmoid at the start: it keeps each layer's signal at the same scale. But the gradient also passes through sigmoid's slope, at most 1/4 (tanh's is 1), so a deep sigmoid stack still shrinks it — here {} per layer.",
                num(self.per_layer)
            ));
        }
        out.push(format!(
            "{} range from {} to {}.",
            if self.through_time {
                "The cell's kernel gradient norms ‖∂L/∂W‖ and ‖∂L/∂U‖"
            } else {
                "Kernel gradient norms ‖∂L/∂W‖"
            },
            num(self.min_grad),
            num(self.max_grad)
        ));
        if self.saturated > 0.2 {
            out.push(format!(
                "{:.0}\u{a0}% of the {} outputs sit where the slope is under 5\u{a0}% of its peak (saturated).",
                100.0 * self.saturated,
                config.activation.name()
            ));
        }
        if config.init == Initializer::Zeros {
            out.push(
                "Every weight started at 0: all units of a layer compute the same value and get the same gradient, so they can never become different."
                    .into(),
            );
        } else if self.dead > 0.2 {
            out.push(format!(
                "{:.0}\u{a0}% of the hidden units output 0 for every validation sample (dead).",
                100.0 * self.dead
            ));
        }
        if let Some(t) = config.clipping.threshold() {
            let clipped: f64 = layers
                .iter()
                .map(|l| l.clipped_grad_norm)
                .fold(0.0, f64::max);
            out.push(format!(
                "{} {} is on: the bars show the gradient before clipping; after clipping the largest kernel gradient is {}.",
                config.clipping.mode_name(),
                num(t),
                num(clipped)
            ));
        }
        out
    }
}

/// δ where the gradient ends: layer 1, or the first time step.
fn first_delta(record: &EpochRecord) -> f64 {
    record.time_steps.first().map_or_else(
        || record.layers.first().map_or(f64::NAN, |l| l.delta_rms),
        |s| s.delta_rms,
    )
}

/// δ where the gradient starts: the output layer, or the last time step.
fn last_delta(record: &EpochRecord) -> f64 {
    record.time_steps.last().map_or_else(
        || record.layers.last().map_or(f64::NAN, |l| l.delta_rms),
        |s| s.delta_rms,
    )
}

/// "4.5×", or the number itself when it is not a finite positive ratio.
pub fn times(r: f64) -> String {
    if r.is_finite() && r > 0.0 {
        format!("{}×", num(r))
    } else {
        num(r)
    }
}
