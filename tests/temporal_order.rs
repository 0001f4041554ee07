//! The temporal-order task (Hochreiter & Schmidhuber 1997): every sequence follows the rules
//! the docs give, its class is the order of its two marked symbols, and what a recurrent network
//! learns of it depends on how far back those symbols lie.

use gradscope::engine::activation::Activation;
use gradscope::engine::config::Config;
use gradscope::engine::data::{
    order_positions, temporal_order, Dataset, DatasetKind, ORDER_SEQUENCES, ORDER_SYMBOLS,
};
use gradscope::engine::init::Initializer;
use gradscope::engine::model::ModelKind;
use gradscope::engine::optim::OptimizerKind;
use gradscope::engine::trainer::Trainer;

const X: usize = 4;
const Y: usize = 5;
const BEGIN: usize = 6;
const END: usize = 7;

/// The symbol at each step of sequence `i`, checking that each step is one-hot.
fn symbols(x: &[f32], features: usize, i: usize) -> Vec<usize> {
    x[i * features..(i + 1) * features]
        .chunks_exact(ORDER_SYMBOLS)
        .map(|step| {
            assert_eq!(step.iter().sum::<f32>(), 1.0, "one-hot");
            step.iter().position(|&v| v == 1.0).unwrap()
        })
        .collect()
}

#[test]
fn the_marked_symbols_sit_where_the_paper_puts_them() {
    assert_eq!(order_positions(100), [(10, 20), (50, 60)]);
    for steps in 8..=400 {
        let [(a_lo, a_hi), (b_lo, b_hi)] = order_positions(steps);
        assert!(1 <= a_lo && a_lo <= a_hi && a_hi < b_lo, "T = {steps}");
        assert!(b_lo <= b_hi && b_hi < steps - 1, "T = {steps}: before E");
    }
}

#[test]
fn each_sequence_is_b_distractors_two_marks_e_and_its_class_is_their_order() {
    for steps in [8, 9, 30, 100, 400] {
        let s = temporal_order(steps);
        assert_eq!(
            (s.len(), s.features),
            (ORDER_SEQUENCES, steps * ORDER_SYMBOLS)
        );
        let [first, second] = order_positions(steps);
        let mut counts = [0usize; 4];
        let mut seen = [vec![false; steps], vec![false; steps]];
        for i in 0..s.len() {
            let seq = symbols(&s.x, s.features, i);
            assert_eq!((seq[0], seq[steps - 1]), (BEGIN, END), "T = {steps}, #{i}");
            let marks: Vec<usize> = (0..steps).filter(|&t| seq[t] == X || seq[t] == Y).collect();
            assert_eq!(marks.len(), 2, "T = {steps}, #{i}: {seq:?}");
            assert!(first.0 <= marks[0] && marks[0] <= first.1);
            assert!(second.0 <= marks[1] && marks[1] <= second.1);
            seen[0][marks[0]] = true;
            seen[1][marks[1]] = true;
            let class = 2 * (seq[marks[0]] - X) + (seq[marks[1]] - X);
            assert_eq!(s.y[i], class, "XX 0, XY 1, YX 2, YY 3");
            counts[class] += 1;
            assert!(
                seq[1..steps - 1].iter().all(|&v| v < BEGIN),
                "no B or E inside"
            );
        }
        assert_eq!(counts, [ORDER_SEQUENCES / 4; 4], "balanced: chance is 25 %");
        // Every allowed place is used (2000 draws over at most 41 places).
        for (k, (lo, hi)) in [first, second].into_iter().enumerate() {
            assert!((lo..=hi).all(|t| seen[k][t]), "T = {steps}, mark {k}");
        }
    }
    assert_eq!(temporal_order(50), temporal_order(50), "the same sequences");
}

#[test]
fn the_distractors_are_uniform() {
    let s = temporal_order(100);
    let mut counts = [0usize; 4];
    for i in 0..s.len() {
        for v in symbols(&s.x, s.features, i) {
            if v < 4 {
                counts[v] += 1;
            }
        }
    }
    let total: usize = counts.iter().sum();
    assert_eq!(total, ORDER_SEQUENCES * 96);
    for c in counts {
        assert!((c as f64 / total as f64 - 0.25).abs() < 0.005, "{counts:?}");
    }
}

fn order_run(model: ModelKind, steps: usize, seed: u64) -> f64 {
    let config = Config {
        model,
        dataset: DatasetKind::TemporalOrder,
        seq_len: steps,
        width: 32,
        activation: Activation::Tanh,
        init: Initializer::GlorotUniform,
        optimizer: OptimizerKind::Adam,
        lr: 0.01,
        epochs: 6,
        seed,
        init_seed: seed,
        ..Config::default()
    };
    let mut t = Trainer::new(config).unwrap();
    while t.run_epoch().is_some() {}
    t.records().last().unwrap().val_accuracy
}

#[test]
fn a_short_order_is_learned_and_a_long_one_stays_at_chance() {
    let d = Dataset::load(DatasetKind::TemporalOrder, 0.0, 10);
    assert_eq!((d.classes, d.train.len(), d.val.len()), (4, 1600, 400));
    for seed in 0..3 {
        // 10 steps: the marks are 1 and 5 steps from the start, 8 and 4 from the end.
        let short = order_run(ModelKind::Rnn, 10, seed);
        assert!(short > 0.9, "seed {seed}: {short}");
        // 100 steps: at least 40 steps back, and the SimpleRNN's gradient fades on the way.
        let long = order_run(ModelKind::Rnn, 100, seed);
        assert!(long < 0.35, "seed {seed}: {long}");
    }
}
