//! The lessons the app offers in one click (DESIGN §6), each a complete configuration.

use crate::engine::activation::Activation;
use crate::engine::config::Config;
use crate::engine::init::Initializer;
use crate::engine::settings::apply_diff_text;
use crate::url_state::GradMetric;

pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    /// What to look for, in a sentence.
    pub watch: &'static str,
    /// The first run.
    pub config: fn() -> Config,
    /// The runs compared with it, each as its differences from the first (`key:value,…`, as
    /// in a link's `vs=`); empty for a one-run lesson.
    pub vs: &'static [&'static str],
    /// The gradient measure its text speaks of, which it opens on.
    pub metric: GradMetric,
}

impl Preset {
    /// Every run of the lesson, the first one first.
    pub fn runs(&self) -> Vec<Config> {
        let first = (self.config)();
        let mut runs = vec![first.clone()];
        runs.extend(self.vs.iter().map(|d| apply_diff_text(&first, d).0));
        runs
    }
}

fn base() -> Config {
    Config::default()
}

pub const PRESETS: &[Preset] = &[
    Preset {
        id: "healthy",
        title: "Healthy: ReLU + He, 10 layers",
        watch: "Bars of similar height in every layer; accuracy climbs past 90\u{a0}%.",
        config: base,
        vs: &[],
        metric: GradMetric::GradNorm,
    },
    Preset {
        id: "sigmoid",
        title: "Vanishing: sigmoid + Glorot",
        watch: "The bars fall about 4× per layer toward the input; accuracy stays at chance. Glorot is the right variance for sigmoid at the start (it keeps each layer's signal at one scale), but the gradient also passes sigmoid's slope, at most 1/4, at every layer: measured, the back-propagated gradient shrinks by 0.21–0.26 from one layer to the next (seeds 0–4).",
        config: || Config {
            activation: Activation::Sigmoid,
            init: Initializer::GlorotUniform,
            ..base()
        },
        vs: &[],
        metric: GradMetric::GradNorm,
    },
    Preset {
        id: "notes_clipvalue",
        title: "The notes: SGD vs SGD + clipvalue 0.5",
        watch: "As in the notes, both runs learn and the clipped one is ahead at every epoch from the third on (seeds 0–4): after 10 epochs plain SGD is at 39–70\u{a0}%, with clipvalue 0.5 at 86–93\u{a0}%. The notes do not give their network; this one has 3 ReLU layers whose weights start too large (sd 1), so the first gradients are big enough for clipping to matter.",
        config: || Config {
            depth: 3,
            init: Initializer::Large,
            epochs: 10,
            ..base()
        },
        vs: &["clip:clipvalue,clip_at:0.5"],
        metric: GradMetric::GradNorm,
    },
    Preset {
        id: "clip_modes",
        title: "Clipping modes at a too-high learning rate",
        watch: "At lr 0.3 unclipped SGD flails: it ends at 61\u{a0}% or below, or diverges late (seeds 0–4). Clipvalue 0.5 helps only partly (44–91\u{a0}%); both norm clips train normally (89–99\u{a0}%).",
        config: || Config {
            lr: 0.3,
            ..base()
        },
        vs: &[
            "clip:clipvalue,clip_at:0.5",
            "clip:clipnorm,clip_at:1",
            "clip:global_clipnorm,clip_at:1",
        ],
        metric: GradMetric::GradNorm,
    },
    Preset {
        id: "relu30_glorot",
        title: "30 ReLU layers: Glorot vs He",
        watch: "With Glorot, layer 1's δ is ~10⁻⁵ of the output layer's and accuracy stays at chance (7\u{a0}%); with He it is 0.2–0.8 of it and accuracy climbs to 67–81\u{a0}% (seeds 0–4).",
        config: || Config {
            depth: 30,
            init: Initializer::GlorotUniform,
            lr: 0.004,
            ..base()
        },
        vs: &["init:he_normal"],
        metric: GradMetric::DeltaRms,
    },
    Preset {
        id: "bn_sigmoid",
        title: "Deep sigmoid with and without batch norm",
        watch: "Without batch norm layer 1's δ is ~10⁻⁷ of the output layer's and accuracy stays at chance (7–11\u{a0}%); with batch norm before each sigmoid it is about 0.7 of it and accuracy reaches 95–97\u{a0}% (seeds 0–4). Watch the batch-norm run's first epochs: its training accuracy climbs to about 90\u{a0}% while its validation accuracy stays near chance (at most 17\u{a0}%) through epoch 5 — evaluation uses batch norm's moving averages (momentum 0.99), which trail the fast-changing network — then catches up, 75–80\u{a0}% at epoch 7.",
        config: || Config {
            activation: Activation::Sigmoid,
            init: Initializer::GlorotUniform,
            ..base()
        },
        vs: &["batch_norm:before"],
        metric: GradMetric::DeltaRms,
    },
    Preset {
        id: "selu",
        title: "30 layers, LeCun normal: SELU vs ReLU",
        watch: "SELU keeps layer 1's δ within 1.5–4× of the output layer's and reaches 91–99\u{a0}%; ReLU with the same LeCun weights lets it fade to ~10⁻⁵ and stays at chance, 7\u{a0}% (seeds 0–4).",
        config: || Config {
            depth: 30,
            activation: Activation::Selu,
            init: Initializer::LecunNormal,
            lr: 0.01,
            ..base()
        },
        vs: &["activation:relu"],
        metric: GradMetric::DeltaRms,
    },
    Preset {
        id: "init_scale",
        title: "Weight scale: too small vs He vs too large",
        watch: "At epoch 0 layer 1's δ is 10⁻¹³ of the output layer's with small weights (stuck at 7\u{a0}%), about a third with He (94–98\u{a0}%), and 10⁷× with large weights, which turn to NaN in epoch 1 (seeds 0–4).",
        config: || Config {
            init: Initializer::Small,
            ..base()
        },
        vs: &["init:he_normal", "init:large"],
        metric: GradMetric::DeltaRms,
    },
    Preset {
        id: "small",
        title: "Too-small weights (sd 0.01)",
        watch: "Every gradient is tiny: the weights barely move.",
        config: || Config {
            init: Initializer::Small,
            ..base()
        },
        vs: &[],
        metric: GradMetric::GradNorm,
    },
    Preset {
        id: "large",
        title: "Too-large weights: exploding",
        watch: "Huge gradients in the first epoch, then the loss turns into NaN.",
        config: || Config {
            init: Initializer::Large,
            ..base()
        },
        vs: &[],
        metric: GradMetric::GradNorm,
    },
    Preset {
        id: "tanh_large",
        title: "tanh + large weights",
        watch: "At epoch 0 the bars rise toward layer 1: the gradient grows on its way back. Training then saturates the units and it vanishes instead.",
        config: || Config {
            activation: Activation::Tanh,
            init: Initializer::Large,
            lr: 0.01,
            ..base()
        },
        vs: &[],
        metric: GradMetric::DeltaRms,
    },
    Preset {
        id: "zeros",
        title: "Zero init: symmetry never breaks",
        watch: "Every unit of a layer computes the same thing, and no gradient reaches the hidden layers.",
        config: || Config {
            activation: Activation::Tanh,
            init: Initializer::Zeros,
            ..base()
        },
        vs: &[],
        metric: GradMetric::GradNorm,
    },
];

pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

/// The lessons in the order the lesson menu lists them (one-run lessons, then comparisons):
/// the order of the keys 1–9 and of PageDown / PageUp.
pub fn menu() -> Vec<&'static Preset> {
    let (single, compare): (Vec<_>, Vec<_>) = PRESETS.iter().partition(|p| p.vs.is_empty());
    single.into_iter().chain(compare).collect()
}

/// The lesson `step` places after `current` in [`menu`] (before it for a negative step),
/// wrapping around; the first (or last) one when no lesson is loaded.
pub fn neighbour(current: Option<&str>, step: isize) -> &'static Preset {
    let menu = menu();
    let n = menu.len() as isize;
    let at = current.and_then(|id| menu.iter().position(|p| p.id == id));
    let next = match at {
        Some(i) => (i as isize + step).rem_euclid(n),
        None if step >= 0 => 0,
        None => n - 1,
    };
    menu[next as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_a_valid_distinct_configuration() {
        for (i, p) in PRESETS.iter().enumerate() {
            for (k, run) in p.runs().iter().enumerate() {
                assert!(run.problems().is_empty(), "{} run {k}", p.id);
            }
            for d in p.vs {
                let (_, notices) = apply_diff_text(&(p.config)(), d);
                assert!(notices.is_empty(), "{}: {d}: {notices:?}", p.id);
            }
            assert!(p.runs().len() <= crate::url_state::MAX_RUNS, "{}", p.id);
            for q in &PRESETS[i + 1..] {
                assert_ne!(p.runs(), q.runs(), "{} = {}", p.id, q.id);
                assert_ne!(p.id, q.id);
            }
        }
        assert!(find("sigmoid").is_some() && find("nope").is_none());
    }

    #[test]
    fn the_menu_lists_every_lesson_once_and_paging_walks_it_round() {
        let menu = menu();
        assert_eq!(menu.len(), PRESETS.len());
        for p in PRESETS {
            assert_eq!(menu.iter().filter(|q| q.id == p.id).count(), 1, "{}", p.id);
        }
        // One-run lessons first, as the menu's first group.
        let first_compare = menu.iter().position(|p| !p.vs.is_empty()).unwrap();
        assert!(menu[first_compare..].iter().all(|p| !p.vs.is_empty()));
        assert_eq!(neighbour(None, 1).id, menu[0].id);
        assert_eq!(neighbour(None, -1).id, menu[menu.len() - 1].id);
        let mut id = menu[0].id;
        for _ in 0..menu.len() {
            let next = neighbour(Some(id), 1);
            assert_eq!(neighbour(Some(next.id), -1).id, id);
            id = next.id;
        }
        assert_eq!(id, menu[0].id, "paging forward comes round");
    }

    #[test]
    fn a_lesson_that_speaks_of_delta_opens_on_delta() {
        for p in PRESETS {
            if p.watch.contains('δ') {
                assert_eq!(p.metric, GradMetric::DeltaRms, "{}", p.id);
            }
        }
    }
}
