//! The sequence tasks of the recurrent models: the class is decided near the start of a long
//! sequence, so the gradient that teaches it must travel back through most of the steps.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal, Uniform};

use super::data::{digits, Samples, DIGIT_SIDE, SPLIT_SEED};

/// The standard deviation of the noise that follows a delayed digit: as large as a typical
/// pixel's spread (the digits' pixels in [0, 1] have a standard deviation of about 0.38).
pub const DELAY_NOISE_SD: f64 = 0.4;
/// Sequences generated for the temporal-order task.
pub const ORDER_SEQUENCES: usize = 2000;
/// The temporal-order alphabet, one-hot per step: the distractors a, b, c, d, the marked
/// symbols X and Y, then B (begin) and E (end).
pub const ORDER_SYMBOLS: usize = 8;
const DISTRACTORS: usize = 4;
const X: usize = 4;
const BEGIN: usize = 6;
const END: usize = 7;

/// Each digit as a sequence of `seq_len` (≥ 8) steps of 8 values: its rows top to bottom,
/// then N(0, 0.4²) noise, drawn once from a fixed seed (every run sees the same sequences).
/// The label is all that matters and it sits at the start: the gradient that would teach the
/// network to keep it must travel back `seq_len` − 8 steps and more.
pub fn delayed_digits(seq_len: usize) -> Samples {
    let images = digits();
    let steps = seq_len.max(DIGIT_SIDE);
    let features = steps * DIGIT_SIDE;
    let noise = Normal::new(0.0, DELAY_NOISE_SD).expect("finite sd");
    let mut rng = ChaCha8Rng::seed_from_u64(SPLIT_SEED ^ 0xDE1A);
    let mut x = Vec::with_capacity(images.len() * features);
    for image in images.x.chunks_exact(images.features) {
        x.extend_from_slice(image);
        x.extend((image.len()..features).map(|_| noise.sample(&mut rng) as f32));
    }
    Samples {
        features,
        x,
        y: images.y,
    }
}

/// Where the two marked symbols of a `steps`-long sequence may sit (0-based, inclusive): the
/// first in [T/10, T/5], the second in [T/2, 3T/5] — at T = 100 the positions of Hochreiter &
/// Schmidhuber's (1997) temporal-order problem. Step 0 is B and step T − 1 is E (T ≥ 8).
pub fn order_positions(steps: usize) -> [(usize, usize); 2] {
    let first_lo = (steps / 10).max(1);
    let first_hi = (steps / 5).max(first_lo);
    let second_lo = (steps / 2).max(first_hi + 1);
    let second_hi = (steps * 3 / 5).max(second_lo);
    [(first_lo, first_hi), (second_lo, second_hi)]
}

/// The temporal-order problem in `seq_len` (≥ 8) steps of one-hot symbols: B, then random
/// distractors a–d, except X or Y at one place early and one place past the middle, then E.
/// The class is the order of the two: XX 0, XY 1, YX 2, YY 3 (balanced, chance 25 %). What
/// decides the class lies at least 0.4·T steps before the end. Drawn once from a fixed seed.
pub fn temporal_order(seq_len: usize) -> Samples {
    let steps = seq_len.max(DIGIT_SIDE);
    let features = steps * ORDER_SYMBOLS;
    let mut rng = ChaCha8Rng::seed_from_u64(SPLIT_SEED ^ 0x0DE5);
    let distractor = Uniform::new(0, DISTRACTORS).expect("valid range");
    let places =
        order_positions(steps).map(|(lo, hi)| Uniform::new_inclusive(lo, hi).expect("valid range"));
    let mut x = vec![0.0f32; ORDER_SEQUENCES * features];
    let mut y = Vec::with_capacity(ORDER_SEQUENCES);
    for (i, sequence) in x.chunks_exact_mut(features).enumerate() {
        let label = i % 4;
        let mut symbols: Vec<usize> = (0..steps).map(|_| distractor.sample(&mut rng)).collect();
        symbols[0] = BEGIN;
        symbols[steps - 1] = END;
        for (k, place) in places.iter().enumerate() {
            // The first marked symbol is the label's high bit, the second its low bit.
            symbols[place.sample(&mut rng)] = X + ((label >> (1 - k)) & 1);
        }
        for (step, &symbol) in sequence.chunks_exact_mut(ORDER_SYMBOLS).zip(&symbols) {
            step[symbol] = 1.0;
        }
        y.push(label);
    }
    Samples { features, x, y }
}
