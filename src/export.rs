//! What the page's Export menu writes, as plain functions tested natively: the file names
//! (named after the experiment), every run's records as CSV, and as JSON whose per-epoch
//! objects are exactly the command line's `--json` lines ([`crate::cli::json_line`]).

use crate::cli::json_line;
use crate::engine::config::Config;
use crate::engine::metrics::{EpochRecord, Status, LAYER_FIGURES};
use crate::engine::settings::{Value, SETTINGS};
use crate::store::Store;

/// One run as exported: its number on the page (1-based), what sets it apart (the page's
/// run label, e.g. "clipvalue 0.5"), settings and records.
#[derive(Clone, Debug)]
pub struct RunRecords<'a> {
    pub number: usize,
    pub label: String,
    pub config: &'a Config,
    pub records: &'a [EpochRecord],
}

/// Every run of the store, in page order.
pub fn runs_of(store: &Store) -> Vec<RunRecords<'_>> {
    let labels = store.labels();
    store
        .runs()
        .iter()
        .enumerate()
        .zip(labels)
        .map(|((i, r), label)| RunRecords {
            number: i + 1,
            label,
            config: &r.config,
            records: r.records(),
        })
        .collect()
}

/// A file name after the experiment: the lesson's id when a lesson is loaded (it names what
/// its runs compare), else the run's `sigmoid-glorot_uniform-depth10`; then `-epoch12`, then
/// `-compareN` when N runs are shown, then `-{what}` (the chart or "records"), then `.{ext}`.
/// `config` is the run the name describes (the selected one); `epoch` the epoch shown.
pub fn file_name(
    lesson: Option<&str>,
    config: &Config,
    runs: usize,
    epoch: Option<usize>,
    what: &str,
    ext: &str,
) -> String {
    let mut name = match lesson {
        Some(id) => format!("gradscope-{}", clean(id)),
        None => format!(
            "gradscope-{}-{}-depth{}",
            config.activation.name(),
            config.init.name(),
            config.depth
        ),
    };
    if let Some(e) = epoch {
        name.push_str(&format!("-epoch{e}"));
    }
    if runs > 1 {
        name.push_str(&format!("-compare{runs}"));
    }
    for part in [what, ext] {
        let clean = clean(part);
        if !clean.is_empty() {
            name.push(if part == ext { '.' } else { '-' });
            name.push_str(&clean);
        }
    }
    name
}

/// Only letters, digits, `_` and `-`: safe in a file name on every system.
fn clean(part: &str) -> String {
    part.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        .collect()
}

/// The CSV header: `run`, `label` (what sets the run apart), every setting (the link's keys), the epoch's figures, the layer's.
pub fn csv_header() -> String {
    let mut cols: Vec<&str> = vec!["run", "label"];
    cols.extend(SETTINGS.iter().map(|s| s.key));
    cols.extend([
        "epoch",
        "train_loss",
        "train_accuracy",
        "val_loss",
        "val_accuracy",
        "status",
    ]);
    cols.push("layer");
    cols.extend(LAYER_FIGURES);
    cols.join(",")
}

/// A number for the CSV: Rust's shortest round-trip form; `NaN`, `inf` and `-inf` as
/// spreadsheets and pandas read them.
fn csv_num(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "inf" } else { "-inf" }.into()
    } else {
        format!("{x}")
    }
}

/// An optional figure: empty when undefined (`null` in the JSON).
fn csv_opt(x: Option<f64>) -> String {
    x.map(csv_num).unwrap_or_default()
}

/// A text field, quoted when it holds a comma, a quote or a line break.
fn csv_text(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Ok => "ok",
        Status::Diverged => "diverged",
    }
}

