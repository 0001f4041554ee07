//! The Keras and PyTorch scripts written from a configuration: each option of each setting
//! maps to the right construct, and the text is well-formed Python (`python_text`). Running
//! the Keras script and checking its numbers against the engine is `tools/keras_check.py`;
//! the form of the scripts is tested in `codegen_text.rs`.

mod python_text;

use gradscope::engine::activation::Activation;
use gradscope::engine::clip::Clipping;
use gradscope::engine::config::Config;
use gradscope::engine::data::DatasetKind;
use gradscope::engine::init::Initializer;
use gradscope::engine::network::BatchNormPlacement;
use gradscope::engine::optim::OptimizerKind;
use python_text::{at, both, code_only, loop_body, small};

#[test]
fn every_activation() {
    for a in Activation::ALL {
        for bn in BatchNormPlacement::ALL {
            let c = Config {
                activation: a,
                batch_norm: bn,
                ..small()
            };
            let (k, p) = both(&c);
            let (kl, pl) = (loop_body(&k), loop_body(&p));
            let torch = match a {
                Activation::Linear => "nn.Identity()",
                Activation::Sigmoid => "nn.Sigmoid()",
                Activation::Tanh => "nn.Tanh()",
                Activation::Relu => "nn.ReLU()",
                Activation::LeakyRelu => "nn.LeakyReLU(negative_slope=0.01)",
                Activation::Elu => "nn.ELU(alpha=1.0)",
                Activation::Selu => "nn.SELU()",
            };
            assert!(pl.contains(torch), "{a:?}: {pl}");
            if a == Activation::LeakyRelu {
                // Keras' string "leaky_relu" has slope 0.2 and its layer 0.3: the slope is given.
                assert!(
                    kl.contains("keras.layers.LeakyReLU(negative_slope=0.01)"),
                    "{kl}"
                );
                assert!(!k.contains("\"leaky_relu\""));
            } else if bn == BatchNormPlacement::Before {
                assert!(
                    kl.contains(&format!("keras.layers.Activation(\"{}\")", a.name())),
                    "{kl}"
                );
                assert!(!kl.contains("activation="), "{kl}");
            } else {
                assert!(
                    kl.contains(&format!("activation=\"{}\"", a.name())),
                    "{a:?}: {kl}"
                );
            }
            // The output layer gives logits whatever the hidden activation.
            let out = &k[at(&k, "# The output layer")..at(&k, "return model")];
            assert!(!out.contains("activation"), "{out}");
        }
    }
}

#[test]
fn every_initializer() {
    for init in Initializer::ALL {
        let (k, p) = both(&Config { init, ..small() });
        let keras_init = match init {
            Initializer::Small => "keras.initializers.RandomNormal(mean=0.0, stddev=0.01)".into(),
            Initializer::Large => "keras.initializers.RandomNormal(mean=0.0, stddev=1.0)".into(),
            other => format!("\"{}\"", other.name()),
        };
        // Every Dense layer, the output layer too, has it.
        assert_eq!(
            k.matches(&format!("kernel_initializer={keras_init}"))
                .count(),
            2,
            "{init:?}:\n{k}"
        );
        let torch = match init {
            Initializer::GlorotUniform => "nn.init.xavier_uniform_(linear.weight)",
            Initializer::GlorotNormal => {
                "truncated_normal_(linear.weight, 2.0 / (linear.in_features + linear.out_features))"
            }
            Initializer::HeUniform => {
                "nn.init.kaiming_uniform_(linear.weight, nonlinearity=\"relu\")"
            }
            Initializer::HeNormal => "truncated_normal_(linear.weight, 2.0 / linear.in_features)",
            Initializer::LecunUniform => {
                "nn.init.kaiming_uniform_(linear.weight, nonlinearity=\"linear\")"
            }
            Initializer::LecunNormal => {
                "truncated_normal_(linear.weight, 1.0 / linear.in_features)"
            }
            Initializer::Small => "nn.init.normal_(linear.weight, mean=0.0, std=0.01)",
            Initializer::Large => "nn.init.normal_(linear.weight, mean=0.0, std=1.0)",
            Initializer::Zeros => "nn.init.zeros_(linear.weight)",
        };
        assert!(p.contains(torch), "{init:?}:\n{p}");
        assert!(p.contains("nn.init.zeros_(linear.bias)"));
        let truncated = init.name().ends_with("_normal");
        assert_eq!(p.contains("def truncated_normal_("), truncated, "{init:?}");
        if truncated {
            assert!(p.contains("sd = variance**0.5 / 0.8796256610342398"));
            assert!(p.contains("a=-2 * sd, b=2 * sd"));
            assert!(k
                .replace("\n    # ", " ")
                .contains("cut at two standard deviations"));
        }
    }
}

