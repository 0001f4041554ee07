//! The command line `gradscope train …` (DESIGN §4): argument parsing and output formats.

use crate::codegen::Language;
use crate::engine::config::Config;
use crate::engine::diagnose::diagnose;
use crate::engine::metrics::{EpochRecord, Status};
use crate::engine::settings::{by_flag, Kind, Setting, SETTINGS};
use crate::format::{num, num_opt, pct_opt};

/// Keras' own argument names, kept as shortcuts: `--clipvalue X` is `--clip clipvalue --clip-at X`.
const CLIP_SHORTCUTS: [&str; 3] = ["--clipvalue", "--clipnorm", "--global-clipnorm"];

/// `gradscope train --help`, written from the settings table.
pub fn usage() -> String {
    let defaults = Config::default();
    let mut out = String::from(
        "gradscope train — train a deep network and print per-layer gradient figures per epoch\n\n\
         USAGE:\n    gradscope train [OPTIONS]\n\nOPTIONS:\n",
    );
    for s in SETTINGS {
        let metavar = match s.kind {
            Kind::Choice(_) => "NAME",
            Kind::Whole { .. } => "N",
            Kind::Number { .. } => "X",
        };
        let default = match s.key {
            "init_seed" => "= --seed".into(),
            "clip_at" => "—".into(),
            _ => s.text(&defaults),
        };
        out.push_str(&format!(
            "    {:<24}{}\n    {:<24}{}  [{default}]\n",
            format!("{} {metavar}", s.flag()),
            s.help(),
            "",
            s.allowed(),
        ));
    }
    out.push_str(
        "    --clipvalue X           the same as --clip clipvalue --clip-at X (Keras' name)\n\
         \x20   --clipnorm X            the same as --clip clipnorm --clip-at X\n\
         \x20   --global-clipnorm X     the same as --clip global_clipnorm --clip-at X\n\
         \x20   --json                  one JSON object per epoch per line (null = non-finite)\n\
         \x20   --histograms            with --json: each layer's distributions per epoch (\"hist\")\n\
         \x20   --code LANG             print this run as a Python script and exit; LANG: keras, pytorch\n\
         \x20   --dump-weights FILE     write this run's initial weights, first training batch, and the\n\
         \x20                           loss and per-layer figures on it before any update (JSON), and exit\n\
         \x20   -h, --help              this help\n\n\
         Epoch 0 is the network as initialized (figures over one pass with no update).\n",
    );
    out
}

/// What the command line asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Help,
    Train {
        config: Config,
        json: bool,
        /// `--histograms`: each layer's record carries its distributions (`hist`).
        histograms: bool,
    },
    /// Print the run as a Keras or PyTorch script.
    Code {
        config: Config,
        language: Language,
    },
    /// Write the run's first step (initial weights, first batch, figures) as JSON to a file.
    DumpWeights {
        config: Config,
        path: String,
    },
    /// `gradscope lesson …`: verify or print lesson files.
    Lesson(crate::lesson_cli::LessonCommand),
}

/// The flags that take a value but are not settings.
const OTHER_FLAGS: [&str; 2] = ["--code", "--dump-weights"];

/// A bad argument: one line naming it and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgError(pub String);

