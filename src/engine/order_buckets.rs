//! Counting a layer's values into histogram bins and finding their percentiles in two passes
//! over them and no sort.
//!
//! The first pass drops every f32 into one of 16 384 *order buckets* — its sign, exponent and
//! top five mantissa bits, each bucket a thirty-second of an octave — a 64 KB table of which a
//! layer touches a few hundred entries. Most buckets then lie wholly inside one histogram bin: their counts go to that
//! bin as they are. The buckets that need their values one by one are few: those an edge of a
//! bin cuts through, those holding a wanted rank (a percentile's order statistics), and the
//! two around zero when subnormal values share them with the zeros. The second pass gathers
//! just those buckets' values; each is binned exactly, and each rank is selected among its own
//! bucket's values alone. About two table look-ups per value, where binning each value and
//! sorting them all cost 25–35 ns per value.

use super::bucket_passes::{first_pass, second_pass};
pub use super::bucket_view::View;
use super::bucket_view::{table_of, whole_of, Class, WholeTables};
use super::order_statistics::{select, Ranks};

/// Bits of the order key below the bucket: 32 − 18 = 14 bits of bucket (sign, 8 of exponent,
/// 5 of mantissa). Finer buckets than a sixteenth of an octave halve the values pass 2
/// gathers, for twice the (mostly empty) buckets to look through: in the browser, equal for a
/// ReLU network's layers, a third faster for a tanh network's.
pub(super) const SHIFT: u32 = 18;
pub(super) const BUCKETS: usize = 1 << (32 - SHIFT);
/// No gathered list for this bucket.
pub(super) const NONE: u16 = u16::MAX;

/// The f32's bits reordered so that ascending integers are ascending floats:
/// −NaN < −∞ < … < −0 < +0 < … < +∞ < +NaN. A negative float's bits all flip; a positive
/// one's sign bit is set.
#[inline(always)]
pub(super) const fn order_key(x: f32) -> u32 {
    let bits = x.to_bits();
    let mask = ((bits as i32 >> 31) as u32) | 1 << 31;
    bits ^ mask
}

fn from_order_key(key: u32) -> f32 {
    f32::from_bits(if key >> 31 == 1 { key ^ 1 << 31 } else { !key })
}

#[inline(always)]
pub(super) const fn bucket(x: f32) -> usize {
    (order_key(x) >> SHIFT) as usize & (BUCKETS - 1)
}

/// The buckets of −∞ and +∞: they hold nothing else once NaN is left out (NaN lie beyond
/// them, and in them too by their payload).
pub(super) const INF_BUCKETS: [usize; 2] = [bucket(f32::NEG_INFINITY), bucket(f32::INFINITY)];
/// The buckets of −0 and +0, which also hold the subnormals nearest them.
pub(super) const ZERO_BUCKETS: [usize; 2] = [bucket(-0.0), bucket(0.0)];

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
/// fresh 96 KB each time cost more than counting a small layer's values. Between calls every
/// count is 0 and every slot [`NONE`]; each call puts back what it changed.
/// Arrays of exactly [`BUCKETS`], so that a bucket number (14 bits) needs no bounds check.
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

/// The passes and steps are functions of their own, never inlined, so that a profile (of the
/// browser's too) names each.
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
    let (nans, zeros) = first_pass(per_bucket, values);
    let mut plan = Plan::new(views, nans, values.len());
    plan.settle_buckets(per_bucket, slot, &tables, views, zeros);
    let mut buffer = vec![0f32; plan.len];
    if plan.len > 0 {
        second_pass(values, slot, &plan.gathered, &mut buffer);
    }
    plan.finish(&mut buffer, slot, views)
}

/// A bucket whose values pass 2 gathers.
pub(super) struct Gathered {
    bucket: usize,
    /// The rank of its smallest value.
    first: usize,
    /// The views that must bin its values one by one, a bit each.
    bin_each: u32,
    /// Where its values start in the buffer of gathered values.
    pub(super) from: usize,
}

/// What the bucket counts settle before pass 2, and the counts so far.
struct Plan {
    out: Vec<Counted>,
    ranks: Ranks,
    gathered: Vec<Gathered>,
    /// The values gathered, all buckets together.
    len: usize,
    /// Order statistics known without gathering (a bucket of ±∞, or of zeros alone).
    known: Vec<(usize, f32)>,
}

impl Plan {
    /// For `n` values, `nans` of them NaN.
    fn new(views: &[View], nans: u64, n: usize) -> Plan {
        let out = views
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
        Plan {
            out,
            ranks: Ranks::new(n - nans as usize),
            gathered: Vec::new(),
            len: 0,
            known: Vec::new(),
        }
    }