#[test]
fn batch_norm_sits_where_it_is_placed() {
    let momentum = "keras.layers.BatchNormalization(momentum=0.99, epsilon=0.001)";
    let torch_bn = "nn.BatchNorm1d(WIDTH, momentum=0.01, eps=0.001)";
    for bn in BatchNormPlacement::ALL {
        let (k, p) = both(&Config {
            batch_norm: bn,
            ..small()
        });
        let (kl, pl) = (loop_body(&k), loop_body(&p));
        match bn {
            BatchNormPlacement::None => {
                assert!(!k.contains("BatchNormalization") && !p.contains("BatchNorm1d"));
                assert!(!p.contains("model.train()  # batch norm"));
            }
            BatchNormPlacement::Before => {
                assert!(at(kl, "keras.layers.Dense(") < at(kl, momentum));
                assert!(at(kl, momentum) < at(kl, "keras.layers.Activation(\"relu\")"));
                assert!(at(pl, "nn.Linear(") < at(pl, torch_bn));
                assert!(at(pl, torch_bn) < at(pl, "nn.ReLU()"));
            }
            BatchNormPlacement::After => {
                assert!(at(kl, "activation=\"relu\"") < at(kl, momentum));
                assert!(at(pl, "nn.ReLU()") < at(pl, torch_bn));
            }
        }
        if bn != BatchNormPlacement::None {
            assert_eq!(kl.matches("BatchNormalization").count(), 1);
            assert!(p.contains("model.train()  # batch norm") && p.contains("model.eval()"));
        }
    }
}

#[test]
fn a_trailing_batch_of_one_is_dropped_only_with_batch_norm() {
    // Digits: 1437 training samples; batches of 4 leave one over.
    for (bn, batch, dropped) in [
        (BatchNormPlacement::Before, 4, true),
        (BatchNormPlacement::After, 4, true),
        (BatchNormPlacement::None, 4, false),
        (BatchNormPlacement::Before, 32, false),
    ] {
        let (k, p) = both(&Config {
            batch_norm: bn,
            batch_size: batch,
            ..small()
        });
        assert_eq!(
            k.contains("x_train[:-1], y_train[:-1]"),
            dropped,
            "{bn:?} {batch}"
        );
        assert_eq!(p.contains("if len(batch) < 2:"), dropped, "{bn:?} {batch}");
    }
}

#[test]
fn every_clipping_mode() {
    for clipping in [
        Clipping::Off,
        Clipping::Value(0.5),
        Clipping::Norm(0.5),
        Clipping::GlobalNorm(0.5),
    ] {
        let (k, p) = both(&Config {
            clipping,
            ..small()
        });
        let keras_arg = match clipping {
            Clipping::Off => None,
            Clipping::Value(_) => Some("clipvalue=0.5"),
            Clipping::Norm(_) => Some("clipnorm=0.5"),
            Clipping::GlobalNorm(_) => Some("global_clipnorm=0.5"),
        };
        for arg in ["clipvalue=", "clipnorm=", "global_clipnorm="] {
            // clipnorm= is inside global_clipnorm=: count the exact argument.
            let found = k.contains(&format!("({arg}")) || k.contains(&format!(" {arg}"));
            assert_eq!(
                found,
                keras_arg.is_some_and(|a| a.starts_with(arg)),
                "{arg} {k}"
            );
        }
        if let Some(arg) = keras_arg {
            assert!(k.contains(arg), "{k}");
        }
        let torch_clip = match clipping {
            Clipping::Off => None,
            Clipping::Value(_) => Some("nn.utils.clip_grad_value_(model.parameters(), 0.5)"),
            Clipping::Norm(_) => Some(
                "    for parameter in model.parameters():\n        \
                 nn.utils.clip_grad_norm_([parameter], max_norm=0.5)",
            ),
            Clipping::GlobalNorm(_) => {
                Some("nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5)")
            }
        };
        match torch_clip {
            None => assert!(!p.contains("clip_grad") && !p.contains("clip_gradients(")),
            Some(text) => {
                assert!(p.contains(text), "{clipping:?}:\n{p}");
                // Between backward() and step().
                let (b, c, s) = (
                    at(&p, "loss.backward()"),
                    at(&p, "        clip_gradients(model)"),
                    at(&p, "optimizer.step()"),
                );
                assert!(b < c && c < s);
                let calls =
                    p.matches("clip_grad_value_(").count() + p.matches("clip_grad_norm_(").count();
                assert_eq!(calls, 1, "one clipping call:\n{p}");
            }
        }
    }
}

