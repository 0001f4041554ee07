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

use super::histogram::{bin_of, Bins};
use super::order_statistics::{select, Ranks};

/// Bits of the order key below the bucket: 32 − 19 = 13 bits of bucket (sign, 8 of exponent,
/// 4 of mantissa).
const SHIFT: u32 = 19;
const BUCKETS: usize = 1 << (32 - SHIFT);
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
fn span(b: usize) -> (f32, f32) {
    let first = (b as u32) << SHIFT;
    (
        from_order_key(first),
        from_order_key(first | ((1 << SHIFT) - 1)),
    )
}

/// One histogram the values make: the values themselves (`map` None), or their images under a
/// non-decreasing f with f(NaN) = NaN — a layer's activation outputs from its inputs, which
/// then cost no pass of their own: in the inputs' order, f's values keep their order, so a
/// bucket whose two ends f sends into one bin sends its every value there, and f of the
/// inputs' k-th smallest is the outputs' k-th smallest.
pub struct View<'a> {
    pub map: Option<&'a dyn Fn(f32) -> f32>,
    pub bins: Bins,
    edges: Vec<f64>,
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

impl<'a> View<'a> {
    pub fn new(map: Option<&'a dyn Fn(f32) -> f32>, bins: Bins) -> View<'a> {
        View {
            map,
            bins,
            edges: bins.edges(),
        }
    }

    #[inline(always)]
    fn bin(&self, y: f64) -> usize {
        bin_of(&self.edges, self.bins.guess(y), y)
    }

    fn image(&self, x: f32) -> f32 {
        self.map.map_or(x, |f| f(x))
    }

    /// Where a value of the view goes: a bin, or apart (zeros, NaN, ±∞).
    #[inline(never)]
    fn class(&self, y: f32) -> Class {
        if y.is_nan() {
            Class::Nan
        } else if y.is_infinite() {
            Class::Inf
        } else if y == 0.0 {
            Class::Zero
        } else {
            Class::Bin(self.bin(y as f64))
        }
    }

    /// Whether every value of the bucket [lo, hi] of non-zero, finite inputs lands where both
    /// ends land, and where that is. Both ends must also keep clear of the bin's edges by a
    /// margin (sixteen f32 steps): an f computed in f32 may fail to be non-decreasing by a
    /// rounding step, and must not carry a value across an edge unseen (for the values
    /// themselves the margin only gathers a few more).
    fn whole_bucket(&self, lo: f32, hi: f32) -> Option<Class> {
        let (a, z) = (self.image(lo), self.image(hi));
        let ca = self.class(a);
        let clear = |y: f32, by: f64| self.class((y as f64 + (y as f64).abs() * by) as f32) == ca;
        let whole = ca == self.class(z)
            && match ca {
                Class::Zero | Class::Inf => true,
                Class::Nan => false,
                Class::Bin(_) => (a > 0.0) == (z > 0.0) && clear(a, -1e-6) && clear(z, 1e-6),
            };
        whole.then_some(ca)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Class {
    Bin(usize),
    Zero,
    Nan,
    Inf,
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
        });
        count_with(t, values, views)
    })
}

fn count_with(t: &mut Tables, values: &[f32], views: &[View]) -> Vec<Counted> {
    let Tables { per_bucket, slot } = t;
    // Pass 1: every value's bucket. NaN (rare: a predictable branch) in none.
    let (mut nans, mut zeros) = (0u64, 0u64);
    for &x in values {
        if x.is_nan() {
            nans += 1;
            continue;
        }
        zeros += (x == 0.0) as u64;
        per_bucket[bucket(x)] += 1;
    }
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
            for (i, (view, o)) in views.iter().zip(&mut out).enumerate() {
                let whole = match uniform {
                    Some(v) => Some(view.class(view.image(v))),
                    None if zero_buckets.contains(&b) => None,
                    None => {
                        let (lo, hi) = span(b);
                        view.whole_bucket(lo, hi)
                    }
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
        for &x in values {
            let s = slot[bucket(x)];
            if s != NONE {
                let at = &mut next[s as usize];
                buffer[*at] = x;
                *at += 1;
            }
        }
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
                        o.add(view.class(f(x)), 1);
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
