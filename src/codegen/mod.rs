//! The run as a Python script: the same experiment written in Keras 3 or in PyTorch, as a
//! course's notes would write it, with a comment on each choice. Pure text in, text out (no
//! files, no processes), so the page can show it too.
//!
//! What is the same as the app: the network (layers, activation, batch norm and where it sits),
//! the initial weights' distribution, the optimizer and its hyper-parameters, the clipping, the
//! L2 penalty and the loss. What differs: the random draws (weights, data order), the 80/20
//! split (the app uses its own fixed shuffle) and the 2-D sets' points.

mod keras;
mod keras_rnn;
mod notes;
mod pytorch;
mod pytorch_rnn;

pub use keras::keras;
pub use pytorch::pytorch;

use notes::{activation_comment, clip_comment, init_comment};

use crate::engine::clip::Clipping;
use crate::engine::config::Config;
use crate::engine::data::{DatasetKind, TOY_POINTS};
use crate::engine::settings::SETTINGS;

/// The languages a run can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    Keras,
    Pytorch,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Keras, Language::Pytorch];

    pub fn name(self) -> &'static str {
        match self {
            Language::Keras => "keras",
            Language::Pytorch => "pytorch",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// The script for `config` in `language`.
pub fn generate(language: Language, config: &Config) -> String {
    match language {
        Language::Keras => keras(config),
        Language::Pytorch => pytorch(config),
    }
}

/// Lines longer than this are split, one argument per line.
const WIDTH: usize = 100;
/// Comments are wrapped to this width.
const COMMENT_WIDTH: usize = 90;

/// A number as Python reads it back to the same value, as short as possible: 0.02, 1.0, 1e-06.
pub fn py_num(x: f64) -> String {
    if !x.is_finite() {
        return format!("float(\"{x}\")");
    }
    if x != 0.0 && !(1e-4..1e16).contains(&x.abs()) {
        // Rust writes 1e-6; Python reads that too.
        return format!("{x:e}");
    }
    let s = format!("{x}");
    if s.contains('.') {
        s
    } else {
        s + ".0"
    }
}

/// `head(arg, arg, …)` on one line when it fits, else one argument per line.
pub(crate) fn call(indent: usize, head: &str, args: &[String], tail: &str) -> String {
    let pad = " ".repeat(indent);
    let one = format!("{pad}{head}({}){tail}", args.join(", "));
    if one.chars().count() <= WIDTH || args.is_empty() {
        return one + "\n";
    }
    let mut out = format!("{pad}{head}(\n");
    for a in args {
        out.push_str(&format!("{pad}    {a},\n"));
    }
    out + &format!("{pad}){tail}\n")
}

/// The command line that prints this script again.
fn command(config: &Config, language: &str) -> String {
    let mut parts = vec![format!("gradscope train --code {language}")];
    for s in SETTINGS.iter().filter(|s| (s.written)(config)) {
        parts.push(format!("{} {}", s.flag(), s.text(config)));
    }
    // Wrapped for the docstring, four spaces in.
    let mut lines = vec![String::from("    ")];
    for p in parts {
        let last = lines.last_mut().expect("one line at least");
        if last.trim().is_empty() {
            last.push_str(&p);
        } else if last.len() + p.len() + 3 > WIDTH {
            last.push_str(" \\");
            lines.push(format!("        {p}"));
        } else {
            last.push(' ');
            last.push_str(&p);
        }
    }
    lines.join("\n")
}

/// The script's docstring: what it is, how to run it, what matches the app and what does not.
fn docstring(config: &Config, framework: &str, language: &str, install: &str) -> String {
    let c = config;
    let bn = match c.batch_norm.name() {
        "none" => String::new(),
        p => format!(", batch norm {p} the activation"),
    };
    let clip = match c.clipping {
        Clipping::Off => String::new(),
        other => format!(
            ", {} {}",
            other.mode_name(),
            py_num(other.threshold().unwrap_or(0.0))
        ),
    };
    let l2 = if c.l2 > 0.0 {
        format!(", L2 {}", py_num(c.l2))
    } else {
        String::new()
    };
    let shape = if c.model.is_recurrent() {
        format!(
            "a recurrent layer of {} {} units over {} time steps",
            c.width,
            c.activation.name(),
            c.seq_len
        )
    } else {
        format!(
            "{} hidden layers of {} {} units",
            c.depth,
            c.width,
            c.activation.name()
        )
    };
    format!(
        "\"\"\"gradscope's run in {framework}: {dataset}, {shape},\n{init} weights{bn}, {opt} \
         at learning rate {lr}{clip}{l2}.\n\n\
         Printed by\n{cmd}\n\n\
         Run it with\n\
         \x20   {install}\n\
         \x20   python this_file.py      (GRADSCOPE_EPOCHS=1 for a quick try)\n\n\
         The network, the initial weights' distribution, the optimizer, the clipping, the\n\
         penalty and the loss are the app's. The random draws, the 80/20 split and the order\n\
         of the samples are not, so the figures come out close to the app's, not equal.\n\"\"\"\n",
        dataset = c.dataset.name(),
        shape = shape,
        init = c.init.name(),
        opt = c.optimizer.name(),
        lr = py_num(c.lr),
        cmd = command(c, language),
    )
}

/// The constants at the top of both scripts.
fn constants(config: &Config) -> String {
    let classes = config.dataset.classes();
    let inputs = match config.dataset {
        DatasetKind::Digits => 64,
        sequence if sequence.is_sequence() => sequence.step_inputs(),
        _ => 2,
    };
    let shape = if config.model.is_recurrent() {
        format!(
            "STEPS = {}  # time steps per sequence\nWIDTH = {}  # units of the recurrent layer\n",
            config.seq_len, config.width
        )
    } else {
        format!(
            "DEPTH = {}  # hidden layers\nWIDTH = {}  # units per hidden layer\n",
            config.depth, config.width
        )
    };
    let mut out = format!(
        "# Epochs can be overridden, e.g. GRADSCOPE_EPOCHS=1 for a quick check.\n\
         EPOCHS = int(os.environ.get(\"GRADSCOPE_EPOCHS\", {epochs}))\n\
         BATCH_SIZE = {batch}\n\
         {shape}\
         INPUTS, CLASSES = {inputs}, {classes}\n\
         SEED = {seed}  # the order in which the training samples are visited\n\
         INIT_SEED = {init_seed}  # the initial weights\n",
        epochs = config.epochs,
        batch = config.batch_size,
        seed = config.seed,
        init_seed = config.init_seed,
    );
    if config.dataset.is_toy() {
        out.push_str(&format!(
            "NOISE = {}  # sd of the jitter is 0.5 * NOISE\n",
            py_num(config.noise)
        ));
    }
    if config.l2 > 0.0 {
        out.push_str(&format!(
            "L2 = {}  # the penalty L2 * sum(w ** 2) over every kernel\n",
            py_num(config.l2)
        ));
    }
    out
}

/// `load_data()` and `split()`: numpy arrays (float32 features, int64 labels), shared by both
/// scripts.
fn data_functions(config: &Config) -> String {
    let load = match config.dataset {
        DatasetKind::Digits => "def load_data():\n\
             \x20   \"\"\"The 1797 handwritten digits (8x8 pixels, 0..16) scaled to [0, 1]: the app's\n\
             \x20   data set is exactly scikit-learn's.\"\"\"\n\
             \x20   from sklearn.datasets import load_digits\n\n\
             \x20   digits = load_digits()\n\
             \x20   return split(digits.data / 16.0, digits.target)\n"
            .to_string(),
        DatasetKind::DelayedDigits => format!(
            "def load_data():\n\
             \x20   \"\"\"Each digit as {t} time steps of 8 values: its 8 rows (scaled to [0, 1]),\n\
             \x20   then N(0, {sd}^2) noise (other random numbers than the app's).\"\"\"\n\
             \x20   from sklearn.datasets import load_digits\n\n\
             \x20   digits = load_digits()\n\
             \x20   rows = digits.data.reshape(-1, 8, 8) / 16.0\n\
             \x20   noise = np.random.default_rng(7).normal(0.0, {sd}, (len(rows), {t} - 8, 8))\n\
             \x20   return split(np.concatenate([rows, noise], axis=1), digits.target)\n",
            t = config.seq_len,
            sd = crate::engine::data::DELAY_NOISE_SD,
        ),
        DatasetKind::TemporalOrder => temporal_order_generator(config.seq_len),
        toy => toy_generator(toy),
    };
    format!(
        "{load}\n\n\
         def split(x, y):\n\
         \x20   \"\"\"80 % to train, 20 % to validate, after a fixed shuffle (the same in every\n\
         \x20   run, as in the app, though the app's own shuffle puts other samples in each part).\"\"\"\n\
         \x20   order = np.random.default_rng(2024).permutation(len(y))\n\
         \x20   n_train = len(y) * 4 // 5\n\
         \x20   x, y = x.astype(\"float32\"), y.astype(\"int64\")\n\
         \x20   train, val = order[:n_train], order[n_train:]\n\
         \x20   return (x[train], y[train]), (x[val], y[val])\n"
    )
}

/// The numpy version of the engine's temporal-order task (same rules, other random numbers).
fn temporal_order_generator(seq_len: usize) -> String {
    use crate::engine::data::{order_positions, ORDER_SEQUENCES};
    let [(a_lo, a_hi), (b_lo, b_hi)] = order_positions(seq_len);
    format!(
        "def load_data():\n\
         \x20   \"\"\"Hochreiter & Schmidhuber's temporal-order problem in {t} steps of one-hot symbols\n\
         \x20   a b c d X Y B E: B, random a-d, X or Y at a step in [{a_lo}, {a_hi}] and another in\n\
         \x20   [{b_lo}, {b_hi}] (0-based), E. The class is their order: XX 0, XY 1, YX 2, YY 3.\n\
         \x20   The app's rules, other random numbers.\"\"\"\n\
         \x20   rng = np.random.default_rng(7)\n\
         \x20   n = {n}\n\
         \x20   label = np.arange(n) % 4\n\
         \x20   symbols = rng.integers(0, 4, (n, {t}))\n\
         \x20   symbols[:, 0], symbols[:, -1] = 6, 7\n\
         \x20   rows = np.arange(n)\n\
         \x20   symbols[rows, rng.integers({a_lo}, {a_hi} + 1, n)] = 4 + label // 2\n\
         \x20   symbols[rows, rng.integers({b_lo}, {b_hi} + 1, n)] = 4 + label % 2\n\
         \x20   return split(np.eye(8)[symbols], label)\n",
        t = seq_len,
        n = ORDER_SEQUENCES,
    )
}

/// The numpy version of the engine's 2-D set (same formulas, other random numbers).
fn toy_generator(kind: DatasetKind) -> String {
    let body = match kind {
        DatasetKind::Spiral => {
            "    # Two interleaved arms: the radius grows with the angle; class 1's arm is turned by pi.\n\
             \x20   t = rng.uniform(0.0, 1.0, n)\n\
             \x20   angle = 1.75 * 2 * np.pi * t + label * np.pi\n\
             \x20   points = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1)\n"
        }
        DatasetKind::Circles => {
            "    # A disc of radius 0.5 (class 0) inside a ring from 0.7 to 1.0 (class 1).\n\
             \x20   angle = 2 * np.pi * rng.uniform(0.0, 1.0, n)\n\
             \x20   inner = 0.5 * rng.uniform(0.0, 1.0, n)\n\
             \x20   outer = 0.7 + 0.3 * rng.uniform(0.0, 1.0, n)\n\
             \x20   radius = np.where(label == 0, inner, outer)\n\
             \x20   points = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)\n"
        }
        DatasetKind::Xor => {
            "    # Class 1 when the signs of x and y differ; points within 0.05 of an axis are left out.\n\
             \x20   size = rng.uniform(0.05, 1.0, (n, 2))\n\
             \x20   sign_x = rng.choice([-1.0, 1.0], n)\n\
             \x20   sign_y = np.where(label == 1, -sign_x, sign_x)\n\
             \x20   points = size * np.stack([sign_x, sign_y], axis=1)\n"
        }
        DatasetKind::Gaussian => {
            "    # Two round blobs of sd 0.25, centred at (0.5, 0.5) (class 0) and (-0.5, -0.5) (class 1).\n\
             \x20   centre = np.where(label == 0, 0.5, -0.5)[:, None]\n\
             \x20   points = rng.normal(centre, 0.25, (n, 2))\n"
        }
        DatasetKind::Digits | DatasetKind::DelayedDigits | DatasetKind::TemporalOrder => {
            unreachable!("not a 2-D set")
        }
    };
    format!(
        "def load_data():\n\
         \x20   \"\"\"{n} points of the 2-D '{name}' set, classes alternating, with the app's formulas.\n\
         \x20   The points themselves differ from the app's: the random number streams differ.\"\"\"\n\
         \x20   rng = np.random.default_rng(7)\n\
         \x20   n = {n}\n\
         \x20   label = np.arange(n) % 2\n\
         {body}\
         \x20   if NOISE > 0:\n\
         \x20       points = points + rng.normal(0.0, 0.5 * NOISE, points.shape)\n\
         \x20   return split(points, label)\n",
        n = TOY_POINTS,
        name = kind.name(),
    )
}

/// Text wrapped into `# ` lines at `indent`.
pub(crate) fn comment(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent + 2 + line.len() + 1 + word.len() > COMMENT_WIDTH {
            out.push_str(&format!("{pad}# {line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&format!("{pad}# {line}\n"));
    }
    out
}

/// Whether the engine drops a trailing batch of one sample here (batch norm on, and the
/// training set leaves one over). Keras and PyTorch must do the same.
fn drops_single_trailing_sample(config: &Config) -> bool {
    let n_train = config.dataset.train_len();
    config.batch_norm != crate::engine::network::BatchNormPlacement::None
        && n_train % config.batch_size == 1
}

#[cfg(test)]
mod tests {
    use super::{comment, py_num};

    #[test]
    fn numbers_read_back_exactly_in_python_syntax() {
        assert_eq!(py_num(0.02), "0.02");
        assert_eq!(py_num(1.0), "1.0");
        assert_eq!(py_num(10.0), "10.0");
        assert_eq!(py_num(1e-6), "1e-6");
        assert_eq!(py_num(0.0001), "0.0001");
        assert_eq!(py_num(0.0), "0.0");
        assert_eq!(py_num(1e6), "1000000.0");
        assert_eq!(py_num(0.3), "0.3");
        assert_eq!(py_num(0.02f32 as f64).parse::<f32>().unwrap(), 0.02f32);
    }

    #[test]
    fn comments_wrap_within_the_width() {
        let c = comment(&"word ".repeat(60), 4);
        assert!(c
            .lines()
            .all(|l| l.len() <= super::COMMENT_WIDTH && l.starts_with("    # ")));
    }
}
