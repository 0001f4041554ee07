//! Datasets: the handwritten digits (embedded) and 2-D toy sets, split 80/20 and batched.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal, Uniform};
use serde::{Deserialize, Serialize};

use super::matrix::Matrix;
use super::real::Real;
pub use super::sequences::{
    delayed_digits, order_positions, temporal_order, DELAY_NOISE_SD, ORDER_SEQUENCES, ORDER_SYMBOLS,
};

/// UCI Optical Recognition of Handwritten Digits (Alpaydin & Kaynak, 1998; CC BY 4.0), the
/// 1797-image set as shipped with scikit-learn: each image's 64 pixels column by column, each
/// as 1 + its value 0..16, then the 1797 labels; unpacked from `data/digits.csv.gz` by
/// `build.rs` (which says why so).
static DIGITS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/digits.u8"));

/// The split is the same for every run (its own fixed seed), so validation figures compare.
pub(super) const SPLIT_SEED: u64 = 0x5EED_0FD1_6175;
/// Images in the embedded digits (a constant, so that code which only needs the count does
/// not link the data: the page's diagnosis runs outside the worker).
pub const DIGIT_IMAGES: usize = 1797;
/// Pixels per row (and rows) of a digit image.
pub const DIGIT_SIDE: usize = 8;
/// Points generated for each 2-D toy set.
pub const TOY_POINTS: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatasetKind {
    Digits,
    Spiral,
    Circles,
    Xor,
    Gaussian,
    /// A sequence: an 8×8 digit one row per time step, then noise to the sequence's end.
    DelayedDigits,
    /// A sequence of random symbols; the order of the two marked ones is the class.
    TemporalOrder,
}

impl DatasetKind {
    pub const ALL: [DatasetKind; 7] = [
        DatasetKind::Digits,
        DatasetKind::Spiral,
        DatasetKind::Circles,
        DatasetKind::Xor,
        DatasetKind::Gaussian,
        DatasetKind::DelayedDigits,
        DatasetKind::TemporalOrder,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DatasetKind::Digits => "digits",
            DatasetKind::Spiral => "spiral",
            DatasetKind::Circles => "circles",
            DatasetKind::Xor => "xor",
            DatasetKind::Gaussian => "gaussian",
            DatasetKind::DelayedDigits => "delayed_digits",
            DatasetKind::TemporalOrder => "temporal_order",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.name() == name)
    }

    /// Whether the noise setting applies.
    pub fn is_toy(self) -> bool {
        !matches!(self, DatasetKind::Digits) && !self.is_sequence()
    }

    /// Whether samples are sequences (for recurrent models only).
    pub fn is_sequence(self) -> bool {
        matches!(
            self,
            DatasetKind::DelayedDigits | DatasetKind::TemporalOrder
        )
    }

    /// Values per time step of a sequence task (0 for the others).
    pub fn step_inputs(self) -> usize {
        match self {
            DatasetKind::DelayedDigits => DIGIT_SIDE,
            DatasetKind::TemporalOrder => ORDER_SYMBOLS,
            _ => 0,
        }
    }

    /// How many classes the labels name: the 10 digits, the four orders of two marked
    /// symbols, or the two sides of a 2-D puzzle.
    pub fn classes(self) -> usize {
        match self {
            DatasetKind::Digits | DatasetKind::DelayedDigits => 10,
            DatasetKind::TemporalOrder => 4,
            _ => 2,
        }
    }

    /// Training samples after the 80/20 split (what one epoch visits).
    pub fn train_len(self) -> usize {
        let all = match self {
            DatasetKind::Digits | DatasetKind::DelayedDigits => DIGIT_IMAGES,
            DatasetKind::TemporalOrder => ORDER_SEQUENCES,
            _ => TOY_POINTS,
        };
        all * 4 / 5
    }
}

/// Samples as rows of features in [0, 1] (digits) or around [-1, 1] (toy sets), with labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Samples {
    pub features: usize,
    pub x: Vec<f32>,
    pub y: Vec<usize>,
}

