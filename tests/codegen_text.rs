//! The generated scripts as text: numbers as typed, constants from the configuration, training
//! under `main()` so a script imports without training, the docstring's command line, and
//! Python's own parser on scripts for many configurations.

mod python_text;

use gradscope::cli::{self, Command};
use gradscope::codegen::{keras, pytorch, Language};
use gradscope::engine::activation::Activation;
use gradscope::engine::clip::Clipping;
use gradscope::engine::config::Config;
use gradscope::engine::data::DatasetKind;
use gradscope::engine::init::Initializer;
use gradscope::engine::network::BatchNormPlacement;
use gradscope::engine::optim::OptimizerKind;
use python_text::{at, both, small};

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
