//! The command line `gradscope train …` (DESIGN §4): argument parsing and output formats.

use crate::engine::activation::Activation;
use crate::engine::clip::Clipping;
use crate::engine::config::{Config, BATCH_RANGE, DEPTH_RANGE, EPOCHS_RANGE, WIDTH_RANGE};
use crate::engine::data::DatasetKind;
use crate::engine::init::Initializer;
use crate::engine::metrics::{EpochRecord, Status};
use crate::engine::network::BatchNormPlacement;
use crate::engine::optim::OptimizerKind;
use crate::format::num;

pub const USAGE: &str = "\
gradscope train — train a deep network and print per-layer gradient figures per epoch

USAGE:
    gradscope train [OPTIONS]

OPTIONS:
    --dataset NAME          digits | spiral | circles | xor | gaussian      [digits]
    --noise X               jitter of the 2-D sets, 0..1                    [0.1]
    --depth N               hidden Dense layers, 1..100                     [10]
    --width N               units per hidden layer, 2..512                  [64]
    --activation NAME       linear | sigmoid | tanh | relu | leaky_relu | elu | selu   [relu]
    --init NAME             glorot_uniform | glorot_normal | he_uniform | he_normal |
                            lecun_uniform | lecun_normal | small | large | zeros    [he_normal]
    --batch-norm WHERE      none | before | after (the activation)          [none]
    --optimizer NAME        sgd | momentum | adam                           [sgd]
    --lr X                  learning rate, 1e-6..10                         [0.02]
    --batch-size N          1..512                                          [32]
    --epochs N              0..1000 (0: only the network at initialization) [20]
    --seed N                seed of the data order (and of the weights)     [0]
    --init-seed N           seed of the initial weights                     [= --seed]
    --l2 X                  L2 penalty λ·Σw² on kernels, 0..1               [0]
    --clipvalue X           clip every gradient element to [-X, X]
    --clipnorm X            rescale each variable's gradient to norm ≤ X
    --global-clipnorm X     rescale all gradients together to norm ≤ X
    --json                  one JSON object per epoch per line (null = non-finite)
    -h, --help              this help

Epoch 0 is the network as initialized (figures over one pass with no update).
";

/// What the command line asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Help,
    Train { config: Config, json: bool },
}

/// A bad argument: one line naming it and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgError(pub String);

impl std::fmt::Display for ArgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> String {
    all.iter().map(|&v| name(v)).collect::<Vec<_>>().join(", ")
}

