//! A run's parts from its configuration: the seeded random streams and the network.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::config::Config;
use super::data::{Dataset, Samples};
use super::network::{Architecture, Network};

/// Stream of the ChaCha generator used for the weights; the data order uses another.
pub(super) const WEIGHT_STREAM: u64 = 1;
pub(super) const ORDER_STREAM: u64 = 2;

pub(super) fn seeded(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

pub(super) fn build_network(config: &Config, data: &Dataset) -> Network<f32> {
    let arch = Architecture {
        inputs: data.train.features,
        classes: data.classes,
        depth: config.depth,
        width: config.width,
        activation: config.activation,
        init: config.init,
        batch_norm: config.batch_norm,
    };
    Network::new(arch, &mut seeded(config.init_seed, WEIGHT_STREAM))
}

pub(super) fn empty_dataset() -> Dataset {
    let empty = Samples {
        features: 0,
        x: Vec::new(),
        y: Vec::new(),
    };
    Dataset {
        kind: super::data::DatasetKind::Digits,
        classes: 0,
        train: empty.clone(),
        val: empty,
    }
}
