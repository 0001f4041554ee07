//! One Dense layer's five distributions for an epoch: what its units output and take in on
//! the validation set, the δ and the kernel gradient of the epoch's last step, and the kernel.

use super::activation::Activation;
use super::histogram::{Bins, Histogram, RANGE_BINS};

/// The quantities, by their names in the JSON export and in `?dist=`.
pub const QUANTITIES: [&str; 5] = ["activation", "preactivation", "delta", "weight", "gradient"];

#[derive(Clone, Debug, PartialEq)]
pub struct LayerHistograms {
    /// f(z) over every validation sample and unit (the logits, for the output layer).
    pub activation: Histogram,
    /// z, the activation's input (after batch norm when it comes before), likewise.
    pub preactivation: Histogram,
    /// δ = ∂L/∂z over the batch and units of the epoch's last step; None when the run
    /// diverged before its last step, or for a recurrent cell (its δ is per time step).
    pub delta: Option<Histogram>,
    /// The kernel's weights at the end of the epoch.
    pub weight: Histogram,
    /// The kernel's gradient ∂L/∂W of the epoch's last step, before clipping.
    pub gradient: Option<Histogram>,
}

impl LayerHistograms {
    /// A quantity by its name in [`QUANTITIES`].
    pub fn get(&self, quantity: &str) -> Option<&Histogram> {
        match quantity {
            "activation" => Some(&self.activation),
            "preactivation" => Some(&self.preactivation),
            "delta" => self.delta.as_ref(),
            "weight" => Some(&self.weight),
            "gradient" => self.gradient.as_ref(),
            _ => None,
        }
    }

    /// `{"activation": {edges, counts, …}, …}`: every quantity in its documented form
    /// (`null` where not measured).
    pub fn json(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        for q in QUANTITIES {
            let value = self.get(q).map_or(serde_json::Value::Null, Histogram::json);
            map.insert(q.into(), value);
        }
        serde_json::Value::Object(map)
    }
}

/// The bins of a layer's activations: a bounded activation's own range (sigmoid [0, 1],
/// tanh [−1, 1]); decades for the others (ReLU's zeros are counted apart, its negative half
/// stays empty) and for the logits (`None`).
pub fn activation_bins(f: Option<Activation>) -> Bins {
    match f {
        Some(Activation::Sigmoid) => Bins::Range {
            lo: 0.0,
            hi: 1.0,
            n: RANGE_BINS,
        },
        Some(Activation::Tanh) => Bins::Range {
            lo: -1.0,
            hi: 1.0,
            n: RANGE_BINS,
        },
        _ => Bins::SignedLog,
    }
}

/// The histograms as a record keeps them and as they travel from the worker to the page: one
/// flat list of numbers, so that both ends reuse the code that moves any `Vec<f64>` (a
/// derived form of these structs cost the page and the worker about 15 KB gzipped between
/// them), and a long run's records stay small. Per quantity, in
/// [`QUANTITIES`] order: `-1` when not measured, else the bins (`0` for signed decades,
/// `1, lo, hi, n` for a range), the first kept bin, how many numbers the counts take, the
/// counts — a run of k empty bins written as `-k` (a weight's two signed halves leave the tiny
/// decades between them empty) — zeros, NaN, ±∞, and the nine percentiles (NaN where
/// undefined).
pub mod flat {
    use super::LayerHistograms;
    use crate::engine::histogram::{Bins, Histogram, PERCENTILES};

    pub fn encode(h: &LayerHistograms) -> Vec<f64> {
        let mut out = Vec::new();
        let all = [
            Some(&h.activation),
            Some(&h.preactivation),
            h.delta.as_ref(),
            Some(&h.weight),
            h.gradient.as_ref(),
        ];
        for q in all {
            let Some(q) = q else {
                out.push(-1.0);
                continue;
            };
            match q.bins {
                Bins::SignedLog => out.push(0.0),
                Bins::Range { lo, hi, n } => out.extend([1.0, lo, hi, n as f64]),
            }
            let counts = runs_of_empty_bins(&q.counts);
            out.extend([q.first as f64, counts.len() as f64]);
            out.extend(counts);
            out.extend([q.zeros as f64, q.nans as f64, q.infs as f64]);
            out.extend(q.percentiles.iter().map(|p| p.unwrap_or(f64::NAN)));
        }
        out
    }

    /// The histograms back, or None when the list is not one [`encode`] wrote.
    pub fn decode(v: &[f64]) -> Option<LayerHistograms> {
        let mut it = v.iter().copied();
        let mut next = || it.next();
        let mut read = || -> Option<Option<Histogram>> {
            let bins = match next()? {
                -1.0 => return Some(None),
                0.0 => Bins::SignedLog,
                1.0 => {
                    let (lo, hi, n) = (next()?, next()?, next()?);
                    // A range must have bins to count into (bounded, so a bad list cannot
                    // ask for a huge allocation).
                    if !(lo < hi && (1.0..=1000.0).contains(&n)) {
                        return None;
                    }
                    Bins::Range {
                        lo,
                        hi,
                        n: n as usize,
                    }
                }
                _ => return None,
            };
            let (first, len) = (next()? as usize, next()? as usize);
            if first > bins.count() {
                return None;
            }
            let mut counts = Vec::new();
            for _ in 0..len {
                let c = next()?;
                let (count, times) = if c >= 0.0 { (c as u64, 1.0) } else { (0, -c) };
                // Checked before it grows: a bad list cannot ask for a huge allocation.
                let room = (bins.count() - first - counts.len()) as f64;
                if times.is_nan() || times > room {
                    return None;
                }
                counts.resize(counts.len() + times as usize, count);
            }
            let (zeros, nans, infs) = (next()? as u64, next()? as u64, next()? as u64);
            let percentiles = (0..PERCENTILES.len())
                .map(|_| next().map(|p| (!p.is_nan()).then_some(p)))
                .collect::<Option<_>>()?;
            Some(Some(Histogram {
                bins,
                first,
                counts,
                zeros,
                nans,
                infs,
                percentiles,
            }))
        };
        let h = LayerHistograms {
            activation: read()??,
            preactivation: read()??,
            delta: read()?,
            weight: read()??,
            gradient: read()?,
        };
        Some(h)
    }

    /// The counts with each run of empty bins as one negative number, -(its length).
    fn runs_of_empty_bins(counts: &[u64]) -> Vec<f64> {
        let mut out: Vec<f64> = Vec::with_capacity(counts.len());
        for &c in counts {
            match out.last_mut() {
                Some(run) if c == 0 && *run < 0.0 => *run -= 1.0,
                _ if c == 0 => out.push(-1.0),
                _ => out.push(c as f64),
            }
        }
        out
    }
}
