//! Every run (and the view) in the URL query, so a link replays the runs exactly:
//! `?depth=10&lr=0.3&vs=clip:global_clipnorm,clip_at:1` is two runs that differ in clipping.
//! Keys come from the settings table. Decoding never fails: what cannot be read falls back to
//! its default, with a notice.

use crate::engine::config::Config;
use crate::engine::layer_histograms::QUANTITIES;
use crate::engine::settings::{self, apply_diff_text, diff_text, excerpt, SETTINGS};
use crate::lesson::builtin;
use crate::protocol::Speed;

mod notices;

pub(crate) use notices::edit_distance;
use notices::{summarize, unknown_notice};

/// Which gradient magnitude the bar chart and heatmap show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum GradMetric {
    /// ‖∂L/∂W‖ of each kernel.
    #[default]
    GradNorm,
    /// RMS of the back-propagated ∂L/∂z.
    DeltaRms,
    /// ‖∂L/∂W‖ after clipping: the gradient the optimizer is given.
    ClippedGradNorm,
}

impl GradMetric {
    pub fn name(self) -> &'static str {
        match self {
            GradMetric::GradNorm => "grad_norm",
            GradMetric::DeltaRms => "delta_rms",
            GradMetric::ClippedGradNorm => "clipped_grad_norm",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        [
            GradMetric::GradNorm,
            GradMetric::DeltaRms,
            GradMetric::ClippedGradNorm,
        ]
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

/// The most runs shown side by side (and held by a link).
pub const MAX_RUNS: usize = 4;

#[derive(Clone, Debug, PartialEq)]
pub struct UrlState {
    /// The runs, 1 to [`MAX_RUNS`]; the first one's settings are the link's main keys.
    pub runs: Vec<Config>,
    pub metric: GradMetric,
    pub theme: Theme,
    /// The speed chosen in the link; None: the view's default ([`Speed::for_view`]).
    pub speed: Option<Speed>,
    /// Presenter mode (`present=1`): a lecture's links open straight onto the projector layout.
    pub present: bool,
    /// The browser benchmark (`bench=1`).
    pub bench: bool,
    /// A built-in lesson named by `?lesson=ID`: its step's runs are the starting point, and
    /// the link's other parameters adjust them.
    pub lesson: Option<&'static str>,
    /// The lesson's step (`step=K`, 1-based).
    pub step: usize,
    /// The Distributions view of this quantity (`dist=activation`, …: an index into
    /// `layer_histograms::QUANTITIES`); None: the map card shows its default.
    pub dist: Option<usize>,
}

impl Default for UrlState {
    fn default() -> Self {
        UrlState {
            runs: vec![Config::default()],
            metric: GradMetric::default(),
            theme: Theme::default(),
            speed: None,
            present: false,
            bench: false,
            lesson: None,
            step: 1,
            dist: None,
        }
    }
}

/// A view parameter: how the page shows the runs, not what they are. The codec reads and
/// writes every one of them through this table.
struct ViewKey {
    key: &'static str,
    /// The values it takes, as a notice names them.
    allowed: &'static str,
    /// Reads a value into the state; false when it is not one of `allowed`.
    read: fn(&mut UrlState, &str) -> bool,
    /// The value a link carries, if any (defaults are left out).
    write: fn(&UrlState) -> Option<&'static str>,
}

const VIEW_KEYS: &[ViewKey] = &[
    ViewKey {
        key: "metric",
        allowed: "grad_norm, delta_rms or clipped_grad_norm",
        read: |s, v| GradMetric::from_name(v).map(|m| s.metric = m).is_some(),
        write: |s| Some(s.metric.name()),
    },
    ViewKey {
        key: "theme",
        allowed: "light, dark or lecture",
        read: |s, v| Theme::from_name(v).map(|t| s.theme = t).is_some(),
        write: |s| (s.theme != Theme::Light).then(|| s.theme.name()),
    },
    ViewKey {
        key: "speed",
        allowed: "slow, medium or fast",
        read: |s, v| Speed::from_name(v).map(|x| s.speed = Some(x)).is_some(),
        write: |s| s.speed.map(Speed::name),
    },
    ViewKey {
        key: "present",
        allowed: "1 or 0",
        read: |s, v| match v {
            "1" | "0" => {
                s.present = v == "1";
                true
            }
            _ => false,
        },
        write: |s| s.present.then_some("1"),
    },
    ViewKey {
        key: "bench",
        allowed: "1",
        read: |s, v| {
            s.bench = v == "1";
            s.bench
        },
        write: |s| s.bench.then_some("1"),
    },
    ViewKey {
        key: "dist",
        allowed: "activation, preactivation, delta, weight or gradient",
        read: |s, v| {
            s.dist = QUANTITIES.iter().position(|q| *q == v);
            s.dist.is_some()
        },
        write: |s| s.dist.and_then(|i| QUANTITIES.get(i).copied()),
    },
];

/// A built-in lesson step's own runs and view (None when the lesson or step does not exist);
/// `step` is 1-based, as in a link.
pub fn lesson_base(id: &str, step: usize) -> Option<UrlState> {
    let lesson = builtin::find(id)?.lesson()?.ok()?;
    Some(lesson.steps.get(step.checked_sub(1)?)?.link())
}

/// The runs a lesson step makes when its first run is `first` (its own first run, or one a
/// link adjusted): each comparison applies its differences from the step's first to `first`.
fn lesson_runs(base: &UrlState, first: &Config) -> Vec<Config> {
    let mut runs = vec![first.clone()];
    runs.extend(
        base.runs[1..]
            .iter()
            .map(|r| apply_diff_text(first, &diff_text(&base.runs[0], r)).0),
    );
    runs
}

/// The query string (without '?') for a state. Without a lesson every setting of the first
/// run is written (defaults too, so a link keeps meaning the same run if a default changes);
/// with a lesson, only what differs from it. Each further run is one `vs=` parameter listing
/// how it differs from the first run.
pub fn encode(state: &UrlState) -> String {
    let Some(first) = state.runs.first() else {
        return String::new();
    };
    let mut q = form_urlencoded::Serializer::new(String::new());
    let base = state
        .lesson
        .and_then(|id| Some((id, lesson_base(id, state.step)?)));
    let written = match &base {
        Some((id, b)) => {
            q.append_pair("lesson", id);
            if state.step != 1 {
                q.append_pair("step", &state.step.to_string());
            }
            settings::changes(&b.runs[0], first)
        }
        None => SETTINGS.iter().filter(|s| (s.written)(first)).collect(),
    };
    for s in written {
        q.append_pair(s.key, &s.text(first));
    }
    let derived = base
        .as_ref()
        .is_some_and(|(_, b)| lesson_runs(b, first) == state.runs);
    if !derived {
        for run in &state.runs[1..] {
            q.append_pair("vs", &diff_text(first, run));
        }
    }
    for view in VIEW_KEYS {
        if let Some(value) = (view.write)(state) {
            q.append_pair(view.key, value);
        }
    }
    q.finish()
}

/// Reads a query string (with or without '?'). Returns the state and one notice per
/// parameter that could not be used. Decoding never fails: what cannot be read keeps its
/// default.
pub fn decode(query: &str) -> (UrlState, Vec<String>) {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut state = UrlState::default();
    let mut notices = Vec::new();
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    // A lesson first, so that the link's other parameters can adjust it.
    let mut lesson = None;
    if let Some((_, id)) = pairs.iter().rev().find(|(k, _)| k == "lesson") {
        let step = pairs
            .iter()
            .rev()
            .find(|(k, _)| k == "step")
            .map_or(Some(1), |(_, v)| v.parse().ok());
        match (builtin::find(id), step) {
            (Some(b), Some(step)) => match lesson_base(b.id, step) {
                Some(base) => {
                    state.runs = vec![base.runs[0].clone()];
                    state.metric = base.metric;
                    state.lesson = Some(b.id);
                    state.step = step;
                    lesson = Some(base);
                }
                None if b.text().is_none() => notices.push(format!(
                    "lesson '{}' could not be loaded (lessons/{}.md beside the page); using the default",
                    b.id, b.id
                )),
                None => notices.push(format!(
                    "lesson '{}' has no step {step}; using the default",
                    b.id
                )),
            },
            (Some(b), None) => notices.push(format!(
                "lesson '{}': the step is not a number; using the default",
                b.id
            )),
            (None, _) => notices.push(format!(
                "'lesson={}' is not a lesson (one of {}); using the default",
                excerpt(id),
                builtin::BUILT_IN
                    .iter()
                    .map(|b| b.id)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
    let mut settings = Vec::new();
    let mut vs = Vec::new();
    let mut unknown: Vec<&str> = Vec::new();
    for (key, value) in &pairs {
        let (key, v) = (key.as_str(), value.as_str());
        let bad = |allowed: &str| {
            format!(
                "'{}={}' is not valid ({allowed}); using the default",
                excerpt(key),
                excerpt(v)
            )
        };
        match key {
            // Read by the page: a lesson file beside it.
            "lesson" | "step" | "lesson_file" => {}
            "vs" => vs.push(v),
            _ => match (VIEW_KEYS.iter().find(|k| k.key == key), settings::find(key)) {
                (Some(view), _) => {
                    if !(view.read)(&mut state, v) {
                        notices.push(bad(view.allowed));
                    }
                }
                (None, Some(s)) => settings.push((s, v.to_string())),
                (None, None) => unknown.push(key),
            },
        }
    }
    let first = &mut state.runs[0];
    for (key, problem) in settings::apply(first, &settings) {
        let given = pairs
            .iter()
            .find(|(k, _)| settings::find(k).is_some_and(|s| s.key == key))
            .map_or(String::new(), |(k, v)| format!("{k}={}", excerpt(v)));
        notices.push(format!("'{given}': {problem}; using the default"));
    }
    notices.extend(unknown_notice(&unknown));
    let base = lesson
        .as_ref()
        .map_or_else(Config::default, |l| l.runs[0].clone());
    repair(&mut state.runs[0], &base, "", &mut notices);
    let first = state.runs[0].clone();
    for (i, diff) in vs.iter().enumerate() {
        if state.runs.len() >= MAX_RUNS {
            notices.push(format!(
                "only {MAX_RUNS} runs can be compared; {} more ignored",
                vs.len() - i
            ));
            break;
        }
        let (mut run, problems) = apply_diff_text(&first, diff);
        let diff = excerpt(diff);
        // A vs= that names nothing usable adds no run (an empty one is a deliberate copy).
        let unusable = !problems.is_empty() && run == first;
        notices.extend(problems.into_iter().map(|p| format!("vs={diff}: {p}")));
        if unusable {
            notices.push(format!("vs={diff}: nothing usable in it; no run added"));
            continue;
        }
        repair(&mut run, &first, &format!("vs={diff}: "), &mut notices);
        state.runs.push(run);
    }
    // A lesson's own comparisons, unless the link's vs= gave usable ones of its own.
    if state.runs.len() == 1 {
        if let Some(l) = &lesson {
            state.runs = lesson_runs(l, &first);
        }
    }
    (state, summarize(notices))
}

/// Settings that are each in range but clash together (batch size 1 with batch norm): the
/// setting named by the problem goes back to `base`'s value, with a notice.
/// A task or batch norm that the model cannot take goes to what the model can.
fn repair(config: &mut Config, base: &Config, prefix: &str, notices: &mut Vec<String>) {
    // A value that could not be read fell back to `base`'s, which may be another model's.
    config.reset_other_model_settings();
    for problem in config.problems() {
        if let Some(s) = settings::find(problem.field) {
            (s.set)(config, (s.get)(base));
        }
        config.fit_to_model();
        let fallback =
            settings::find(problem.field).map_or("the default".into(), |s| s.text(config));
        notices.push(format!("{prefix}{problem}; using {fallback}"));
    }
    if !config.problems().is_empty() {
        *config = base.clone();
    }
}
