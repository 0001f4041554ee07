//! Activation functions and their exact derivatives.

use serde::{Deserialize, Serialize};

use super::real::Real;

/// Negative slope of leaky ReLU: PyTorch's default (Keras' LeakyReLU layer defaults to 0.3).
pub const LEAKY_SLOPE: f64 = 0.01;
/// SELU constants (Klambauer et al. 2017).
pub const SELU_ALPHA: f64 = 1.673_263_242_354_377_2;
pub const SELU_SCALE: f64 = 1.050_700_987_355_480_5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    Linear,
    Sigmoid,
    Tanh,
    Relu,
    LeakyRelu,
    Elu,
    Selu,
}

impl Activation {
    pub const ALL: [Activation; 7] = [
        Activation::Linear,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu,
        Activation::Elu,
        Activation::Selu,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Activation::Linear => "linear",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::LeakyRelu => "leaky_relu",
            Activation::Elu => "elu",
            Activation::Selu => "selu",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Whether the derivative flattens out on both sides (sigmoid, tanh): these can saturate.
    pub fn saturates(self) -> bool {
        matches!(self, Activation::Sigmoid | Activation::Tanh)
    }

    /// The largest value f' takes (sigmoid: 1/4 at 0; tanh: 1 at 0).
    pub fn max_derivative(self) -> f64 {
        match self {
            Activation::Sigmoid => 0.25,
            Activation::Selu => SELU_SCALE * SELU_ALPHA,
            _ => 1.0,
        }
    }

    /// f(x)
    #[inline(always)]
    pub fn apply<F: Real>(self, x: F) -> F {
        let zero = F::zero();
        match self {
            Activation::Linear => x,
            // σ(x) = 1 / (1 + e^{-x}), written so that neither branch overflows.
            Activation::Sigmoid => {
                if x >= zero {
                    F::one() / (F::one() + (-x).exp())
                } else {
                    let e = x.exp();
                    e / (F::one() + e)
                }
            }
            Activation::Tanh => x.tanh(),
            // NaN stays NaN (as in TensorFlow and PyTorch): a ReLU must not hide a divergence.
            Activation::Relu => {
                if x > zero || x.is_nan() {
                    x
                } else {
                    zero
                }
            }
            Activation::LeakyRelu => {
                if x > zero {
                    x
                } else {
                    F::of(LEAKY_SLOPE) * x
                }
            }
            // α(eˣ − 1) for x ≤ 0; exp_m1 keeps precision near 0.
            Activation::Elu => {
                if x > zero {
                    x
                } else {
                    x.exp_m1()
                }
            }
            Activation::Selu => {
                let s = F::of(SELU_SCALE);
                if x > zero {
                    s * x
                } else {
                    s * F::of(SELU_ALPHA) * x.exp_m1()
                }
            }
        }
    }

    /// f'(x), given the input x and the output y = f(x) (whichever is cheaper to use).
    #[inline(always)]
    pub fn derivative<F: Real>(self, x: F, y: F) -> F {
        let zero = F::zero();
        let one = F::one();
        match self {
            Activation::Linear => one,
            Activation::Sigmoid => y * (one - y),
            Activation::Tanh => one - y * y,
            // The derivative at exactly 0 is taken as 0, as in TensorFlow and PyTorch.
            Activation::Relu => {
                if x > zero {
                    one
                } else {
                    zero
                }
            }
            Activation::LeakyRelu => {
                if x > zero {
                    one
                } else {
                    F::of(LEAKY_SLOPE)
                }
            }
            // d/dx (eˣ − 1) = eˣ = y + 1
            Activation::Elu => {
                if x > zero {
                    one
                } else {
                    y + one
                }
            }
            // d/dx s·α(eˣ − 1) = s·α·eˣ = y + s·α
            Activation::Selu => {
                let s = F::of(SELU_SCALE);
                if x > zero {
                    s
                } else {
                    y + s * F::of(SELU_ALPHA)
                }
            }
        }
    }

    /// y = f(x), elementwise. Never inlined: its seven loops, vectorized, are large, and the
    /// LSTM calls it per gate; one copy serves every caller (a call per row costs nothing
    /// next to the loop).
    #[inline(never)]
    pub fn forward<F: Real>(self, x: &[F], y: &mut [F]) {
        // One loop per activation, so each is a tight (vectorizable) loop with no per-value
        // dispatch.
        macro_rules! each {
            ($($a:ident),*) => {
                match self {
                    $(Activation::$a => {
                        for (yi, &xi) in y.iter_mut().zip(x) {
                            *yi = Activation::$a.apply(xi);
                        }
                    })*
                }
            };
        }
        each!(Linear, Sigmoid, Tanh, Relu, LeakyRelu, Elu, Selu)
    }

    /// grad ← grad ⊙ f'(x), elementwise (the chain rule through the activation). Never
    /// inlined, as `forward`.
    #[inline(never)]
    pub fn backward<F: Real>(self, x: &[F], y: &[F], grad: &mut [F]) {
        macro_rules! each {
            ($($a:ident),*) => {
                match self {
                    Activation::Linear => {}
                    $(Activation::$a => {
                        for ((g, &xi), &yi) in grad.iter_mut().zip(x).zip(y) {
                            *g = *g * Activation::$a.derivative(xi, yi);
                        }
                    })*
                }
            };
        }
        each!(Sigmoid, Tanh, Relu, LeakyRelu, Elu, Selu)
    }
}

#[cfg(test)]
mod tests {
    use super::Activation;

    #[test]
    fn every_activation_lets_nan_through() {
        // Frameworks propagate NaN; an activation that turned it into 0 would hide a divergence.
        for a in Activation::ALL {
            assert!(a.apply(f64::NAN).is_nan(), "{}", a.name());
        }
    }

    #[test]
    fn known_values() {
        assert_eq!(Activation::Sigmoid.apply(0.0f64), 0.5);
        assert!(
            (Activation::Sigmoid.apply(-800.0f64)).abs() < 1e-300,
            "no overflow"
        );
        assert_eq!(Activation::Relu.apply(-2.0f64), 0.0);
        assert_eq!(Activation::LeakyRelu.apply(-2.0f64), -0.02);
        assert!((Activation::Elu.apply(-1.0f64) - (-1.0f64).exp_m1()).abs() < 1e-15);
        let selu_neg = 1.050_700_987_355_480_5 * 1.673_263_242_354_377_2 * (-1.0f64).exp_m1();
        assert!((Activation::Selu.apply(-1.0f64) - selu_neg).abs() < 1e-15);
        assert_eq!(
            Activation::Selu.apply(2.0f64),
            2.0 * 1.050_700_987_355_480_5
        );
    }
}
