//! Counting a layer's values into histogram bins and finding their percentiles in two passes
//! over them and no sort.
//!
//! The first pass drops every f32 into one of 8 192 *order buckets* — its sign, exponent and
//! top four mantissa bits, each bucket a sixteenth of an octave — a 32 KB table that stays in
//! the cache. Most buckets then lie wholly inside one histogram bin: their counts go to that
//! bin as they are. The buckets that need their values one by one are few: those an edge of a
//! bin cuts through, those holding a wanted rank (a percentile's order statistics), and the
//! two around zero when subnormal values share them with the zeros. The second pass gathers
//! just those buckets' values; each is binned exactly, and each rank is selected among its own
//! bucket's values alone. About two table look-ups per value, where binning each value and
//! sorting them all cost 25–35 ns per value.

pub use super::bucket_view::View;
use super::bucket_view::{table_of, whole_of, Class, WholeTables};
use super::order_statistics::{select, Ranks};

/// Bits of the order key below the bucket: 32 − 19 = 13 bits of bucket (sign, 8 of exponent,
/// 4 of mantissa).
const SHIFT: u32 = 19;
pub(super) const BUCKETS: usize = 1 << (32 - SHIFT);
/// No gathered list for this bucket.
const NONE: u16 = u16::MAX;

/// The f32's bits reordered so that ascending integers are ascending floats:
/// −NaN < −∞ < … < −0 < +0 < … < +∞ < +NaN. A negative float's bits all flip; a positive
/// one's sign bit is set.
#[inline(always)]
pub(super) fn order_key(x: f32) -> u32 {
    let bits = x.to_bits();
    let mask = ((bits as i32 >> 31) as u32) | 1 << 31;
    bits ^ mask
}

fn from_order_key(key: u32) -> f32 {
    f32::from_bits(if key >> 31 == 1 { key ^ 1 << 31 } else { !key })
}

#[inline(always)]
fn bucket(x: f32) -> usize {
    (order_key(x) >> SHIFT) as usize & (BUCKETS - 1)
}

/// The smallest and the largest f32 of bucket `b` (one exponent, so never across a power of 2).
pub(super) fn span(b: usize) -> (f32, f32) {
    let first = (b as u32) << SHIFT;
    (
        from_order_key(first),
        from_order_key(first | ((1 << SHIFT) - 1)),
    )
}

/// What [`count`] finds for one view.
pub struct Counted {
    /// Every bin's count (values other than zeros, NaN and ±∞).
    pub bins: Vec<u64>,
    pub zeros: u64,
    pub nans: u64,
    pub infs: u64,
    /// [`super::histogram::PERCENTILES`] of the values other than NaN (±∞ included),
    /// interpolated linearly between order statistics as numpy's `nanpercentile` does; None
    /// where undefined (no values, or ∞ − ∞).
    pub percentiles: Vec<Option<f64>>,
}

impl Counted {
    fn add(&mut self, class: Class, n: u64) {
        match class {
            Class::Bin(i) => self.bins[i] += n,
            Class::Zero => self.zeros += n,
            Class::Nan => self.nans += n,
            Class::Inf => self.infs += n,
        }
    }
}

/// The two bucket tables, kept between calls (a layer's five histograms, every epoch): a
/// fresh 48 KB each time cost more than counting a small layer's values. Between calls every
/// count is 0 and every slot [`NONE`]; each call puts back what it changed.
/// Arrays of exactly [`BUCKETS`], so that a bucket number (13 bits) needs no bounds check.
struct Tables {
    per_bucket: Box<[u32; BUCKETS]>,
    slot: Box<[u16; BUCKETS]>,
    whole: WholeTables,
}

thread_local! {
    static TABLES: std::cell::RefCell<Option<Tables>> = const { std::cell::RefCell::new(None) };
}

/// Each view of `values` counted into its bins, with zeros, NaN and ±∞ apart, and its
/// percentiles: two passes over the values for all the views together.
pub fn count(values: &[f32], views: &[View]) -> Vec<Counted> {
    TABLES.with_borrow_mut(|t| {
        let t = t.get_or_insert_with(|| Tables {
            per_bucket: Box::new([0; BUCKETS]),
            slot: Box::new([NONE; BUCKETS]),
            whole: WholeTables::default(),
        });
        count_with(t, values, views)
    })
}