#[test]
fn every_optimizer() {
    for optimizer in OptimizerKind::ALL {
        let (k, p) = both(&Config {
            optimizer,
            lr: 0.003,
            ..small()
        });
        let (keras_opt, torch_opt) = match optimizer {
            OptimizerKind::Sgd => (
                "keras.optimizers.SGD(learning_rate=0.003)",
                "torch.optim.SGD(model.parameters(), lr=0.003)",
            ),
            OptimizerKind::Momentum => (
                "keras.optimizers.SGD(learning_rate=0.003, momentum=0.9)",
                "torch.optim.SGD(model.parameters(), lr=0.003, momentum=0.9)",
            ),
            OptimizerKind::Adam => (
                "keras.optimizers.Adam(learning_rate=0.003, beta_1=0.9, beta_2=0.999, epsilon=1e-7)",
                "torch.optim.Adam(model.parameters(), lr=0.003, betas=(0.9, 0.999), eps=1e-7)",
            ),
        };
        assert!(k.contains(keras_opt), "{optimizer:?}:\n{k}");
        assert!(p.contains(torch_opt), "{optimizer:?}:\n{p}");
    }
}

#[test]
fn the_l2_penalty_covers_kernels_only() {
    let (k, p) = both(&Config {
        l2: 0.001,
        ..small()
    });
    assert!(k.contains("L2 = 0.001") && p.contains("L2 = 0.001"));
    // Every kernel, the output's too.
    assert_eq!(
        k.matches("kernel_regularizer=keras.regularizers.L2(L2)")
            .count(),
        2
    );
    assert!(!k.contains("bias_regularizer"));
    assert!(p.contains("return L2 * sum((w**2).sum() for w in kernels)"));
    assert!(p.contains("isinstance(layer, nn.Linear)"));
    assert!(p.contains("LOSS(model(x[batch]), y[batch]) + l2_penalty(model)"));
    assert!(!code_only(&p).contains("weight_decay"));

    let (k, p) = both(&small());
    assert!(!k.contains("regularizer") && !k.contains("L2 ="));
    assert!(!p.contains("l2_penalty") && !p.contains("L2 ="));
}

#[test]
fn every_dataset() {
    // The sequence task needs the recurrent model: its scripts are in codegen_recurrent.rs.
    for dataset in DatasetKind::ALL.into_iter().filter(|d| !d.is_sequence()) {
        let (k, p) = both(&Config {
            dataset,
            noise: 0.25,
            ..small()
        });
        for text in [&k, &p] {
            let marker = match dataset {
                DatasetKind::Digits => "return split(digits.data / 16.0, digits.target)",
                DatasetKind::Spiral => "angle = 1.75 * 2 * np.pi * t + label * np.pi",
                DatasetKind::Circles => "radius = np.where(label == 0, inner, outer)",
                DatasetKind::Xor => "sign_y = np.where(label == 1, -sign_x, sign_x)",
                DatasetKind::Gaussian => "points = rng.normal(centre, 0.25, (n, 2))",
                DatasetKind::DelayedDigits | DatasetKind::TemporalOrder => {
                    unreachable!("filtered out above")
                }
            };
            assert!(text.contains(marker), "{dataset:?}:\n{text}");
            if dataset == DatasetKind::Digits {
                assert!(text.contains("from sklearn.datasets import load_digits"));
                assert!(text.contains("INPUTS, CLASSES = 64, 10"));
                assert!(!text.contains("NOISE"));
            } else {
                assert!(text.contains("NOISE = 0.25") && text.contains("0.5 * NOISE"));
                assert!(text.contains("INPUTS, CLASSES = 2, 2") && text.contains("n = 1000"));
                assert!(text.contains("the random number streams differ"));
            }
            assert!(text.contains("n_train = len(y) * 4 // 5"));
        }
    }
}

#[test]
fn both_scripts_log_the_bars_as_the_app_defines_them() {
    for clip in [Clipping::Off, Clipping::Norm(1.0)] {
        let (k, p) = both(&Config {
            clipping: clip,
            ..small()
        });
        // Keras: a callback prints epoch 0 (before training) and every epoch after.
        assert!(k.contains("class LayerFigures(keras.callbacks.Callback):"));
        assert!(k.contains("callbacks=[LayerFigures(x_train, y_train), report]"));
        assert!(k.contains("self.report(0)") && k.contains("self.report(epoch + 1)"));
        // PyTorch: every step's figures are taken after backward() and before clipping.
        let step = &p[p.find("def train_epoch").unwrap()..];
        let (backward, add) = (at(step, "loss.backward()"), at(step, "figures.add()"));
        assert!(backward < add && add < at(step, "optimizer.step()"));
        if clip != Clipping::Off {
            assert!(add < at(step, "clip_gradients(model)"), "before clipping");
        }
        assert!(p.contains("measure_epoch(model, figures, x_train, y_train)"));
    }
}
