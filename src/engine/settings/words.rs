//! The words of each setting: its command-line flag, its label on the page and its one-line
//! help. Apart from the table so that the training worker, which needs none of them, does not
//! carry them.

/// A setting's flag, label and help.
pub struct Words {
    pub flag: &'static str,
    pub label: &'static str,
    pub help: &'static str,
}

/// The words of the setting with this key. `WORDS` is in the table's order (a test holds each
/// flag to its key), so no key is stored twice.
pub fn words(key: &str) -> &'static Words {
    const NONE: &Words = &Words {
        flag: "",
        label: "",
        help: "",
    };
    let row = super::SETTINGS.iter().position(|s| s.key == key);
    row.and_then(|i| WORDS.get(i)).unwrap_or(NONE)
}

static WORDS: &[Words] = &[
    Words {
        flag: "--model",
        label: "Model",
        help: "mlp: layers stacked in depth; rnn, lstm: one layer applied at each step of a sequence",
    },
    Words {
        flag: "--dataset",
        label: "Dataset",
        help: "digits: 8×8 handwritten digits, 10 classes; spiral to gaussian: two-class 2-D puzzles; delayed_digits, temporal_order: sequences for rnn and lstm",
    },
    Words {
        flag: "--seq-len",
        label: "Sequence length T",
        help: "time steps per sequence: how far back through time the gradient must reach",
    },
    Words {
        flag: "--noise",
        label: "Noise",
        help: "jitter added to the points of the 2-D sets: harder to separate",
    },
    Words {
        flag: "--depth",
        label: "Depth (hidden layers)",
        help: "hidden Dense layers; each multiplies the gradient once more on its way back",
    },
    Words {
        flag: "--width",
        label: "Width (units per layer)",
        help: "units per hidden layer: the fan-in and fan-out that scale the initial weights",
    },
    Words {
        flag: "--activation",
        label: "Activation",
        help: "its slope multiplies the gradient at every layer (sigmoid's is at most 0.25)",
    },
    Words {
        flag: "--init",
        label: "Weight initializer",
        help: "the starting weight variance: too small shrinks the signal layer by layer, too large amplifies it",
    },
    Words {
        flag: "--recurrent-init",
        label: "Recurrent initializer",
        help: "the recurrent kernel's start: orthogonal keeps every singular value at the gain; identity carries the state over unchanged",
    },
    Words {
        flag: "--recurrent-gain",
        label: "Recurrent gain",
        help: "multiplies the recurrent kernel: above 1 the gradient can grow step by step back in time, below 1 it fades",
    },
    Words {
        flag: "--batch-norm",
        label: "Batch normalization",
        help: "re-centres and re-scales each layer's values on every batch, before or after the activation",
    },
    Words {
        flag: "--optimizer",
        label: "Optimizer",
        help: "SGD follows the gradient; momentum (0.9) and Adam smooth and rescale it",
    },
    Words {
        flag: "--lr",
        label: "Learning rate",
        help: "the step size; too large and the weights overshoot",
    },
    Words {
        flag: "--batch-size",
        label: "Batch size",
        help: "samples per step; smaller batches give noisier gradients",
    },
    Words {
        flag: "--epochs",
        label: "Epochs",
        help: "passes over the training set; epoch 0 is the network as initialized",
    },
    Words {
        flag: "--seed",
        label: "Seed",
        help: "fixes the data order and the initial weights: the same seed replays the same run",
    },
    Words {
        flag: "--init-seed",
        label: "Seed of the initial weights",
        help: "draws other initial weights with the same data order (default: the seed)",
    },
    Words {
        flag: "--l2",
        label: "L2 penalty λ",
        help: "adds λ·Σw² over the kernels to the loss, pulling weights toward zero",
    },
    Words {
        flag: "--clip",
        label: "Gradient clipping",
        help: "caps the gradient before each update: each element (clipvalue), each variable's norm (clipnorm), or all together (global_clipnorm)",
    },
    Words {
        flag: "--clip-at",
        label: "Clipping threshold",
        help: "the value or norm that clipping caps the gradient at",
    },
];
