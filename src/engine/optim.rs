//! Optimizers, with Keras' update rules.

use serde::{Deserialize, Serialize};

use super::param::Param;
use super::real::Real;

pub const MOMENTUM: f64 = 0.9;
pub const ADAM_BETA1: f64 = 0.9;
pub const ADAM_BETA2: f64 = 0.999;
pub const ADAM_EPSILON: f64 = 1e-7;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptimizerKind {
    Sgd,
    Momentum,
    Adam,
}

impl OptimizerKind {
    pub const ALL: [OptimizerKind; 3] = [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Adam,
    ];

    pub fn name(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Momentum => "momentum",
            OptimizerKind::Adam => "adam",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.name() == name)
    }
}

/// Optimizer state: one slot (or two, for Adam) per variable, in the network's variable order.
#[derive(Clone, Debug)]
pub struct Optimizer<F> {
    pub kind: OptimizerKind,
    /// Momentum's velocity, or Adam's first moment m.
    first: Vec<Vec<F>>,
    /// Adam's second moment v.
    second: Vec<Vec<F>>,
    /// Steps taken (Adam's bias correction uses it).
    pub iterations: u64,
}

impl<F: Real> Optimizer<F> {
    pub fn new(kind: OptimizerKind) -> Self {
        Optimizer {
            kind,
            first: Vec::new(),
            second: Vec::new(),
            iterations: 0,
        }
    }

    /// Applies one update to every variable; returns Σ‖Δw‖² per variable when `measure` is set
    /// (the step sizes behind update_ratio), else an empty list.
    pub fn step(&mut self, params: &mut [&mut Param<F>], lr: f64, measure: bool) -> Vec<f64> {
        if self.first.len() != params.len() {
            self.first = params
                .iter()
                .map(|p| vec![F::zero(); p.value.len()])
                .collect();
            self.second = if self.kind == OptimizerKind::Adam {
                self.first.clone()
            } else {
                Vec::new()
            };
        }
        self.iterations += 1;
        let mut step_sq = Vec::with_capacity(if measure { params.len() } else { 0 });
        for (i, p) in params.iter_mut().enumerate() {
            let mut sq = 0.0f64;
            let mut apply = |w: &mut F, dw: F| {
                if measure {
                    let d = dw.as_f64();
                    sq += d * d;
                }
                *w = *w + dw;
            };
            match self.kind {
                // w ← w − η·g
                OptimizerKind::Sgd => {
                    let lr = F::of(lr);
                    for (w, &g) in p.value.iter_mut().zip(&p.grad) {
                        apply(w, -lr * g);
                    }
                }
                // v ← μ·v − η·g;  w ← w + v
                OptimizerKind::Momentum => {
                    let (lr, mu) = (F::of(lr), F::of(MOMENTUM));
                    for ((w, &g), v) in p.value.iter_mut().zip(&p.grad).zip(&mut self.first[i]) {
                        *v = mu * *v - lr * g;
                        apply(w, *v);
                    }
                }
                // m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
                // w ← w − α·m/(√v + ε) with α = η·√(1−β₂ᵗ)/(1−β₁ᵗ)
                OptimizerKind::Adam => {
                    let t = self.iterations.min(1 << 20) as i32;
                    let alpha = lr * (1.0 - ADAM_BETA2.powi(t)).sqrt() / (1.0 - ADAM_BETA1.powi(t));
                    let (b1, b2) = (F::of(ADAM_BETA1), F::of(ADAM_BETA2));
                    let (alpha, eps) = (F::of(alpha), F::of(ADAM_EPSILON));
                    let one = F::one();
                    for (((w, &g), m), v) in p
                        .value
                        .iter_mut()
                        .zip(&p.grad)
                        .zip(&mut self.first[i])
                        .zip(&mut self.second[i])
                    {
                        *m = b1 * *m + (one - b1) * g;
                        *v = b2 * *v + (one - b2) * g * g;
                        apply(w, -alpha * *m / (v.sqrt() + eps));
                    }
                }
            }
            if measure {
                step_sq.push(sq);
            }
        }
        step_sq
    }
}
