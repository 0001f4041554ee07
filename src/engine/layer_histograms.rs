//! One Dense layer's five distributions for an epoch: what its units output and take in on
//! the validation set, the δ and the kernel gradient of the epoch's last step, and the kernel.

use serde::{Deserialize, Serialize};

use super::activation::Activation;
use super::histogram::{Bins, Histogram, RANGE_BINS};

/// The quantities, by their names in the JSON export and in `?dist=`.
pub const QUANTITIES: [&str; 5] = ["activation", "preactivation", "delta", "weight", "gradient"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
