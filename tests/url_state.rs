//! The URL codec: every option round-trips; garbage gives the defaults and a notice each.

use gradscope::engine::activation::Activation;
use gradscope::engine::clip::Clipping;
use gradscope::engine::config::Config;
use gradscope::engine::data::DatasetKind;
use gradscope::engine::init::Initializer;
use gradscope::engine::network::BatchNormPlacement;
use gradscope::engine::optim::OptimizerKind;
use gradscope::protocol::Speed;
use gradscope::url_state::{decode, encode, GradMetric, Theme, UrlState};

fn round_trip(state: UrlState) {
    let q = encode(&state);
    let (back, notices) = decode(&format!("?{q}"));
    assert!(notices.is_empty(), "{q}: {notices:?}");
    assert_eq!(back, state, "{q}");
}

#[test]
fn every_option_round_trips() {
    let base = UrlState::default();
    let with = |f: &dyn Fn(&mut Config)| {
        let mut s = base.clone();
        f(&mut s.config);
        s
    };
    for d in DatasetKind::ALL {
        round_trip(with(&|c| {
            c.dataset = d;
            c.noise = 0.35;
        }));
    }
    for a in Activation::ALL {
        round_trip(with(&|c| c.activation = a));
    }
    for i in Initializer::ALL {
        round_trip(with(&|c| c.init = i));
    }
    for b in BatchNormPlacement::ALL {
        round_trip(with(&|c| c.batch_norm = b));
    }
    for o in OptimizerKind::ALL {
        round_trip(with(&|c| c.optimizer = o));
    }
    for clip in [
        Clipping::Off,
        Clipping::Value(0.5),
        Clipping::Norm(1.0),
        Clipping::GlobalNorm(2.5),
    ] {
        round_trip(with(&|c| c.clipping = clip));
    }
    round_trip(with(&|c| {
        c.depth = 100;
        c.width = 512;
        c.lr = 3.1622776601683795e-4;
        c.batch_size = 7;
        c.epochs = 0;
        c.seed = u64::MAX;
        c.init_seed = 12;
        c.l2 = 1e-4;
    }));
    for theme in Theme::ALL {
        round_trip(UrlState {
            theme,
            metric: GradMetric::DeltaRms,
            ..base.clone()
        });
    }
    for speed in Speed::ALL {
        round_trip(UrlState {
            speed,
            ..base.clone()
        });
    }
}

#[test]
fn garbage_falls_back_to_defaults_with_a_notice_each() {
    let (state, notices) = decode(
        "?depth=abc&width=99999&activation=swish&lr=-3&clip=sometimes&bogus=1&epochs=1e9&batch=0&noise=NaN",
    );
    assert_eq!(state.config, Config::default());
    assert_eq!(notices.len(), 9, "{notices:?}");
    assert!(notices.iter().any(|n| n.contains("depth=abc")));
    assert!(notices
        .iter()
        .any(|n| n.contains("swish") && n.contains("relu")));
    assert!(notices.iter().any(|n| n.contains("bogus")));
    assert!(notices
        .iter()
        .any(|n| n.contains("width") && n.contains("2 to 512")));
}

#[test]
fn broken_encodings_and_odd_shapes_do_not_panic() {
    for q in [
        "",
        "?",
        "&&&",
        "=",
        "depth",
        "depth=",
        "%zz=%",
        "lr=1%2",
        "clip=clipnorm&clip_at=0",
        "lr=inf",
        "seed=-1",
        "??depth=3",
        "\u{1F600}=\u{1F600}",
    ] {
        let (state, _) = decode(q);
        assert!(state.config.problems().is_empty(), "{q}");
    }
    let (s, n) = decode("clip=clipnorm&clip_at=0");
    assert_eq!(s.config.clipping, Clipping::Off);
    assert_eq!(n.len(), 1);
    let (s, n) = decode("depth=3&seed=4");
    assert!(n.is_empty());
    assert_eq!(
        (s.config.depth, s.config.init_seed),
        (3, 4),
        "init_seed follows seed"
    );
}

#[test]
fn a_lesson_link_loads_the_lesson_and_other_parameters_adjust_it() {
    let (s, n) = decode("?lesson=sigmoid");
    assert!(n.is_empty(), "{n:?}");
    assert_eq!(s.lesson, Some("sigmoid"));
    assert_eq!(s.config.activation, Activation::Sigmoid);
    assert_eq!(s.config.init, Initializer::GlorotUniform);
    let (s, _) = decode("?depth=4&lesson=relu30_glorot");
    assert_eq!(
        (s.config.depth, s.config.lr),
        (4, 0.01),
        "explicit depth wins, the lesson's lr stays"
    );
    let (s, n) = decode("?lesson=nope");
    assert_eq!(s.config, Config::default());
    assert_eq!(s.lesson, None);
    assert!(n[0].contains("nope") && n[0].contains("sigmoid"));
}
