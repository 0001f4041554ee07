//! The two passes over a layer's values that [`super::order_buckets`] makes: every value's
//! order bucket counted, then the values of the few buckets that need them one by one
//! gathered. Each works out the buckets four values at a time.

use super::order_buckets::{bucket, Gathered, BUCKETS, INF_BUCKETS, NONE, ZERO_BUCKETS};

/// Pass 1: every value's bucket (NaN in none); returns (NaN, zeros).
#[inline(never)]
pub(super) fn first_pass(counts: &mut [u32; BUCKETS], values: &[f32]) -> (u64, u64) {
    each_with_bucket(values, |_, b| counts[b] += 1);
    // NaN can only be in the buckets beyond ±∞ (and in those of ±∞, by its payload); zeros
    // only in the two around 0. Only when those hold something are the values read again.
    let [minus_inf, plus_inf] = INF_BUCKETS;
    let maybe_nan = counts[..=minus_inf]
        .iter()
        .chain(&counts[plus_inf..])
        .any(|&c| c > 0);
    let maybe_zero = ZERO_BUCKETS.iter().any(|&b| counts[b] > 0);
    if !(maybe_nan || maybe_zero) {
        return (0, 0);
    }
    let (nans, zeros) = nans_and_zeros(values);
    if nans > 0 {
        // Counted again without them.
        counts.fill(0);
        for &x in values {
            if !x.is_nan() {
                counts[bucket(x)] += 1;
            }
        }
    }
    (nans, zeros)
}

/// Pass 2: the gathered buckets' values into `buffer`, each bucket's together (NaN's buckets
/// are never gathered).
#[inline(never)]
pub(super) fn second_pass(
    values: &[f32],
    slot: &[u16; BUCKETS],
    gathered: &[Gathered],
    buffer: &mut [f32],
) {
    let mut next: Vec<usize> = gathered.iter().map(|g| g.from).collect();
    each_with_bucket(values, |x, b| {
        let s = slot[b];
        if s != NONE {
            if let Some(at) = next.get_mut(s as usize) {
                buffer[*at] = x;
                *at += 1;
            }
        }
    });
}

/// How many values are NaN, and how many ±0 (loops the compiler vectorises).
fn nans_and_zeros(values: &[f32]) -> (u64, u64) {
    let nans = values.iter().filter(|x| x.is_nan()).count();
    let zeros = values.iter().filter(|&&x| x == 0.0).count();
    (nans as u64, zeros as u64)
}

/// `f(x, bucket of x)` for every value. The buckets are worked out four at a time, in one
/// vector where the target has them: in the browser this about halved each pass.
#[inline(always)]
fn each_with_bucket(values: &[f32], mut f: impl FnMut(f32, usize)) {
    let quads = values.chunks_exact(4);
    for &x in quads.remainder() {
        f(x, bucket(x));
    }
    for q in quads {
        let b: [usize; 4] = std::array::from_fn(|k| bucket(q[k]));
        for k in 0..4 {
            f(q[k], b[k]);
        }
    }
}
