//! Weight initializers, defined as in Keras (DESIGN §2). Biases always start at zero.

use rand::Rng;
use rand_distr::{Distribution, Normal, StandardNormal, Uniform};
use serde::{Deserialize, Serialize};

use super::real::Real;

/// Keras divides the truncated-normal standard deviation by this constant — the standard
/// deviation of a unit normal truncated to [-2, 2] — so that the *truncated* draw has the
/// intended variance.
pub const TRUNCATION_STD: f64 = 0.879_625_661_034_239_8;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Initializer {
    GlorotUniform,
    GlorotNormal,
    HeUniform,
    HeNormal,
    LecunUniform,
    LecunNormal,
    Small,
    Large,
    Zeros,
}

/// The distribution an initializer draws from, for a given kernel shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum WeightDistribution {
    /// U(-limit, limit)
    Uniform {
        limit: f64,
    },
    /// N(0, sd²) with every draw beyond 2·sd redrawn.
    TruncatedNormal {
        sd: f64,
    },
    /// N(0, sd²)
    Normal {
        sd: f64,
    },
    Zero,
}

impl Initializer {
    pub const ALL: [Initializer; 9] = [
        Initializer::GlorotUniform,
        Initializer::GlorotNormal,
        Initializer::HeUniform,
        Initializer::HeNormal,
        Initializer::LecunUniform,
        Initializer::LecunNormal,
        Initializer::Small,
        Initializer::Large,
        Initializer::Zeros,
    ];

    /// The Keras name, as used on the command line and in URLs.
    pub fn name(self) -> &'static str {
        match self {
            Initializer::GlorotUniform => "glorot_uniform",
            Initializer::GlorotNormal => "glorot_normal",
            Initializer::HeUniform => "he_uniform",
            Initializer::HeNormal => "he_normal",
            Initializer::LecunUniform => "lecun_uniform",
            Initializer::LecunNormal => "lecun_normal",
            Initializer::Small => "small",
            Initializer::Large => "large",
            Initializer::Zeros => "zeros",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.name() == name)
    }

    /// The target weight variance Var(w) = scale / n for the variance-scaling family.
    pub fn distribution(self, fan_in: usize, fan_out: usize) -> WeightDistribution {
        let fan_in = fan_in as f64;
        let fan_avg_x2 = fan_in + fan_out as f64;
        // Uniform U(-l, l) has variance l²/3, so l = √(3·Var).
        let uniform = |var: f64| WeightDistribution::Uniform {
            limit: (3.0 * var).sqrt(),
        };
        let truncated = |var: f64| WeightDistribution::TruncatedNormal {
            sd: var.sqrt() / TRUNCATION_STD,
        };
        match self {
            Initializer::GlorotUniform => uniform(2.0 / fan_avg_x2),
            Initializer::GlorotNormal => truncated(2.0 / fan_avg_x2),
            Initializer::HeUniform => uniform(2.0 / fan_in),
            Initializer::HeNormal => truncated(2.0 / fan_in),
            Initializer::LecunUniform => uniform(1.0 / fan_in),
            Initializer::LecunNormal => truncated(1.0 / fan_in),
            Initializer::Small => WeightDistribution::Normal { sd: 0.01 },
            Initializer::Large => WeightDistribution::Normal { sd: 1.0 },
            Initializer::Zeros => WeightDistribution::Zero,
        }
    }

    /// A fan_in×fan_out kernel, row-major (row = input unit).
    pub fn kernel<F: Real, R: Rng + ?Sized>(
        self,
        fan_in: usize,
        fan_out: usize,
        rng: &mut R,
    ) -> Vec<F> {
        // Straight into the engine's float type: a 512×512 kernel in f64 first would be 2 MB
        // more to allocate and walk, a hundred times over at depth 100.
        self.distribution(fan_in, fan_out)
            .draw(fan_in * fan_out, rng, F::of)
    }
}

impl WeightDistribution {
    /// `n` independent draws, each converted by `to` as it is drawn.
    pub fn draw<T, R: Rng + ?Sized>(&self, n: usize, rng: &mut R, to: impl Fn(f64) -> T) -> Vec<T> {
        match *self {
            WeightDistribution::Uniform { limit } => match Uniform::new_inclusive(-limit, limit) {
                Ok(u) => u.sample_iter(rng).take(n).map(to).collect(),
                Err(_) => (0..n).map(|_| to(0.0)).collect(),
            },
            WeightDistribution::TruncatedNormal { sd } => (0..n)
                .map(|_| loop {
                    // Rejection: redraw anything beyond two standard deviations (as Keras does).
                    let z: f64 = StandardNormal.sample(rng);
                    if z.abs() <= 2.0 {
                        break to(z * sd);
                    }
                })
                .collect(),
            WeightDistribution::Normal { sd } => match Normal::new(0.0, sd) {
                Ok(d) => d.sample_iter(rng).take(n).map(to).collect(),
                Err(_) => (0..n).map(|_| to(0.0)).collect(),
            },
            WeightDistribution::Zero => (0..n).map(|_| to(0.0)).collect(),
        }
    }
}