impl std::fmt::Display for ArgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Command, ArgError> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("train") => {}
        Some("lesson") => {
            return crate::lesson_cli::parse_args(&args[1..])
                .map(Command::Lesson)
                .map_err(ArgError)
        }
        None | Some("-h") | Some("--help") | Some("help") => return Ok(Command::Help),
        Some(other) => {
            return Err(ArgError(format!(
                "unknown command '{other}'; allowed: train, lesson"
            )))
        }
    }
    let mut json = false;
    let mut histograms = false;
    let mut code: Option<Language> = None;
    let mut dump: Option<String> = None;
    // (setting, value, the flag as typed): applied in the table's order once all are read.
    let mut given: Vec<(&Setting, String, String)> = Vec::new();
    let mut shortcut: Option<String> = None;
    while let Some(arg) = it.next() {
        let arg = arg.as_str();
        if arg == "-h" || arg == "--help" {
            return Ok(Command::Help);
        }
        if arg == "--json" {
            json = true;
            continue;
        }
        if arg == "--histograms" {
            histograms = true;
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f, Some(v.to_string())),
            None => (arg, None),
        };
        let setting = by_flag(flag);
        if setting.is_none() && !CLIP_SHORTCUTS.contains(&flag) && !OTHER_FLAGS.contains(&flag) {
            let known: Vec<&str> = SETTINGS.iter().map(|s| s.flag()).collect();
            return Err(ArgError(format!(
                "unknown argument '{flag}'; allowed: {}, {}, {}, --json, --histograms, --help",
                known.join(", "),
                CLIP_SHORTCUTS.join(", "),
                OTHER_FLAGS.join(", ")
            )));
        }
        let Some(value) = inline.or_else(|| it.next().cloned()) else {
            return Err(ArgError(format!("{flag} needs a value")));
        };
        if flag == "--code" {
            let names: Vec<&str> = Language::ALL.iter().map(|l| l.name()).collect();
            code = Some(Language::from_name(value.trim()).ok_or_else(|| {
                ArgError(format!(
                    "invalid value for --code: '{}' is not one of {}",
                    crate::engine::settings::excerpt(&value),
                    names.join(", ")
                ))
            })?);
            continue;
        }
        if flag == "--dump-weights" {
            if value.is_empty() {
                return Err(ArgError("--dump-weights needs a file name".into()));
            }
            dump = Some(value);
            continue;
        }
        match setting {
            Some(s) => given.push((s, value, flag.to_string())),
            None => {
                if let Some(other) = shortcut.as_ref().filter(|o| o.as_str() != flag) {
                    return Err(ArgError(format!(
                        "{flag} conflicts with {other}; allowed: at most one of {}",
                        CLIP_SHORTCUTS.join(", ")
                    )));
                }
                let mode = flag[2..].replace('-', "_");
                given.push((by_flag("--clip").expect("a clip row"), mode, flag.into()));
                given.push((
                    by_flag("--clip-at").expect("a clip-at row"),
                    value,
                    flag.into(),
                ));
                shortcut = Some(flag.to_string());
            }
        }
    }
    let mut config = Config::default();
    for s in SETTINGS {
        for (_, value, flag) in given.iter().filter(|(g, _, _)| std::ptr::eq(*g, s)) {
            let v = s
                .parse(value)
                .map_err(|e| ArgError(format!("invalid value for {flag}: {e}")))?;
            (s.set)(&mut config, v);
        }
    }
    if let Some((_, _, flag)) = given
        .iter()
        .find(|(s, _, _)| !crate::engine::settings::applies_to_model(s, &config))
    {
        return Err(ArgError(format!(
            "{flag} does not apply to model {}",
            config.model.name()
        )));
    }
    if let Err(e) = config.validate() {
        let flag = crate::engine::settings::find(e.field).map_or(e.field, |s| s.flag());
        return Err(ArgError(format!("invalid value for {flag}: {}", e.message)));
    }
    match (code, dump) {
        (Some(_), Some(_)) => Err(ArgError(
            "--code conflicts with --dump-weights; allowed: at most one of them".into(),
        )),
        (Some(language), None) => Ok(Command::Code { config, language }),
        (None, Some(path)) => Ok(Command::DumpWeights { config, path }),
        (None, None) => Ok(Command::Train {
            config,
            json,
            histograms,
        }),
    }
}

/// `text` (a record's JSON) with each layer's `"hist":[…]`, the flat form a record keeps, in
/// the documented form (edges and every bin's count). Written as text: a `serde_json::Value`
/// of the whole record would sort its keys and cost the page ~4 KB of code. The flat lists
/// are numbers only, so the first `]` closes each, and no other field is called `hist`.
fn expand_histograms(text: &str, layers: &[crate::engine::metrics::LayerStats]) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    let mut rest = text;
    for layer in layers.iter().filter(|l| l.hist.is_some()) {
        let (Some(at), Some(h)) = (rest.find("\"hist\":["), layer.histograms()) else {
            break;
        };
        let open = at + "\"hist\":".len();
        let Some(len) = rest[open..].find(']') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&h.json().to_string());
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out
}

/// The latest of `records` as one JSON object on one line, with the run's diagnosis at that
/// epoch (`verdict`, its id; `advice`, the suggestions as `{setting, value, …}`); serde_json
/// writes non-finite floats as `null`.
pub fn json_line(config: &Config, records: &[EpochRecord]) -> String {
    let Some(record) = records.last() else {
        return "{}".into();
    };
    let diagnosis = diagnose(config, records);
    // The record's own fields in their order, then the two more: spliced as text.
    let line = expand_histograms(
        &serde_json::to_string(record).unwrap_or_default(),
        &record.layers,
    );
    let advice = serde_json::to_string(&diagnosis.advice).unwrap_or_default();
    let body = line.strip_suffix('}').unwrap_or("{");
    format!(
        "{body},\"verdict\":\"{}\",\"advice\":{advice}}}",
        diagnosis.verdict.id()
    )
}

/// The diagnosis at the end of a run, for the readable form: verdict, headline, what to try.
pub fn verdict_text(config: &Config, records: &[EpochRecord]) -> String {
    let d = diagnose(config, records);
    let mut out = format!("\n{}: {}\n", d.verdict.label(), d.headline);
    for s in &d.advice {
        let flags: Vec<String> = s
            .changes()
            .iter()
            .map(|c| format!("--{} {}", c.setting.replace('_', "-"), c.value))
            .collect();
        out.push_str(&format!("  try {}: {}\n", flags.join(" "), s.text));
    }
    out
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
        "  {:>5} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>6} {:>6}\n",
        "layer",
        "grad_norm",
        "clipped",
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
            "  {:>5} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>5.0}% {:>6}\n",
            l.layer,
            num(l.grad_norm),
            num(l.clipped_grad_norm),
            num(l.delta_rms),
            num(l.weight_norm),
            num_opt(l.update_ratio),
            num(l.act_mean),
            num(l.act_std),
            100.0 * l.saturated,
            pct_opt(l.dead).replace(' ', ""),
        ));
    }
    out
}
