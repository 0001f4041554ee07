//! The recurrent run's Keras and PyTorch scripts name the recurrent layer, its initializers
//! with the gain, the sequence length and the figures per time step (the Keras one is run
//! against the engine by tools/keras_check.py).

use gradscope::codegen::{keras, pytorch};
use gradscope::engine::activation::Activation;
use gradscope::engine::clip::Clipping;
use gradscope::engine::config::Config;
use gradscope::engine::init::Initializer;
use gradscope::engine::model::ModelKind;
use gradscope::engine::recurrent::RecurrentInit;

fn rnn(f: impl Fn(&mut Config)) -> Config {
    let mut c = Config::default();
    c.switch_model(ModelKind::Rnn);
    c.seq_len = 30;
    f(&mut c);
    c
}

#[test]
fn the_scripts_build_a_simple_rnn_over_the_sequence() {
    let c = rnn(|c| c.recurrent_gain = 0.9);
    let k = keras(&c);
    for want in [
        "STEPS = 30  # time steps per sequence",
        "model.add(keras.Input(shape=(STEPS, INPUTS)))",
        "keras.layers.SimpleRNN",
        "recurrent_initializer=keras.initializers.Orthogonal(gain=0.9)",
        "activation=\"tanh\"",
        "\"time_delta_rms\": [rms(d_z[:, t]) for t in range(STEPS)]",
        "np.concatenate([rows, noise], axis=1)",
        "INPUTS, CLASSES = 8, 10",
    ] {
        assert!(k.contains(want), "keras lacks {want:?}");
    }
    assert!(!k.contains("DEPTH") && !k.contains("BatchNormalization"));
    let p = pytorch(&c);
    for want in [
        "class SimpleRNN(nn.Module):",
        "nn.init.orthogonal_(weight, gain=0.9)",
        "self.f = nn.Tanh()",
        "z = self.input(x[:, t]) + self.recurrent(h)",
        "b_ih + b_hh",
        "\"time_delta_rms\": z.pow(2).mean(dim=(0, 2)).sqrt().tolist()",
    ] {
        assert!(p.contains(want), "pytorch lacks {want:?}");
    }
    assert!(!p.contains("DEPTH"));
}

#[test]
fn every_recurrent_initializer_keeps_its_gain_in_both_scripts() {
    for init in RecurrentInit::all() {
        let c = rnn(|c| {
            c.recurrent_init = init;
            c.recurrent_gain = 2.0;
        });
        let (k, p) = (keras(&c), pytorch(&c));
        let keras_init = match init {
            RecurrentInit::Orthogonal => "Orthogonal(gain=2.0)".to_string(),
            RecurrentInit::Identity => "Identity(gain=2.0)".into(),
            // Variance scales by gain² = 4: Glorot's 1 → 4, He's 2 → 8.
            RecurrentInit::Scaled(Initializer::GlorotUniform) => {
                "scale=4.0, mode=\"fan_avg\", distribution=\"uniform\"".into()
            }
            RecurrentInit::Scaled(Initializer::HeNormal) => {
                "scale=8.0, mode=\"fan_in\", distribution=\"truncated_normal\"".into()
            }
            RecurrentInit::Scaled(Initializer::Large) => {
                "RandomNormal(mean=0.0, stddev=2.0)".into()
            }
            RecurrentInit::Scaled(Initializer::Small) => {
                "RandomNormal(mean=0.0, stddev=0.02)".into()
            }
            RecurrentInit::Scaled(Initializer::Zeros) => "recurrent_initializer=\"zeros\"".into(),
            RecurrentInit::Scaled(_) => "keras.initializers.VarianceScaling(scale=".into(),
        };
        assert!(k.contains(&keras_init), "{}: {keras_init}", init.name());
        assert!(
            p.contains(&format!("'{}' with gain 2.0", init.name())),
            "{}",
            init.name()
        );
    }
}

#[test]
fn leaky_relu_l2_and_clipping_carry_over() {
    let c = rnn(|c| {
        c.activation = Activation::LeakyRelu;
        c.l2 = 0.001;
        c.clipping = Clipping::Norm(0.5);
    });
    let k = keras(&c);
    assert!(k.contains("keras.activations.leaky_relu(z, negative_slope=0.01)"));
    assert!(k.contains("recurrent_regularizer=keras.regularizers.L2(L2)"));
    assert!(k.contains("clipnorm=0.5"));
    let p = pytorch(&c);
    assert!(p.contains("kernels = [rnn.input.weight, rnn.recurrent.weight, output.weight]"));
    assert!(p.contains("nn.LeakyReLU(negative_slope=0.01)"));
    assert!(p.contains("clip_grad_norm_([parameter], max_norm=0.5)"));
}

#[test]
fn the_temporal_order_task_is_generated_by_the_engines_rules() {
    use gradscope::engine::data::DatasetKind;
    let c = rnn(|c| {
        c.dataset = DatasetKind::TemporalOrder;
        c.seq_len = 100;
    });
    for text in [keras(&c), pytorch(&c)] {
        for want in [
            "INPUTS, CLASSES = 8, 4",
            "symbols = rng.integers(0, 4, (n, 100))",
            "symbols[:, 0], symbols[:, -1] = 6, 7",
            // order_positions(100): the first mark in [10, 20], the second in [50, 60].
            "symbols[rows, rng.integers(10, 20 + 1, n)] = 4 + label // 2",
            "symbols[rows, rng.integers(50, 60 + 1, n)] = 4 + label % 2",
            "return split(np.eye(8)[symbols], label)",
        ] {
            assert!(text.contains(want), "lacks {want:?}:\n{text}");
        }
        assert!(!text.contains("load_digits"));
    }
}
