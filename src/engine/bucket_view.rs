//! One histogram's view of a layer's values (the values themselves, or their images under an
//! activation), and per order bucket whether the view sends the whole bucket into one bin.

use super::activation::Activation;
use super::histogram::{bin_of, Bins};
use super::order_buckets::{span, BUCKETS};

/// One histogram the values make: the values themselves (`map` None), or their images under an
/// activation f, which never decreases and sends NaN to NaN — a layer's activation outputs from its inputs, which
/// then cost no pass of their own: in the inputs' order, f's values keep their order, so a
/// bucket whose two ends f sends into one bin sends its every value there, and f of the
/// inputs' k-th smallest is the outputs' k-th smallest.
pub struct View {
    pub map: Option<Activation>,
    pub bins: Bins,
    edges: Vec<f64>,
}

impl View {
    pub fn new(map: Option<Activation>, bins: Bins) -> View {
        View {
            map,
            bins,
            edges: bins.edges(),
        }
    }

    #[inline(always)]
    pub(super) fn bin(&self, y: f64) -> usize {
        bin_of(&self.edges, self.bins.guess(y), y)
    }

    /// (Not inlined: the activations' formulas once, not at every place an image is taken.)
    #[inline(never)]
    pub(super) fn image(&self, x: f32) -> f32 {
        self.map.map_or(x, |f| f.apply(x))
    }

    /// Where a value of the view goes: a bin, or apart (zeros, NaN, ±∞).
    #[inline(never)]
    pub(super) fn class(&self, y: f32) -> Class {
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
    pub(super) fn whole_bucket(&self, lo: f32, hi: f32) -> Option<Class> {
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
pub(super) enum Class {
    Bin(usize),
    Zero,
    Nan,
    Inf,
}

/// A bucket's [`View::whole_bucket`] in one byte: the bin (below [`ZERO`]), or one of these.
const ZERO: u8 = 253;
const INF: u8 = 254;
const GATHER: u8 = 255;
/// At most this many whole-bucket tables are kept (16 KB each).
const WHOLE_TABLES: usize = 16;

/// Per view (its activation and its bins): every bucket's [`View::whole_bucket`], which
/// depends on nothing else, worked out once (16 384 buckets × four look-ups of a bin cost
/// more than counting a small layer's values when repeated for every histogram).
#[derive(Default)]
pub(super) struct WholeTables(Vec<(Option<Activation>, Bins, Box<[u8; BUCKETS]>)>);

impl WholeTables {
    /// The number of the view's kept table, unless [`WHOLE_TABLES`] are kept already (bins
    /// of other ranges than the app's).
    pub(super) fn index(&mut self, view: &View) -> Option<usize> {
        let key = (view.map, view.bins);
        let found = self.0.iter().position(|w| (w.0, w.1) == key);
        if found.is_some() {
            return found;
        }
        if self.0.len() == WHOLE_TABLES {
            return None;
        }
        self.0.push((view.map, view.bins, table_of(view)));
        Some(self.0.len() - 1)
    }

    pub(super) fn get(&self, i: usize) -> &[u8; BUCKETS] {
        &self.0[i].2
    }
}

/// Every bucket's [`View::whole_bucket`], a byte each.
pub(super) fn table_of(view: &View) -> Box<[u8; BUCKETS]> {
    let mut table = Box::new([GATHER; BUCKETS]);
    for (b, t) in table.iter_mut().enumerate() {
        let (lo, hi) = span(b);
        *t = match view.whole_bucket(lo, hi) {
            // (A bin a byte cannot number: its values binned one by one.)
            Some(Class::Bin(i)) if i < ZERO as usize => i as u8,
            Some(Class::Zero) => ZERO,
            Some(Class::Inf) => INF,
            Some(Class::Bin(_) | Class::Nan) | None => GATHER,
        };
    }
    table
}

/// A table's byte back as the bucket's [`View::whole_bucket`].
pub(super) fn whole_of(byte: u8) -> Option<Class> {
    match byte {
        GATHER => None,
        ZERO => Some(Class::Zero),
        INF => Some(Class::Inf),
        i => Some(Class::Bin(i as usize)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_bucket_table_holds_what_the_view_works_out_bucket_by_bucket() {
        let mut t = WholeTables::default();
        for bins in [
            Bins::SignedLog,
            Bins::Range {
                lo: -1.0,
                hi: 1.0,
                n: 20,
            },
            Bins::Range {
                lo: 0.0,
                hi: 1.0,
                n: 20,
            },
        ] {
            let view = View::new(None, bins);
            let i = t.index(&view).expect("a byte numbers these bins");
            let gathered = (0..BUCKETS).filter(|&b| t.get(i)[b] == GATHER).count();
            assert!(
                gathered < BUCKETS / 8,
                "{bins:?}: {gathered} buckets gathered"
            );
            holds_what_the_view_works_out(t.get(i), &view);
        }
        // An activation's table is its own.
        let named = View::new(Some(Activation::Relu), Bins::SignedLog);
        let i = t.index(&named).expect("kept");
        assert_ne!(i, t.index(&View::new(None, Bins::SignedLog)).unwrap());
        holds_what_the_view_works_out(t.get(i), &named);
    }

    fn holds_what_the_view_works_out(table: &[u8; BUCKETS], view: &View) {
        for (b, &byte) in table.iter().enumerate() {
            let (lo, hi) = span(b);
            assert_eq!(whole_of(byte), view.whole_bucket(lo, hi), "bucket {b}");
        }
    }
}
