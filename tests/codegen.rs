//! The Keras and PyTorch scripts written from a configuration: each option of each setting
//! maps to the right construct, and the text is well-formed Python. (Running the Keras script
//! and checking its numbers against the engine is `tools/keras_check.py`.)

use gradscope::cli::{self, Command};
use gradscope::codegen::{keras, pytorch, Language};
use gradscope::engine::activation::Activation;
use gradscope::engine::clip::Clipping;
use gradscope::engine::config::Config;
use gradscope::engine::data::DatasetKind;
use gradscope::engine::init::Initializer;
use gradscope::engine::network::BatchNormPlacement;
use gradscope::engine::optim::OptimizerKind;

fn small() -> Config {
    Config {
        depth: 3,
        width: 16,
        ..Config::default()
    }
}

/// The text with string literals and comments blanked out (triple quotes too).
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '"' || c == '\'' {
            let triple = chars[i..].starts_with(&[c, c, c]);
            let quote: Vec<char> = if triple { vec![c; 3] } else { vec![c] };
            i += quote.len();
            while i < chars.len() && !chars[i..].starts_with(&quote) {
                assert!(
                    triple || chars[i] != '\n',
                    "unterminated string in:\n{text}"
                );
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            assert!(i < chars.len(), "unterminated string in:\n{text}");
            i += quote.len();
            out.push_str("\"\"");
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Balanced brackets, no format leftovers, four-space indentation, short lines.
fn assert_well_formed(text: &str) {
    assert!(
        !text.contains('{') && !text.contains('}'),
        "a brace:\n{text}"
    );
    assert!(!text.contains('\t') && !text.contains('$'), "{text}");
    assert!(
        !text.contains("float(\\\"") && !text.contains("NaN"),
        "a non-number:\n{text}"
    );
    let mut stack = Vec::new();
    for c in code_only(text).chars() {
        match c {
            '(' | '[' => stack.push(c),
            ')' => assert_eq!(stack.pop(), Some('('), "unbalanced ):\n{text}"),
            ']' => assert_eq!(stack.pop(), Some('['), "unbalanced ]:\n{text}"),
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?}:\n{text}");
    for line in text.lines() {
        assert!(line.len() <= 100, "long line: {line}");
        assert_eq!(line, line.trim_end(), "trailing space: {line:?}");
        let indent = line.len() - line.trim_start().len();
        let in_docstring_text = !line.trim_start().starts_with(|c: char| c.is_alphabetic());
        assert!(
            indent % 4 == 0 || in_docstring_text,
            "indent {indent}: {line}"
        );
    }
    assert!(text.contains("if __name__ == \"__main__\":\n    main()\n"));
    assert!(text.contains("EPOCHS = int(os.environ.get(\"GRADSCOPE_EPOCHS\", "));
    for f in ["def load_data():", "def build_model():", "def main():"] {
        assert!(text.contains(f), "{f}");
    }
}

/// Both scripts for a configuration, checked for form.
fn both(config: &Config) -> (String, String) {
    let (k, p) = (keras(config), pytorch(config));
    assert_well_formed(&k);
    assert_well_formed(&p);
    (k, p)
}

/// Position of `needle` in `hay`, or a failure naming it.
fn at(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("no {needle:?} in:\n{hay}"))
}

/// The body of the hidden-layer loop.
fn loop_body(text: &str) -> &str {
    let start = at(text, "for _ in range(DEPTH):");
    let rest = &text[start..];
    let end = rest
        .find("\n    # The output")
        .or(rest.find("        fan_in = WIDTH"));
    &rest[..end.expect("the loop ends")]
}

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
    for dataset in DatasetKind::ALL {
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
fn numbers_are_written_as_typed_and_constants_follow_the_config() {
    let c = Config {
        lr: 0.02,
        epochs: 7,
        batch_size: 48,
        depth: 5,
        width: 33,
        seed: 11,
        init_seed: 12,
        clipping: Clipping::Value(0.3),
        ..Config::default()
    };
    let (k, p) = both(&c);
    for text in [&k, &p] {
        for line in [
            "EPOCHS = int(os.environ.get(\"GRADSCOPE_EPOCHS\", 7))",
            "BATCH_SIZE = 48",
            "DEPTH = 5  #",
            "WIDTH = 33  #",
            "SEED = 11  #",
            "INIT_SEED = 12  #",
        ] {
            assert!(text.contains(line), "{line}:\n{text}");
        }
    }
    assert!(k.contains("learning_rate=0.02, clipvalue=0.3"), "{k}");
    assert!(p.contains("nn.utils.clip_grad_value_(model.parameters(), 0.3)"));
    assert!(k.contains("keras.utils.set_random_seed(INIT_SEED)"));
    assert!(p.contains("torch.manual_seed(INIT_SEED)") && p.contains("manual_seed(SEED)"));
    // Tiny and huge numbers in a form Python reads.
    let k = keras(&Config {
        lr: 1e-6,
        clipping: Clipping::Norm(1e6),
        ..small()
    });
    assert!(k.contains("learning_rate=1e-6, clipnorm=1000000.0"), "{k}");
}

#[test]
fn training_sits_under_main_so_the_script_imports_without_training() {
    for config in [small(), Config::default()] {
        let (k, p) = both(&config);
        let main = at(&k, "def main():");
        assert!(at(&k, "model.fit(") > main);
        assert_eq!(k.matches("model.fit(").count(), 1);
        assert!(k.contains("LOSS = keras.losses.SparseCategoricalCrossentropy(from_logits=True)"));
        assert!(k.contains("def compile_model(model):"));
        assert!(k.contains("def make_optimizer():"));
        assert!(k.contains("shuffle=True") && k.contains("batch_size=BATCH_SIZE"));
        assert!(k.contains("val_accuracy"));
        assert!(at(&p, "loss = train_epoch(model, optimizer") > at(&p, "def main():"));
        assert!(p.contains("LOSS = nn.CrossEntropyLoss()"));
        assert!(p.contains("torch.randperm(len(y), generator=generator)"));
        assert!(p.contains("model.train()") && p.contains("model.eval()"));
        assert!(p.contains("val_accuracy"));
    }
}

#[test]
fn the_docstring_command_prints_the_same_script() {
    let c = Config {
        dataset: DatasetKind::Circles,
        activation: Activation::Selu,
        init: Initializer::LecunNormal,
        l2: 0.0005,
        clipping: Clipping::GlobalNorm(2.5),
        init_seed: 9,
        ..small()
    };
    for (language, text) in [
        (Language::Keras, keras(&c)),
        (Language::Pytorch, pytorch(&c)),
    ] {
        let start = at(&text, "    gradscope train --code");
        let end = start + at(&text[start..], "\n\n");
        let line = text[start..end].replace("\\\n", " ");
        let args: Vec<String> = line.split_whitespace().skip(1).map(String::from).collect();
        match cli::parse(&args) {
            Ok(Command::Code {
                config,
                language: l,
            }) => {
                assert_eq!(config, c);
                assert_eq!(l, language);
            }
            other => panic!("{args:?}: {other:?}"),
        }
    }
}

#[test]
fn python_parses_every_script_when_python_is_here() {
    let probe = std::process::Command::new("python3")
        .arg("--version")
        .output();
    if probe.is_err() {
        eprintln!("python3 not found: syntax check skipped");
        return;
    }
    let mut configs = Vec::new();
    for dataset in DatasetKind::ALL {
        for (i, bn) in BatchNormPlacement::ALL.into_iter().enumerate() {
            configs.push(Config {
                dataset,
                batch_norm: bn,
                activation: Activation::ALL[(i + dataset as usize) % 7],
                init: Initializer::ALL[(i * 3 + dataset as usize) % 9],
                optimizer: OptimizerKind::ALL[i],
                clipping: [Clipping::Off, Clipping::Value(1.0), Clipping::Norm(2.0)][i],
                l2: if i == 1 { 0.01 } else { 0.0 },
                batch_size: 4,
                ..small()
            });
        }
    }
    for config in configs {
        for text in [keras(&config), pytorch(&config)] {
            let out = std::process::Command::new("python3")
                .args(["-c", "import ast, sys; ast.parse(sys.argv[1])", &text])
                .output()
                .expect("python3 runs");
            assert!(
                out.status.success(),
                "{}\n{text}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
