//! The whole configuration (and the view) in the URL query, so a link replays a run exactly.
//! Decoding never fails: what cannot be read falls back to its default, with a notice.

use crate::engine::activation::Activation;
use crate::engine::clip::Clipping;
use crate::engine::config::Config;
use crate::engine::data::DatasetKind;
use crate::engine::init::Initializer;
use crate::engine::network::BatchNormPlacement;
use crate::engine::optim::OptimizerKind;
use crate::protocol::Speed;

/// Which gradient magnitude the bar chart and heatmap show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum GradMetric {
    /// ‖∂L/∂W‖ of each kernel.
    #[default]
    GradNorm,
    /// RMS of the back-propagated ∂L/∂z.
    DeltaRms,
}

impl GradMetric {
    pub fn name(self) -> &'static str {
        match self {
            GradMetric::GradNorm => "grad_norm",
            GradMetric::DeltaRms => "delta_rms",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        [GradMetric::GradNorm, GradMetric::DeltaRms]
            .into_iter()
            .find(|m| m.name() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Light,
    Dark,
    /// Larger type and thicker lines for a projector.
    Lecture,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::Lecture];

    pub fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Lecture => "lecture",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct UrlState {
    pub config: Config,
    pub metric: GradMetric,
    pub theme: Theme,
    pub speed: Speed,
    /// A lesson named by `?lesson=ID`: its configuration is the starting point, and any other
    /// parameter in the link overrides it (not written back: the full configuration is).
    pub lesson: Option<&'static str>,
}

/// The query string (without '?') for a state; defaults are written too, so a link keeps
/// meaning the same run even if a later version changes a default.
pub fn encode(state: &UrlState) -> String {
    let c = &state.config;
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("dataset", c.dataset.name());
    q.append_pair("noise", &c.noise.to_string());
    q.append_pair("depth", &c.depth.to_string())
        .append_pair("width", &c.width.to_string())
        .append_pair("activation", c.activation.name())
        .append_pair("init", c.init.name())
        .append_pair("bn", c.batch_norm.name())
        .append_pair("optimizer", c.optimizer.name())
        .append_pair("lr", &c.lr.to_string())
        .append_pair("batch", &c.batch_size.to_string())
        .append_pair("epochs", &c.epochs.to_string())
        .append_pair("seed", &c.seed.to_string());
    if c.init_seed != c.seed {
        q.append_pair("init_seed", &c.init_seed.to_string());
    }
    if c.l2 > 0.0 {
        q.append_pair("l2", &c.l2.to_string());
    }
    q.append_pair("clip", c.clipping.mode_name());
    if let Some(t) = c.clipping.threshold() {
        q.append_pair("clip_at", &t.to_string());
    }
    q.append_pair("metric", state.metric.name());
    if state.theme != Theme::Light {
        q.append_pair("theme", state.theme.name());
    }
    if state.speed != Speed::default() {
        q.append_pair("speed", state.speed.name());
    }
    q.finish()
}

/// Reads a query string (with or without '?'). Returns the state and one notice per
/// parameter that could not be used.
pub fn decode(query: &str) -> (UrlState, Vec<String>) {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut state = UrlState::default();
    let mut notices = Vec::new();
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    // A lesson first, so that the link's other parameters can adjust it.
    if let Some((_, id)) = pairs.iter().rev().find(|(k, _)| k == "lesson") {
        match crate::presets::find(id) {
            Some(p) => {
                state.config = (p.config)();
                state.lesson = Some(p.id);
            }
            None => notices.push(format!(
                "'lesson={id}' is not a lesson (one of {}); using the default",
                crate::presets::PRESETS
                    .iter()
                    .map(|p| p.id)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
    let defaults = Config::default();
    let c = &mut state.config;
    let mut init_seed = None;
    let mut clip_mode: Option<String> = None;
    let mut clip_at: Option<f64> = None;

    for (key, value) in &pairs {
        let (key, v) = (key.as_str(), value.as_str());
        let mut bad = |allowed: &str| {
            notices.push(format!(
                "'{key}={v}' is not valid ({allowed}); using the default"
            ));
        };
        macro_rules! choice {
            ($field:expr, $ty:ty) => {
                match <$ty>::from_name(v) {
                    Some(x) => $field = x,
                    None => bad(&format!(
                        "one of {}",
                        <$ty>::ALL
                            .iter()
                            .map(|x| x.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                }
            };
        }
        macro_rules! number {
            ($field:expr, $what:expr) => {
                match v.parse() {
                    Ok(x) => $field = x,
                    Err(_) => bad($what),
                }
            };
        }
        match key {
            "dataset" => choice!(c.dataset, DatasetKind),
            "activation" => choice!(c.activation, Activation),
            "init" => choice!(c.init, Initializer),
            "bn" => choice!(c.batch_norm, BatchNormPlacement),
            "optimizer" => choice!(c.optimizer, OptimizerKind),
            "lesson" => {}
            "theme" => choice!(state.theme, Theme),
            "speed" => choice!(state.speed, Speed),
            "metric" => match GradMetric::from_name(v) {
                Some(m) => state.metric = m,
                None => bad("grad_norm or delta_rms"),
            },
            "noise" => number!(c.noise, "a number from 0 to 1"),
            "depth" => number!(c.depth, "an integer from 1 to 100"),
            "width" => number!(c.width, "an integer from 2 to 512"),
            "lr" => number!(c.lr, "a number from 1e-6 to 10"),
            "batch" => number!(c.batch_size, "an integer from 1 to 512"),
            "epochs" => number!(c.epochs, "an integer from 0 to 1000"),
            "seed" => number!(c.seed, "a whole number ≥ 0"),
            "l2" => number!(c.l2, "a number from 0 to 1"),
            "init_seed" => match v.parse() {
                Ok(x) => init_seed = Some(x),
                Err(_) => bad("a whole number ≥ 0"),
            },
            "clip" => {
                if Clipping::MODES.contains(&v) {
                    clip_mode = Some(v.to_string());
                } else {
                    bad(&format!("one of {}", Clipping::MODES.join(", ")));
                }
            }
            "clip_at" => match v.parse::<f64>() {
                Ok(x) => clip_at = Some(x),
                Err(_) => bad("a number above 0"),
            },
            _ => notices.push(format!("unknown parameter '{key}' ignored")),
        }
    }
    c.init_seed = init_seed.unwrap_or(c.seed);
    if let Some(mode) = clip_mode {
        let t = clip_at.unwrap_or(1.0);
        c.clipping = Clipping::from_parts(&mode, t).unwrap_or_default();
    }
    // Values that parsed but are out of range: back to the default, one notice each.
    for problem in c.problems() {
        notices.push(format!("{problem}; using the default"));
        match problem.field {
            "depth" => c.depth = defaults.depth,
            "width" => c.width = defaults.width,
            "batch_size" => c.batch_size = defaults.batch_size,
            "epochs" => c.epochs = defaults.epochs,
            "lr" => c.lr = defaults.lr,
            "noise" => c.noise = defaults.noise,
            "l2" => c.l2 = defaults.l2,
            _ => c.clipping = defaults.clipping,
        }
    }
    (state, notices)
}
