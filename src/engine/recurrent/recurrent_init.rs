//! The recurrent kernel U's initializers, as Keras defines them: `Orthogonal(gain)` (Keras'
//! default for `SimpleRNN` and `LSTM`), `Identity(gain)` (Le, Jaitly & Hinton 2015's IRNN),
//! and the variance-scaling family of the input kernel. `gain` multiplies every weight, so
//! U's singular values are all exactly `gain` for the first two.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use crate::engine::init::Initializer;
use crate::engine::real::Real;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecurrentInit {
    Orthogonal,
    Identity,
    /// One of the input kernel's initializers, with fan-in = fan-out = units.
    Scaled(Initializer),
}

impl RecurrentInit {
    /// Every choice: orthogonal, identity, then the variance-scaling initializers.
    pub fn all() -> Vec<RecurrentInit> {
        let mut all = vec![RecurrentInit::Orthogonal, RecurrentInit::Identity];
        all.extend(Initializer::ALL.into_iter().map(RecurrentInit::Scaled));
        all
    }

    pub fn name(self) -> &'static str {
        match self {
            RecurrentInit::Orthogonal => "orthogonal",
            RecurrentInit::Identity => "identity",
            RecurrentInit::Scaled(i) => i.name(),
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::all().into_iter().find(|i| i.name() == name)
    }

    /// A units×units kernel, row-major, times `gain`.
    pub fn kernel<F: Real, R: Rng + ?Sized>(self, units: usize, gain: f64, rng: &mut R) -> Vec<F> {
        let raw: Vec<f64> = match self {
            RecurrentInit::Orthogonal => orthogonal(units, rng),
            RecurrentInit::Identity => (0..units * units)
                .map(|k| if k / units == k % units { 1.0 } else { 0.0 })
                .collect(),
            RecurrentInit::Scaled(i) => i.kernel(units, units, rng),
        };
        raw.into_iter().map(|w| F::of(gain * w)).collect()
    }
}

/// A random orthogonal n×n matrix as Keras draws it: Q of the QR decomposition of a matrix of
/// standard normal draws, each column's sign fixed so that R's diagonal is positive (Q is
/// then uniformly distributed over the orthogonal group). Modified Gram–Schmidt in f64
/// yields exactly that Q (its R has a positive diagonal by construction).
pub fn orthogonal<R: Rng + ?Sized>(n: usize, rng: &mut R) -> Vec<f64> {
    // Columns of the normal matrix A (row-major A[i][j] = draws[i * n + j]).
    let draws: Vec<f64> = (0..n * n).map(|_| StandardNormal.sample(rng)).collect();
    let mut cols: Vec<Vec<f64>> = (0..n)
        .map(|j| (0..n).map(|i| draws[i * n + j]).collect())
        .collect();
    for j in 0..n {
        let (done, rest) = cols.split_at_mut(j);
        let v = &mut rest[0];
        // Twice, so rounding leaves the columns orthogonal to ~1e-16.
        for _ in 0..2 {
            for q in done.iter() {
                let dot: f64 = q.iter().zip(v.iter()).map(|(a, b)| a * b).sum();
                v.iter_mut().zip(q).for_each(|(x, qi)| *x -= dot * qi);
            }
        }
        let len = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if len > 0.0 {
            v.iter_mut().for_each(|x| *x /= len);
        }
    }
    (0..n * n).map(|k| cols[k % n][k / n]).collect()
}
