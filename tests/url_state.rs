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
        f(&mut s.runs[0]);
        s
    };
    for d in DatasetKind::ALL {
        round_trip(with(&|c| {
            c.dataset = d;
            c.noise = 0.35;
            if d.is_sequence() {
                c.switch_model(gradscope::engine::model::ModelKind::Rnn);
                c.dataset = d;
            }
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
    for speed in Speed::ALL.map(Some).into_iter().chain([None]) {
        for (present, bench) in [(false, false), (true, false), (false, true)] {
            round_trip(UrlState {
                speed,
                present,
                bench,
                ..base.clone()
            });
        }
    }
}

#[test]
fn view_parameters_are_read_written_and_checked_from_one_table() {
    let (s, n) = decode("?present=1&speed=slow&theme=lecture&metric=delta_rms&bench=1");
    assert!(n.is_empty(), "{n:?}");
    assert!(s.present && s.bench);
    assert_eq!(s.speed, Some(Speed::Slow));
    assert_eq!(s.theme, Theme::Lecture);
    assert_eq!(s.metric, GradMetric::DeltaRms);
    // Defaults are left out of a link; a speed left unchosen stays unchosen.
    let q = encode(&UrlState::default());
    for key in ["present=", "speed=", "theme=", "bench="] {
        assert!(!q.contains(key), "{q}");
    }
    assert_eq!(decode(&q).0.speed, None);
    for bad in [
        "present=yes",
        "speed=warp",
        "theme=neon",
        "metric=norm",
        "bench=2",
    ] {
        let (s, n) = decode(bad);
        assert_eq!(n.len(), 1, "{bad}: {n:?}");
        assert!(n[0].contains("not valid"), "{bad}: {n:?}");
        assert_eq!((s.present, s.speed, s.bench), (false, None, false), "{bad}");
    }
    // A typo of a view key is named like a setting's.
    let (_, n) = decode("presnt=1");
    assert!(n[0].contains("did you mean 'present'"), "{n:?}");
}

#[test]
fn a_lesson_opens_on_the_measure_its_text_speaks_of_unless_the_link_says_otherwise() {
    for b in gradscope::lesson::builtin::BUILT_IN {
        let step = &b.lesson().unwrap().unwrap().steps[0];
        let (s, n) = decode(&format!("?lesson={}", b.id));
        assert!(n.is_empty(), "{}: {n:?}", b.id);
        assert_eq!(s.metric, step.link().metric, "{}", b.id);
        assert_eq!(s.runs, step.link().runs, "{}", b.id);
        assert_eq!(decode(&encode(&s)).0, s, "{}", b.id);
    }
    // A later step, named by step=K, and one that does not exist.
    let (s, n) = decode("?lesson=tour&step=3");
    assert!(n.is_empty(), "{n:?}");
    assert_eq!((s.step, s.runs[0].activation.name()), (3, "sigmoid"));
    assert!(encode(&s).contains("step=3"));
    let (s, n) = decode("?lesson=tour&step=99");
    assert_eq!(s.lesson, None);
    assert!(n[0].contains("no step 99"), "{n:?}");
    let (s, _) = decode("?lesson=init_scale");
    assert_eq!(s.metric, GradMetric::DeltaRms);
    let (s, _) = decode("?lesson=init_scale&metric=grad_norm");
    assert_eq!(s.metric, GradMetric::GradNorm);
}

#[test]
fn a_comparison_that_names_nothing_usable_adds_no_run() {
    for q in [
        "?vs=garbage",
        "?depth=3&vs=zzz",
        "?vs=depth:0",
        "?vs=color:red,size:9",
    ] {
        let (s, n) = decode(q);
        assert_eq!(s.runs.len(), 1, "{q}");
        assert!(n.iter().any(|m| m.contains("no run added")), "{q}: {n:?}");
        assert!(!encode(&s).contains("vs="), "{q}: the link drops it");
    }
    // Part of it usable: the run is added with what could be read, the rest named.
    let (s, n) = decode("?vs=depth:5,color:red");
    assert_eq!(s.runs.len(), 2);
    assert_eq!(s.runs[1].depth, 5);
    assert!(n.iter().any(|m| m.contains("color")), "{n:?}");
    // A lesson whose link's vs= is unusable keeps the lesson's own comparisons.
    let (s, _) = decode("?lesson=notes_clipvalue&vs=zzz");
    assert_eq!(
        s.runs,
        gradscope::url_state::lesson_base("notes_clipvalue", 1)
            .unwrap()
            .runs
    );
    assert_eq!(decode(&encode(&s)).0, s);
    // An empty vs= is a deliberate copy.
    let (s, n) = decode("?vs=");
    assert_eq!(s.runs.len(), 2);
    assert_eq!(s.runs[0], s.runs[1]);
    assert!(n.is_empty(), "{n:?}");
}

#[test]
fn garbage_falls_back_to_defaults_with_a_notice_each() {
    let (state, notices) = decode(
        "?depth=abc&width=99999&activation=swish&lr=-3&clip=sometimes&bogus=1&epochs=1e9&batch=0&noise=NaN",
    );
    assert_eq!(state.runs[0], Config::default());
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
        assert!(state.runs[0].problems().is_empty(), "{q}");
    }
    // A bad threshold keeps the mode at its default threshold, and says so.
    let (s, n) = decode("clip=clipnorm&clip_at=0");
    assert_eq!(s.runs[0].clipping, Clipping::Norm(1.0));
    assert_eq!(n.len(), 1);
    assert!(
        n[0].contains("clip_at=0") && n[0].contains("above 0"),
        "{n:?}"
    );
    let (s, n) = decode("depth=3&seed=4");
    assert!(n.is_empty());
    assert_eq!(
        (s.runs[0].depth, s.runs[0].init_seed),
        (3, 4),
        "init_seed follows seed"
    );
}

#[test]
fn a_lesson_link_loads_the_lesson_and_other_parameters_adjust_it() {
    let (s, n) = decode("?lesson=sigmoid");
    assert!(n.is_empty(), "{n:?}");
    assert_eq!(s.lesson, Some("sigmoid"));
    assert_eq!(s.runs[0].activation, Activation::Sigmoid);
    assert_eq!(s.runs[0].init, Initializer::GlorotUniform);
    let (s, _) = decode("?depth=4&lesson=relu30_glorot");
    assert_eq!(
        (s.runs[0].depth, s.runs[0].lr),
        (4, 0.004),
        "explicit depth wins, the lesson's lr stays"
    );
    // A lesson link stays a lesson link: encoding names the lesson and only what differs.
    let (s, _) = decode("?lesson=sigmoid");
    assert_eq!(encode(&s), "lesson=sigmoid&metric=delta_rms");
    let (s, _) = decode("?depth=4&lesson=relu30_glorot");
    assert_eq!(s.runs.len(), 2, "Glorot and He");
    assert_eq!(
        s.runs[1].depth, 4,
        "the comparison follows the adjusted first run"
    );
    assert_eq!(s.runs[1].init, Initializer::HeNormal);
    assert_eq!(encode(&s), "lesson=relu30_glorot&depth=4&metric=delta_rms");
    let (s, n) = decode("?lesson=nope");
    assert_eq!(s.runs, vec![Config::default()]);
    assert_eq!(s.lesson, None);
    assert!(n[0].contains("nope") && n[0].contains("sigmoid"));
}

#[test]
fn old_link_keys_are_still_read() {
    let (s, n) = decode("?bn=before&batch=16");
    assert!(n.is_empty(), "{n:?}");
    assert_eq!(s.runs[0].batch_norm, BatchNormPlacement::Before);
    assert_eq!(s.runs[0].batch_size, 16);
    let q = encode(&s);
    assert!(
        q.contains("batch_norm=before") && q.contains("batch_size=16"),
        "{q}"
    );
}

#[test]
fn every_run_of_a_comparison_round_trips() {
    let first = Config {
        depth: 10,
        lr: 0.3,
        ..Config::default()
    };
    let runs = [
        first.clone(),
        Config {
            clipping: Clipping::GlobalNorm(1.0),
            ..first.clone()
        },
        Config {
            init: Initializer::GlorotUniform,
            seed: 5,
            init_seed: 0,
            ..first.clone()
        },
        first.clone(),
    ];
    for n in 1..=4 {
        round_trip(UrlState {
            runs: runs[..n].to_vec(),
            ..UrlState::default()
        });
    }
    let q = encode(&UrlState {
        runs: runs[..2].to_vec(),
        ..UrlState::default()
    });
    // Only what differs: the threshold 1 is where a clipping mode starts.
    assert!(q.contains("&vs=clip%3Aglobal_clipnorm&"), "{q}");
    // The issue's own example, as a user would type it (':' and ',' unescaped).
    let (s, n) = decode("?depth=10&lr=0.3&vs=clip:global_clipnorm,clip_at:1");
    assert!(n.is_empty(), "{n:?}");
    assert_eq!(s.runs, runs[..2].to_vec());
}

#[test]
fn a_bad_comparison_is_reported_and_extra_runs_are_ignored() {
    let (s, n) = decode("?vs=depth:0&vs=color:red&vs=&vs=&vs=&vs=");
    assert_eq!(
        s.runs.len(),
        4,
        "the two bad ones add no run; three copies do"
    );
    assert_eq!(s.runs[1], Config::default());
    assert!(
        n.iter()
            .any(|m| m.contains("depth") && m.contains("1 to 100")),
        "{n:?}"
    );
    assert!(n.iter().any(|m| m.contains("color")), "{n:?}");
    assert!(n.iter().any(|m| m.contains("only 4 runs")), "{n:?}");
}

#[test]
fn thousands_of_unknown_keys_make_one_short_notice_with_near_misses_named() {
    let query: String = (0..5000).map(|i| format!("junk{i}=1&")).collect();
    let (state, notices) = decode(&format!("batchsize=16&{query}depth=3"));
    assert_eq!(state.runs[0].depth, 3);
    assert_eq!(notices.len(), 1, "{notices:?}");
    let n = &notices[0];
    assert!(n.len() < 200, "{} characters: {n}", n.len());
    assert!(
        n.contains("'batchsize' (did you mean 'batch_size'?)"),
        "{n}"
    );
    assert!(n.contains("4998 more"), "{n}");
    // Many bad values: the first few named, the rest counted.
    let bad: String = (0..500).map(|_| "depth=abc&").collect();
    let (_, notices) = decode(&bad);
    assert_eq!(notices.len(), 11, "ten named and a count");
    assert_eq!(notices[10], "…and 490 more");
    let (_, notices) = decode("?lr=0.1&speeed=fast&Batch-Norm=before");
    assert!(
        notices[0].contains("'speeed' (did you mean 'speed'?)"),
        "{notices:?}"
    );
    assert!(
        notices[0].contains("did you mean 'batch_norm'?"),
        "{notices:?}"
    );
}

#[test]
fn an_out_of_range_value_in_a_lesson_link_keeps_the_lesson_value() {
    // relu30_glorot has depth 30 and lr 0.004: a bad depth keeps 30, not the global 10.
    let (s, n) = decode("?lesson=relu30_glorot&depth=500&lr=abc");
    assert_eq!(s.lesson, Some("relu30_glorot"));
    assert_eq!((s.runs[0].depth, s.runs[0].lr), (30, 0.004));
    assert_eq!(s.runs[1].depth, 30, "the comparison run too");
    assert_eq!(n.len(), 2, "{n:?}");
}

#[test]
fn a_comparison_run_that_resets_a_value_the_first_run_changed_round_trips() {
    // Found by tests/fuzz.rs: run 1 draws other weights (init_seed ≠ seed), run 2 does not.
    let first = Config {
        init_seed: 5_773_903_179_030_204_239,
        l2: 1e-3,
        ..Config::default()
    };
    let second = Config::default();
    round_trip(UrlState {
        runs: vec![first, second],
        ..UrlState::default()
    });
}
