//! A run's parts from its configuration: the seeded random streams and the network.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::config::Config;
use super::data::{Dataset, Samples};
use super::model::{Model, ModelKind};
use super::network::{Architecture, Network};
use super::recurrent::{CellKind, RnnArchitecture, RnnNetwork};

/// Stream of the ChaCha generator used for the weights; the data order uses another.
pub(super) const WEIGHT_STREAM: u64 = 1;
pub(super) const ORDER_STREAM: u64 = 2;

pub(super) fn seeded(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

pub(super) fn build_network(config: &Config, data: &Dataset) -> Model<f32> {
    let mut rng = seeded(config.init_seed, WEIGHT_STREAM);
    if config.model.is_recurrent() {
        let arch = RnnArchitecture {
            cell: if config.model == ModelKind::Lstm {
                CellKind::Lstm
            } else {
                CellKind::Simple
            },
            inputs: data.kind.step_inputs().max(1),
            classes: data.classes,
            units: config.width,
            activation: config.activation,
            init: config.init,
            recurrent_init: config.recurrent_init,
            recurrent_gain: config.recurrent_gain,
        };
        return Model::Rnn(RnnNetwork::new(arch, &mut rng));
    }
    let arch = Architecture {
        inputs: data.train.features,
        classes: data.classes,
        depth: config.depth,
        width: config.width,
        activation: config.activation,
        init: config.init,
        batch_norm: config.batch_norm,
    };
    Model::Mlp(Network::new(arch, &mut rng))
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