    /// Every bucket from pass 1, in order: counted whole into the views' bins, or gathered (its
    /// slot set) for pass 2. Leaves every count 0 again.
    #[inline(never)]
    fn settle_buckets(
        &mut self,
        per_bucket: &mut [u32; BUCKETS],
        slot: &mut [u16; BUCKETS],
        tables: &[&[u8; BUCKETS]],
        views: &[View],
        zeros: u64,
    ) {
        let only_zeros = ZERO_BUCKETS
            .iter()
            .map(|&b| per_bucket[b] as u64)
            .sum::<u64>()
            == zeros;
        let special = |b: usize| INF_BUCKETS.contains(&b) || ZERO_BUCKETS.contains(&b);
        let wanted = self.ranks.wanted().to_vec();
        // The first wanted rank not below `before`.
        let mut next_rank = 0;
        let mut before = 0usize;
        // Nearly every bucket is empty: 16 at a time are skipped with one (vectorised) test.
        for (chunk_at, chunk) in per_bucket.chunks_exact_mut(16).enumerate() {
            if all_zero(chunk) {
                continue;
            }
            for (k, count) in chunk.iter_mut().enumerate() {
                let c = std::mem::take(count) as usize;
                if c == 0 {
                    continue;
                }
                let b = chunk_at * 16 + k;
                let end = before + c;
                let first_rank = next_rank;
                while wanted.get(next_rank).is_some_and(|&r| r < end) {
                    next_rank += 1;
                }
                let holds_rank = next_rank > first_rank;
                let bin_each = if special(b) {
                    self.settle_special(b, c, before, views, only_zeros)
                } else {
                    // The common bucket: each view's table says where it all goes.
                    let mut bin_each = 0u32;
                    for (i, (o, table)) in self.out.iter_mut().zip(tables).enumerate() {
                        let byte = table[b];
                        if let Some(n) = o.bins.get_mut(byte as usize) {
                            *n += c as u64;
                        } else {
                            match whole_of(byte) {
                                Some(class) => o.add(class, c as u64),
                                None => bin_each |= 1 << i,
                            }
                        }
                    }
                    (bin_each != 0 || holds_rank).then_some(bin_each)
                };
                if let Some(bin_each) = bin_each {
                    slot[b] = self.gathered.len() as u16;
                    self.gathered.push(Gathered {
                        bucket: b,
                        first: before,
                        bin_each,
                        from: self.len,
                    });
                    self.len += c;
                }
                before = end;
            }
        }
    }

    /// A bucket of ±∞ or of ±0 (and subnormals), its `c` values from rank `before` on: counted
    /// whole when it holds one value alone, its order statistics known; else, the views that
    /// must bin its values one by one, for pass 2 to gather.
    #[cold]
    fn settle_special(
        &mut self,
        b: usize,
        c: usize,
        before: usize,
        views: &[View],
        only_zeros: bool,
    ) -> Option<u32> {
        let wanted = self.ranks.within(before, before + c);
        if ZERO_BUCKETS.contains(&b) && !only_zeros {
            // Zeros beside subnormals: every view bins them one by one.
            return Some((1u32 << views.len()) - 1);
        }
        // The one value: the end of the bucket's span nearer to +0 (the lowest key of a
        // positive bucket, the highest of a negative one).
        let (lo, hi) = span(b);
        let v = if b >= BUCKETS / 2 { lo } else { hi };
        for (view, o) in views.iter().zip(&mut self.out) {
            o.add(view.class(view.image(v)), c as u64);
        }
        self.known.extend(wanted.map(|r| (r, v)));
        None
    }

    /// With the gathered values (each bucket's together): what they add to the views' bins,
    /// and the order statistics they hold; then the percentiles. Every slot is [`NONE`] again.
    #[inline(never)]
    fn finish(
        mut self,
        buffer: &mut [f32],
        slot: &mut [u16; BUCKETS],
        views: &[View],
    ) -> Vec<Counted> {
        for (k, g) in self.gathered.iter().enumerate() {
            slot[g.bucket] = NONE;
            let to = self.gathered.get(k + 1).map_or(self.len, |next| next.from);
            let v = &mut buffer[g.from..to];
            for (i, (view, o)) in views.iter().zip(&mut self.out).enumerate() {
                if g.bin_each & 1 << i == 0 {
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
                    Some(_) => {
                        for &x in v.iter() {
                            o.add(view.class(view.image(x)), 1);
                        }
                    }
                }
            }
            let wanted: Vec<usize> = self.ranks.within(g.first, g.first + v.len()).collect();
            select(v, SHIFT, &wanted, g.first, &mut self.known);
        }
        for (view, o) in views.iter().zip(&mut self.out) {
            let images: Vec<(usize, f32)> = self
                .known
                .iter()
                .map(|&(r, x)| (r, view.image(x)))
                .collect();
            o.percentiles = self.ranks.percentiles(&images);
        }
        self.out
    }
}

/// Whether 16 counts are all 0. In the browser, with WebAssembly's vector instructions (the
/// compiler does not vectorise this test on its own there, and it runs for every bucket on
/// every call: the fixed cost of a small layer's histogram).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn all_zero(c: &[u32]) -> bool {
    use std::arch::wasm32::{u32x4, v128_any_true, v128_or};
    let q = |k: usize| u32x4(c[k], c[k + 1], c[k + 2], c[k + 3]);
    !v128_any_true(v128_or(v128_or(q(0), q(4)), v128_or(q(8), q(12))))
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn all_zero(c: &[u32]) -> bool {
    c.iter().fold(0, |a, &c| a | c) == 0
}
