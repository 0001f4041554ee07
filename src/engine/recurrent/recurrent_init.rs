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

    /// A units×cols kernel, row-major, times `gain` (cols = units for a SimpleRNN, 4·units
    /// for an LSTM's four gates side by side).
    pub fn kernel<F: Real, R: Rng + ?Sized>(
        self,
        (units, cols): (usize, usize),
        gain: f64,
        rng: &mut R,
    ) -> Vec<F> {
        let raw: Vec<f64> = match self {
            RecurrentInit::Orthogonal => orthogonal(units, cols, rng),
            // Keras' `Identity`: ones on the main diagonal, also of a non-square kernel.
            RecurrentInit::Identity => (0..units * cols)
                .map(|k| if k / cols == k % cols { 1.0 } else { 0.0 })
                .collect(),
            RecurrentInit::Scaled(i) => i.kernel(units, cols, rng),
        };
        raw.into_iter().map(|w| F::of(gain * w)).collect()
    }
}

/// A random rows×cols matrix with orthonormal rows or columns (whichever are fewer), as Keras
/// draws it: Q of the QR decomposition of a max×min matrix of standard normal draws, each
/// column's sign fixed so that R's diagonal is positive (Q is then uniformly distributed), and
/// transposed when there are fewer rows than columns. Modified Gram–Schmidt in f64 yields
/// exactly that Q (its R has a positive diagonal by construction). Every singular value is 1.
pub fn orthogonal<R: Rng + ?Sized>(rows: usize, cols: usize, rng: &mut R) -> Vec<f64> {
    let (m, k) = (rows.max(cols), rows.min(cols));
    // Columns of the normal matrix A, m×k (row-major A[i][j] = draws[i * k + j]).
    let draws: Vec<f64> = (0..m * k).map(|_| StandardNormal.sample(rng)).collect();
    let mut q: Vec<Vec<f64>> = (0..k)
        .map(|j| (0..m).map(|i| draws[i * k + j]).collect())
        .collect();
    for j in 0..k {
        let (done, rest) = q.split_at_mut(j);
        let v = &mut rest[0];
        // Twice, so rounding leaves the columns orthogonal to ~1e-16.
        for _ in 0..2 {
            for e in done.iter() {
                let dot: f64 = e.iter().zip(v.iter()).map(|(a, b)| a * b).sum();
                v.iter_mut().zip(e).for_each(|(x, ei)| *x -= dot * ei);
            }
        }
        let len = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if len > 0.0 {
            v.iter_mut().for_each(|x| *x /= len);
        }
    }
    // Q[i][j] = q[j][i]; with fewer rows than columns the kernel is Qᵀ, i.e. q itself.
    (0..rows * cols)
        .map(|e| {
            let (r, c) = (e / cols, e % cols);
            if rows >= cols {
                q[c][r]
            } else {
                q[r][c]
            }
        })
        .collect()
}