fn choice<T: Copy>(
    flag: &str,
    value: &str,
    parse: fn(&str) -> Option<T>,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<T, ArgError> {
    parse(value).ok_or_else(|| {
        ArgError(format!(
            "invalid value '{value}' for {flag}; allowed: {}",
            names(all, name)
        ))
    })
}

fn number<T: std::str::FromStr>(flag: &str, value: &str, allowed: &str) -> Result<T, ArgError> {
    value.parse().map_err(|_| {
        ArgError(format!(
            "invalid value '{value}' for {flag}; allowed: {allowed}"
        ))
    })
}

fn range(r: (usize, usize)) -> String {
    format!("an integer from {} to {}", r.0, r.1)
}

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Command, ArgError> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("train") => {}
        None | Some("-h") | Some("--help") | Some("help") => return Ok(Command::Help),
        Some(other) => {
            return Err(ArgError(format!(
                "unknown command '{other}'; allowed: train"
            )))
        }
    }
    let mut config = Config::default();
    let mut json = false;
    let mut init_seed = None;
    let mut clipping: Option<(&str, Clipping)> = None;
    while let Some(flag) = it.next() {
        let flag = flag.as_str();
        if flag == "-h" || flag == "--help" {
            return Ok(Command::Help);
        }
        if flag == "--json" {
            json = true;
            continue;
        }
        let (flag, inline) = match flag.split_once('=') {
            Some((f, v)) => (f, Some(v.to_string())),
            None => (flag, None),
        };
        let known = [
            "--dataset",
            "--noise",
            "--depth",
            "--width",
            "--activation",
            "--init",
            "--batch-norm",
            "--optimizer",
            "--lr",
            "--batch-size",
            "--epochs",
            "--seed",
            "--init-seed",
            "--l2",
            "--clipvalue",
            "--clipnorm",
            "--global-clipnorm",
        ];
        if !known.contains(&flag) {
            return Err(ArgError(format!(
                "unknown argument '{flag}'; allowed: {}, --json, --help",
                known.join(", ")
            )));
        }
        let value = match inline.or_else(|| it.next().cloned()) {
            Some(v) => v,
            None => return Err(ArgError(format!("{flag} needs a value"))),
        };
        let v = value.as_str();
        let positive = "a number above 0";
        match flag {
            "--dataset" => {
                config.dataset = choice(
                    flag,
                    v,
                    DatasetKind::from_name,
                    &DatasetKind::ALL,
                    DatasetKind::name,
                )?
            }
            "--noise" => config.noise = number(flag, v, "a number from 0 to 1")?,
            "--depth" => config.depth = number(flag, v, &range(DEPTH_RANGE))?,
            "--width" => config.width = number(flag, v, &range(WIDTH_RANGE))?,
            "--activation" => {
                config.activation = choice(
                    flag,
                    v,
                    Activation::from_name,
                    &Activation::ALL,
                    Activation::name,
                )?
            }
            "--init" => {
                config.init = choice(
                    flag,
                    v,
                    Initializer::from_name,
                    &Initializer::ALL,
                    Initializer::name,
                )?
            }
            "--batch-norm" => {
                config.batch_norm = choice(
                    flag,
                    v,
                    BatchNormPlacement::from_name,
                    &BatchNormPlacement::ALL,
                    BatchNormPlacement::name,
                )?
            }
            "--optimizer" => {
                config.optimizer = choice(
                    flag,
                    v,
                    OptimizerKind::from_name,
                    &OptimizerKind::ALL,
                    OptimizerKind::name,
                )?
            }
            "--lr" => config.lr = number(flag, v, "a number from 1e-6 to 10")?,
            "--batch-size" => config.batch_size = number(flag, v, &range(BATCH_RANGE))?,
            "--epochs" => config.epochs = number(flag, v, &range(EPOCHS_RANGE))?,
            "--seed" => config.seed = number(flag, v, "an integer from 0 to 2^64-1")?,
            "--init-seed" => init_seed = Some(number(flag, v, "an integer from 0 to 2^64-1")?),
            "--l2" => config.l2 = number(flag, v, "a number from 0 to 1")?,
            clip => {
                let t: f64 = number(clip, v, positive)?;
                let mode = &clip[2..];
                let c = Clipping::from_parts(&mode.replace('-', "_"), t)
                    .ok_or_else(|| ArgError(format!("unknown clipping {clip}")))?;
                if let Some((other, _)) = clipping {
                    if other != clip {
                        return Err(ArgError(format!(
                            "{clip} conflicts with {other}; allowed: at most one of --clipvalue, --clipnorm, --global-clipnorm"
                        )));
                    }
                }
                clipping = Some((clip, c));
            }
        }
    }
    config.init_seed = init_seed.unwrap_or(config.seed);
    if let Some((_, c)) = clipping {
        config.clipping = c;
    }
    if let Err(e) = config.validate() {
        let flag = match e.field {
            "batch_size" => "--batch-size".to_string(),
            "global_clipnorm" => "--global-clipnorm".to_string(),
            f => format!("--{f}"),
        };
        return Err(ArgError(format!("invalid value for {flag}: {}", e.message)));
    }
    Ok(Command::Train { config, json })
}

/// One JSON object per line; serde_json writes non-finite floats as `null`.
pub fn json_line(record: &EpochRecord) -> String {
    serde_json::to_string(record).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// The readable form: an epoch line, then one row per layer.
pub fn table(record: &EpochRecord) -> String {
    let status = match record.status {
        Status::Ok => "",
        Status::Diverged => "  DIVERGED (non-finite loss)",
    };
    let mut out = format!(
        "epoch {:>3}  train loss {} acc {:.1}%  val loss {} acc {:.1}%{status}\n",
        record.epoch,
        num(record.train_loss),
        100.0 * record.train_accuracy,
        num(record.val_loss),
        100.0 * record.val_accuracy,
    );
    out.push_str(&format!(
        "  {:>5} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>6} {:>6}\n",
        "layer",
        "grad_norm",
        "delta_rms",
        "w_norm",
        "upd_ratio",
        "act_mean",
        "act_std",
        "sat",
        "dead"
    ));
    for l in &record.layers {
        out.push_str(&format!(
            "  {:>5} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>5.0}% {:>5.0}%\n",
            l.layer,
            num(l.grad_norm),
            num(l.delta_rms),
            num(l.weight_norm),
            num(l.update_ratio),
            num(l.act_mean),
            num(l.act_std),
            100.0 * l.saturated,
            100.0 * l.dead,
        ));
    }
    out
}
