//! Gradient clipping with the semantics of Keras' optimizer arguments.

use serde::{Deserialize, Serialize};

use super::matrix::norm;
use super::param::Param;
use super::real::Real;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case", tag = "mode", content = "threshold")]
pub enum Clipping {
    #[default]
    Off,
    /// `clipvalue`: every element clipped to [−v, v] (the direction may change).
    Value(f64),
    /// `clipnorm`: each variable's gradient rescaled to norm ≤ c on its own.
    Norm(f64),
    /// `global_clipnorm`: all gradients rescaled together so that their joint norm ≤ c.
    GlobalNorm(f64),
}

impl Clipping {
    pub const MODES: [&'static str; 4] = ["off", "clipvalue", "clipnorm", "global_clipnorm"];

    pub fn mode_name(self) -> &'static str {
        match self {
            Clipping::Off => "off",
            Clipping::Value(_) => "clipvalue",
            Clipping::Norm(_) => "clipnorm",
            Clipping::GlobalNorm(_) => "global_clipnorm",
        }
    }

    pub fn threshold(self) -> Option<f64> {
        match self {
            Clipping::Off => None,
            Clipping::Value(t) | Clipping::Norm(t) | Clipping::GlobalNorm(t) => Some(t),
        }
    }

    /// Builds a mode from its name and threshold (the threshold is ignored for "off").
    pub fn from_parts(mode: &str, threshold: f64) -> Option<Self> {
        match mode {
            "off" | "none" => Some(Clipping::Off),
            "clipvalue" => Some(Clipping::Value(threshold)),
            "clipnorm" => Some(Clipping::Norm(threshold)),
            "global_clipnorm" => Some(Clipping::GlobalNorm(threshold)),
            _ => None,
        }
    }

    /// Clips the gradients of `params` in place.
    pub fn apply<F: Real>(self, params: &mut [&mut Param<F>]) {
        match self {
            Clipping::Off => {}
            Clipping::Value(v) => {
                let (lo, hi) = (F::of(-v), F::of(v));
                for p in params.iter_mut() {
                    for g in p.grad.iter_mut() {
                        // NaN stays NaN: clipping must not hide a divergence.
                        if *g > hi {
                            *g = hi;
                        } else if *g < lo {
                            *g = lo;
                        }
                    }
                }
            }
            Clipping::Norm(c) => {
                for p in params.iter_mut() {
                    let current = norm(&p.grad);
                    scale_to_norm(&mut p.grad, current, c);
                }
            }
            Clipping::GlobalNorm(c) => {
                let global = params
                    .iter()
                    .map(|p| norm(&p.grad).powi(2))
                    .sum::<f64>()
                    .sqrt();
                for p in params.iter_mut() {
                    scale_to_norm(&mut p.grad, global, c);
                }
            }
        }
    }
}

/// g ← g · c / max(‖g‖, c): unchanged when ‖g‖ ≤ c, else rescaled to norm c.
fn scale_to_norm<F: Real>(grad: &mut [F], current: f64, c: f64) {
    if current > c {
        let s = F::of(c / current);
        grad.iter_mut().for_each(|g| *g = *g * s);
    }
}