impl Samples {
    pub fn len(&self) -> usize {
        self.y.len()
    }

    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The rows `idx` as a batch matrix, in the engine's float type.
    pub fn gather<F: Real>(&self, idx: &[usize], x: &mut Matrix<F>, y: &mut Vec<usize>) {
        x.resize(idx.len(), self.features);
        y.clear();
        for (dst, &i) in x.rows_iter_mut().zip(idx) {
            let src = &self.x[i * self.features..(i + 1) * self.features];
            for (d, &s) in dst.iter_mut().zip(src) {
                *d = F::of(s as f64);
            }
            y.push(self.y[i]);
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub kind: DatasetKind,
    pub classes: usize,
    pub train: Samples,
    pub val: Samples,
}

impl Dataset {
    /// Loads or generates a dataset; `noise` (0..1) applies to the toy sets only, `seq_len`
    /// (time steps) to the sequence tasks only.
    pub fn load(kind: DatasetKind, noise: f64, seq_len: usize) -> Dataset {
        let (all, classes) = match kind {
            DatasetKind::Digits => (digits(), kind.classes()),
            DatasetKind::DelayedDigits => (delayed_digits(seq_len), kind.classes()),
            DatasetKind::TemporalOrder => (temporal_order(seq_len), kind.classes()),
            _ => toy(kind, noise),
        };
        split(kind, all, classes)
    }
}

/// The embedded digits, pixels row by row scaled from 0..16 to [0, 1].
pub fn digits() -> Samples {
    let (pixels, labels) = DIGITS.split_at(DIGIT_IMAGES * 64);
    let (images, _) = pixels.as_chunks::<64>();
    let x = images
        .iter()
        .flat_map(|columns| (0..64).map(|k| (columns[(k % 8) * 8 + k / 8] - 1) as f32 / 16.0))
        .collect();
    let y = labels.iter().map(|&label| label as usize).collect();
    Samples { features: 64, x, y }
}

/// A fixed, seeded 80/20 split.
fn split(kind: DatasetKind, all: Samples, classes: usize) -> Dataset {
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(SPLIT_SEED));
    let n_train = all.len() * 4 / 5;
    let pick = |idx: &[usize]| Samples {
        features: all.features,
        x: idx
            .iter()
            .flat_map(|&i| {
                all.x[i * all.features..(i + 1) * all.features]
                    .iter()
                    .copied()
            })
            .collect(),
        y: idx.iter().map(|&i| all.y[i]).collect(),
    };
    Dataset {
        kind,
        classes,
        train: pick(&order[..n_train]),
        val: pick(&order[n_train..]),
    }
}

/// Two-class 2-D sets of `TOY_POINTS` points, balanced, from a fixed seed; `noise` in [0, 1]
/// adds Gaussian jitter (sd = 0.5·noise, relative to a set spanning about [-1, 1]).
fn toy(kind: DatasetKind, noise: f64) -> (Samples, usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(SPLIT_SEED ^ kind as u64);
    let noise = if noise.is_finite() {
        noise.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let jitter = Normal::new(0.0, 0.5 * noise + 1e-12).expect("finite sd");
    let unit = Uniform::new(0.0f64, 1.0).expect("valid range");
    let sym = Uniform::new(-1.0f64, 1.0).expect("valid range");
    let mut x = Vec::with_capacity(2 * TOY_POINTS);
    let mut y = Vec::with_capacity(TOY_POINTS);
    for i in 0..TOY_POINTS {
        let label = i % 2;
        let (px, py) = match kind {
            // Two interleaved arms: r grows with the angle, the second arm turned by π.
            DatasetKind::Spiral => {
                let t = unit.sample(&mut rng);
                let angle = 1.75 * std::f64::consts::TAU * t + label as f64 * std::f64::consts::PI;
                (t * angle.cos(), t * angle.sin())
            }
            // An inner disc (class 0) inside a ring (class 1).
            DatasetKind::Circles => {
                let angle = std::f64::consts::TAU * unit.sample(&mut rng);
                let r = if label == 0 {
                    0.5 * unit.sample(&mut rng)
                } else {
                    0.7 + 0.3 * unit.sample(&mut rng)
                };
                (r * angle.cos(), r * angle.sin())
            }
            // Class = whether the signs of x and y differ.
            DatasetKind::Xor => loop {
                let (a, b) = (sym.sample(&mut rng), sym.sample(&mut rng));
                if ((a * b < 0.0) as usize) == label && a.abs() > 0.05 && b.abs() > 0.05 {
                    break (a, b);
                }
            },
            // Two Gaussian blobs centred at ±(0.5, 0.5).
            DatasetKind::Gaussian => {
                let c = if label == 0 { 0.5 } else { -0.5 };
                let n = Normal::new(c, 0.25).expect("finite sd");
                (n.sample(&mut rng), n.sample(&mut rng))
            }
            DatasetKind::Digits | DatasetKind::DelayedDigits | DatasetKind::TemporalOrder => {
                unreachable!("not a 2-D set")
            }
        };
        let (jx, jy): (f64, f64) = (jitter.sample(&mut rng), jitter.sample(&mut rng));
        let (jx, jy) = if noise > 0.0 { (jx, jy) } else { (0.0, 0.0) };
        x.push((px + jx) as f32);
        x.push((py + jy) as f32);
        y.push(label);
    }
    (Samples { features: 2, x, y }, 2)
}
