//! `--dump-weights`: the first step it writes is the trainer's own first training step.

use gradscope::engine::config::Config;
use gradscope::engine::network::BatchNormPlacement;
use gradscope::engine::trainer::Trainer;
use gradscope::first_step::first_step;

#[test]
fn the_dumped_batch_is_the_trainers_first_training_batch_and_the_weights_its_initial_ones() {
    let config = Config {
        depth: 2,
        width: 8,
        batch_size: 20,
        seed: 5,
        init_seed: 6,
        batch_norm: BatchNormPlacement::Before,
        ..Config::default()
    };
    let step = first_step(&config).unwrap();
    let mut trainer = Trainer::new(config.clone()).unwrap();
    let kernel = trainer.network().unwrap().dense(1).kernel.value.clone();
    trainer.run_epoch();
    trainer.step();
    assert_eq!(step.epoch, 1);
    assert_eq!(step.indices, trainer.data_order()[..20].to_vec());
    let train = &trainer.dataset().train;
    for (row, &i) in step.x.iter().zip(&step.indices) {
        assert_eq!(row.as_slice(), &train.x[i * 64..(i + 1) * 64]);
    }
    let labels: Vec<usize> = step.indices.iter().map(|&i| train.y[i]).collect();
    assert_eq!(step.y, labels);
    let dumped: Vec<f32> = step.layers[1].kernel.concat();
    assert_eq!(dumped, kernel, "row-major (in, out), as initialized");
    // Another weights' seed changes the weights, not the batch.
    let other = first_step(&Config {
        init_seed: 7,
        ..config
    })
    .unwrap();
    assert_eq!(other.indices, step.indices);
    assert_ne!(other.layers[1].kernel, step.layers[1].kernel);
}