fn count_with(t: &mut Tables, values: &[f32], views: &[View]) -> Vec<Counted> {
    // Every view's whole-bucket table: kept, or (past the kept ones) worked out for this call.
    let found: Vec<Result<usize, Box<[u8; BUCKETS]>>> = views
        .iter()
        .map(|v| t.whole.index(v).ok_or_else(|| table_of(v)))
        .collect();
    let Tables {
        per_bucket,
        slot,
        whole,
    } = t;
    let tables: Vec<&[u8; BUCKETS]> = found
        .iter()
        .map(|f| f.as_ref().map_or_else(|t| &**t, |&i| whole.get(i)))
        .collect();
    // Pass 1: every value's bucket.
    let (nans, zeros) = first_pass(per_bucket, values);
    let mut out: Vec<Counted> = views
        .iter()
        .map(|v| {
            debug_assert!(v.image(f32::NAN).is_nan(), "f(NaN) must be NaN");
            Counted {
                bins: vec![0; v.bins.count()],
                zeros: 0,
                nans,
                infs: 0,
                percentiles: Vec::new(),
            }
        })
        .collect();
    // The buckets of ±∞ hold nothing else once NaN is left out; those of ±0 may also hold
    // subnormals, whose sixteenth of an octave starts at 0.
    let inf_buckets = [bucket(f32::NEG_INFINITY), bucket(f32::INFINITY)];
    let zero_buckets = [bucket(-0.0), bucket(0.0)];
    let only_zeros = zero_buckets
        .iter()
        .map(|&b| per_bucket[b] as u64)
        .sum::<u64>()
        == zeros;
    let ranks = Ranks::new(values.len() - nans as usize);

    // Per gathered bucket: the bucket, the rank its values start at, which views must bin its
    // values one by one (a bit each), and where its values go in `buffer`.
    let mut gathered: Vec<(usize, usize, u32, usize)> = Vec::new();
    let mut buffer_len = 0;
    // Order statistics known without gathering (a bucket of ±∞, or of zeros alone).
    let mut known: Vec<(usize, f32)> = Vec::new();
    let mut before = 0usize;
    // Nearly every bucket is empty: 16 at a time are skipped with one (vectorised) test.
    for (chunk_at, chunk) in per_bucket.chunks_exact_mut(16).enumerate() {
        if chunk.iter().fold(0, |a, &c| a | c) == 0 {
            continue;
        }
        for (k, count) in chunk.iter_mut().enumerate() {
            let c = std::mem::take(count) as usize;
            if c == 0 {
                continue;
            }
            let b = chunk_at * 16 + k;
            // The one value of a bucket of ±∞, or of zeros alone: the end of its span nearer
            // to +0 (the lowest key of a positive bucket, the highest of a negative one).
            let uniform = (inf_buckets.contains(&b) || only_zeros && zero_buckets.contains(&b))
                .then(|| {
                    let (lo, hi) = span(b);
                    if b >= BUCKETS / 2 {
                        lo
                    } else {
                        hi
                    }
                });
            let mut bin_each = 0u32;
            for (i, ((view, o), table)) in views.iter().zip(&mut out).zip(&tables).enumerate() {
                let whole = match uniform {
                    Some(v) => Some(view.class(view.image(v))),
                    None if zero_buckets.contains(&b) => None,
                    None => whole_of(table[b]),
                };
                match whole {
                    Some(class) => o.add(class, c as u64),
                    None => bin_each |= 1 << i,
                }
            }
            let mut wanted = ranks.within(before, before + c);
            match uniform {
                Some(v) => known.extend(wanted.map(|r| (r, v))),
                None if bin_each != 0 || wanted.next().is_some() => {
                    slot[b] = gathered.len() as u16;
                    gathered.push((b, before, bin_each, buffer_len));
                    buffer_len += c;
                }
                None => {}
            }
            before += c;
        }
    }
    // Pass 2: the gathered buckets' values, each bucket's together (NaN's buckets are never
    // gathered).
    let mut buffer = vec![0f32; buffer_len];
    if buffer_len > 0 {
        let mut next: Vec<usize> = gathered.iter().map(|g| g.3).collect();
        // Likewise a plain borrow of the slots (stores into `buffer` might otherwise move them).
        let slot: &[u16; BUCKETS] = slot;
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
    for (k, &(b, first, bin_each, from)) in gathered.iter().enumerate() {
        slot[b] = NONE;
        let to = gathered.get(k + 1).map_or(buffer_len, |g| g.3);
        let v = &mut buffer[from..to];
        for (i, (view, o)) in views.iter().zip(&mut out).enumerate() {
            if bin_each & 1 << i == 0 {
                continue;
            }
            // A gathered value is finite and not NaN: as itself, a zero or in a bin.
            match view.map {
                None => {
                    for &x in v.iter() {
                        if x == 0.0 {
                            o.zeros += 1;
                        } else {
                            o.bins[view.bin(x as f64)] += 1;
                        }
                    }
                }
                Some(f) => {
                    for &x in v.iter() {
                        o.add(view.class(f.apply(x)), 1);
                    }
                }
            }
        }
        let wanted: Vec<usize> = ranks.within(first, first + v.len()).collect();
        select(v, SHIFT, &wanted, first, &mut known);
    }
    for (view, o) in views.iter().zip(&mut out) {
        let images: Vec<(usize, f32)> = known.iter().map(|&(r, x)| (r, view.image(x))).collect();
        o.percentiles = ranks.percentiles(&images);
    }
    out
}

/// Pass 1: every value's bucket (NaN in none); returns (NaN, zeros).
fn first_pass(counts: &mut [u32; BUCKETS], values: &[f32]) -> (u64, u64) {
    // Zeros and NaN first, on their own: four lanes at a time (vectorised), in u32 lanes
    // that a block of 2^16 values cannot overflow.
    let (mut zeros, mut nans) = (0u64, 0u64);
    for block in values.chunks(1 << 16) {
        let (mut z, mut n) = ([0u32; 4], [0u32; 4]);
        let quads = block.chunks_exact(4);
        for &x in quads.remainder() {
            zeros += (x == 0.0) as u64;
            nans += x.is_nan() as u64;
        }
        for q in quads {
            for k in 0..4 {
                z[k] += (q[k] == 0.0) as u32;
                n[k] += q[k].is_nan() as u32;
            }
        }
        zeros += z.iter().map(|&c| c as u64).sum::<u64>();
        nans += n.iter().map(|&c| c as u64).sum::<u64>();
    }
    if nans == 0 {
        each_with_bucket(values, |_, b| counts[b] += 1);
    } else {
        // A NaN may share a bucket with ±∞ (by its payload): left out one by one.
        for &x in values {
            if !x.is_nan() {
                counts[bucket(x)] += 1;
            }
        }
    }
    (nans, zeros)
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