/// Every run's records, flat: one row per run, epoch and layer (an epoch without layer
/// figures still gets one row, its layer columns empty), each row carrying its run's number
/// and settings so one table can be filtered and grouped by them.
pub fn records_csv(runs: &[RunRecords]) -> String {
    let mut out = csv_header();
    out.push('\n');
    for run in runs {
        let mut prefix = vec![run.number.to_string(), csv_text(&run.label)];
        prefix.extend(SETTINGS.iter().map(|s| csv_text(&s.text(run.config))));
        let prefix = prefix.join(",");
        for r in run.records {
            let epoch = [
                r.epoch.to_string(),
                csv_num(r.train_loss),
                csv_num(r.train_accuracy),
                csv_num(r.val_loss),
                csv_num(r.val_accuracy),
                status_name(r.status).to_string(),
            ]
            .join(",");
            let layers: Vec<String> = if r.layers.is_empty() {
                vec![",".repeat(LAYER_FIGURES.len())]
            } else {
                r.layers
                    .iter()
                    .map(|l| {
                        [
                            l.layer.to_string(),
                            csv_num(l.grad_norm),
                            csv_num(l.clipped_grad_norm),
                            csv_num(l.delta_rms),
                            csv_num(l.weight_norm),
                            csv_opt(l.update_ratio),
                            csv_num(l.act_mean),
                            csv_num(l.act_std),
                            csv_num(l.saturated),
                            csv_opt(l.dead),
                        ]
                        .join(",")
                    })
                    .collect()
            };
            for l in layers {
                out.push_str(&format!("{prefix},{epoch},{l}\n"));
            }
        }
    }
    out
}

/// A run's settings as a JSON object keyed like the link (names as strings, numbers as
/// numbers).
pub fn config_json(config: &Config) -> serde_json::Value {
    // Inserted one by one: collecting into the map would sort the pairs first, and std's
    // stable sort costs the page ~1.5 KB gzipped.
    let mut map = serde_json::Map::new();
    for s in SETTINGS {
        let v = match (s.get)(config) {
            Value::Name(n) => serde_json::Value::from(n),
            Value::Whole(n) => serde_json::Value::from(n),
            Value::Number(x) => serde_json::Value::from(x),
        };
        map.insert(s.key.to_string(), v);
    }
    serde_json::Value::Object(map)
}

/// Every run's records as one JSON document:
/// `{"runs":[{"run":1,"label":"…","config":{…},"records":[…]},…]}`, each record written by
/// [`json_line`], so it is exactly what `gradscope train --json` prints for that epoch
/// (non-finite numbers as `null`). One record per line.
pub fn records_json(runs: &[RunRecords]) -> String {
    let mut out = String::from("{\"runs\":[");
    for (i, run) in runs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "\n{{\"run\":{},\"label\":{},\"config\":{},\"records\":[",
            run.number,
            serde_json::Value::String(run.label.clone()),
            config_json(run.config)
        ));
        for k in 0..run.records.len() {
            out.push_str(if k == 0 { "\n" } else { ",\n" });
            out.push_str(&json_line(run.config, &run.records[..=k]));
        }
        out.push_str("\n]}");
    }
    out.push_str("\n]}\n");
    out
}

/// Every run's layer distributions, long: one row per run, epoch, layer, quantity and what was
/// counted — a bin (`bin`, with its edges `lo`, `hi`; only bins that hold something), the
/// values apart (`zeros`, `nans`, `infs`), or a percentile (`percentile`, `lo` = `hi` = its
/// rank in %) — with `value` the count or the percentile. Empty when no run measured any.
pub fn histograms_csv(runs: &[RunRecords]) -> String {
    use crate::engine::layer_histograms::QUANTITIES;
    let mut out = String::from("run,label,epoch,layer,quantity,what,lo,hi,value\n");
    for run in runs {
        let label = csv_text(&run.label);
        for r in run.records {
            for l in &r.layers {
                let Some(h) = l.histograms() else { continue };
                let row = |q: &str, what: &str, lo: String, hi: String, v: String| {
                    format!(
                        "{},{label},{},{},{q},{what},{lo},{hi},{v}\n",
                        run.number, r.epoch, l.layer
                    )
                };
                for q in QUANTITIES {
                    let Some(x) = h.get(q) else { continue };
                    let edges = x.edges();
                    for (k, c) in x.counts.iter().enumerate().filter(|(_, c)| **c > 0) {
                        let i = x.first + k;
                        out.push_str(&row(
                            q,
                            "bin",
                            csv_num(edges[i]),
                            csv_num(edges[i + 1]),
                            c.to_string(),
                        ));
                    }
                    for (what, n) in [("zeros", x.zeros), ("nans", x.nans), ("infs", x.infs)] {
                        out.push_str(&row(q, what, String::new(), String::new(), n.to_string()));
                    }
                    let ranks = crate::engine::histogram::PERCENTILES;
                    for (p, v) in ranks.iter().zip(&x.percentiles) {
                        out.push_str(&row(
                            q,
                            "percentile",
                            p.to_string(),
                            p.to_string(),
                            csv_opt(*v),
                        ));
                    }
                }
            }
        }
    }
    out
}
