//! The parameter count the worker sizes its memory by is the network's real one.

use gradscope::engine::config::Config;
use gradscope::engine::data::DatasetKind;
use gradscope::engine::network::BatchNormPlacement;
use gradscope::engine::trainer::Trainer;

#[test]
fn parameter_count_matches_the_built_network() {
    for dataset in [DatasetKind::Digits, DatasetKind::Spiral] {
        for (depth, width) in [(1, 2), (3, 7), (10, 64)] {
            for batch_norm in [
                BatchNormPlacement::None,
                BatchNormPlacement::Before,
                BatchNormPlacement::After,
            ] {
                let config = Config {
                    dataset,
                    depth,
                    width,
                    batch_norm,
                    ..Config::default()
                };
                let mut t = Trainer::new(config.clone()).expect("valid");
                let (inputs, classes) = (t.dataset().train.features, t.dataset().classes);
                let built: usize = t
                    .model_mut()
                    .params_mut()
                    .iter()
                    .map(|p| p.value.len())
                    .sum();
                assert_eq!(
                    config.parameter_count(inputs, classes),
                    built,
                    "{dataset:?} {depth}×{width} {batch_norm:?}"
                );
            }
        }
    }
}
