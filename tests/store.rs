//! The store of runs: the only place runs change. Compare, change one setting, remove, reset,
//! play, and the link with one to four runs.

use gradscope::engine::clip::Clipping;
use gradscope::engine::config::Config;
use gradscope::engine::init::Initializer;
use gradscope::engine::metrics::{EpochRecord, Status};
use gradscope::protocol::{Phase, Progress};
use gradscope::store::{Store, Transport, MAX_RUNS};
use gradscope::url_state::{decode, encode, UrlState};

fn record(epoch: usize) -> EpochRecord {
    EpochRecord {
        epoch,
        train_loss: 1.0,
        train_accuracy: 0.5,
        val_loss: 1.0,
        val_accuracy: 0.5,
        status: Status::Ok,
        layers: Vec::new(),
        ..Default::default()
    }
}

fn progress(phase: Phase) -> Progress {
    Progress {
        epoch: 1,
        step: 0,
        steps_per_epoch: 45,
        phase,
        samples_per_second: 0.0,
        memory_bytes: 0.0,
        partial: None,
        epoch_seconds: None,
    }
}

#[test]
fn compare_duplicates_the_selected_run_and_changes_apply_to_the_copy() {
    let mut store = Store::new(vec![Config::default()], None);
    let first_id = store.runs()[0].id;
    assert_eq!(store.compare(), Some(1));
    assert_eq!(store.selected(), 1);
    assert_eq!(
        store.runs()[1].config,
        store.runs()[0].config,
        "same data, same weights"
    );
    assert_ne!(store.runs()[1].id, first_id);
    assert_eq!(store.labels(), ["same settings", "same settings"]);
    // A live change keeps the run (and its records); a structural one rebuilds it.
    let id = store.runs()[1].id;
    assert!(store.add_record(id, record(0)));
    assert_eq!(
        store.change(1, |c| c.clipping = Clipping::Value(0.5)),
        Ok(true)
    );
    assert_eq!(
        (store.runs()[1].id, store.runs()[1].records().len()),
        (id, 1)
    );
    assert_eq!(store.labels(), ["no clipping", "clipvalue 0.5"]);
    assert_eq!(
        store.change(1, |c| c.init = Initializer::GlorotUniform),
        Ok(true)
    );
    assert_ne!(store.runs()[1].id, id);
    assert!(store.runs()[1].records().is_empty());
    assert_eq!(
        store.labels(),
        [
            "init he_normal, no clipping",
            "init glorot_uniform, clipvalue 0.5"
        ]
    );
    assert_eq!(
        store.runs()[0].id,
        first_id,
        "the first run was not touched"
    );
    // Out of range: refused, nothing changes.
    let before = store.clone();
    assert!(store.change(1, |c| c.depth = 0).is_err());
    assert_eq!(store, before);
    // The records shown at an epoch: those up to it.
    let first = store.runs()[0].id;
    for e in 0..3 {
        store.add_record(first, record(e));
    }
    let run = &store.runs()[0];
    assert_eq!(run.records_upto(1).len(), 2);
    assert_eq!(run.records_upto(1).last().map(|r| r.epoch), Some(1));
    assert_eq!(run.records_upto(10).len(), 3);
    // Late records of a rebuilt run are dropped.
    assert!(!store.add_record(id, record(1)));
}

#[test]
fn at_most_four_runs_and_at_least_one() {
    let mut store = Store::new(vec![Config::default()], None);
    for n in 2..=MAX_RUNS {
        assert_eq!(store.compare(), Some(n - 1));
    }
    assert_eq!(store.compare(), None);
    let colours: Vec<usize> = store.runs().iter().map(|r| r.colour).collect();
    assert_eq!(colours, [0, 1, 2, 3]);
    // A run's colour is its position, as when its link is opened again.
    let third = store.runs()[2].id;
    assert!(store.remove(1));
    assert_eq!(
        store.runs().iter().map(|r| r.colour).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    assert_eq!(store.runs()[1].id, third, "the runs after it move up");
    assert_eq!(store.compare(), Some(3));
    assert_eq!(store.runs()[3].colour, 3);
    while store.runs().len() > 1 {
        assert!(store.remove(store.runs().len() - 1));
    }
    assert!(!store.remove(0), "the last run stays");
    assert_eq!(store.selected(), 0);
}

#[test]
fn reset_rebuilds_every_run_and_new_weights_move_them_together() {
    let mut store = Store::new(lesson_runs("notes_clipvalue"), Some("notes_clipvalue"));
    let ids: Vec<u64> = store.runs().iter().map(|r| r.id).collect();
    for r in store.runs().to_vec() {
        store.add_record(r.id, record(0));
    }
    store.reset(false);
    assert!(store.runs().iter().all(|r| r.records().is_empty()));
    assert!(store.runs().iter().zip(&ids).all(|(r, old)| r.id != *old));
    store.reset(true);
    let seeds: Vec<u64> = store.runs().iter().map(|r| r.config.init_seed).collect();
    assert_eq!(seeds, [1, 1], "new weights, still shared");
    assert_eq!(store.lesson(), Some("notes_clipvalue"));
}

#[test]
fn play_extends_finished_runs_and_restarts_when_all_diverged() {
    let mut store = Store::new(
        vec![
            Config::default(),
            Config {
                lr: 5.0,
                ..Config::default()
            },
        ],
        None,
    );
    assert_eq!(store.play_pause(), Transport::Play);
    assert!(store.playing());
    let ids: Vec<u64> = store.runs().iter().map(|r| r.id).collect();
    store.set_progress(ids[0], progress(Phase::Finished));
    assert!(store.playing(), "one run still trains");
    store.set_progress(ids[1], progress(Phase::Diverged));
    assert!(!store.playing(), "every run is done: play ends");
    assert_eq!(store.play_pause(), Transport::Play);
    let epochs: Vec<usize> = store.runs().iter().map(|r| r.config.epochs).collect();
    assert_eq!(
        epochs,
        [30, 30],
        "ten more epochs for every run: they stay alike"
    );
    assert_eq!(store.labels(), ["lr 0.02", "lr 5"]);
    assert_eq!(store.play_pause(), Transport::Pause);
    // Every run diverged: play starts them over.
    let ids: Vec<u64> = store.runs().iter().map(|r| r.id).collect();
    for id in &ids {
        store.set_progress(*id, progress(Phase::Diverged));
    }
    store.play_pause();
    assert!(store
        .runs()
        .iter()
        .zip(&ids)
        .all(|(r, old)| r.id != *old && r.progress.is_none()));
}

#[test]
fn the_link_holds_every_run_and_names_the_lesson() {
    for n in 1..=MAX_RUNS {
        let mut store = Store::new(vec![Config::default()], None);
        for k in 1..n {
            store.compare();
            store.change(k, |c| c.lr = 0.01 * k as f64).unwrap();
        }
        let link = encode(&UrlState {
            runs: store.configs(),
            ..UrlState::default()
        });
        assert_eq!(link.matches("vs=").count(), n - 1, "{link}");
        let (back, notices) = decode(&link);
        assert!(notices.is_empty());
        assert_eq!(
            Store::new(back.runs, back.lesson).configs(),
            store.configs()
        );
    }
    // A lesson: its link is its name; a removed run drops the lesson from the store.
    let mut store = Store::new(vec![Config::default()], None);
    store.load_lesson(lesson_runs("init_scale"), Some("init_scale"));
    assert_eq!(store.runs().len(), 3);
    let state = UrlState {
        runs: store.configs(),
        lesson: store.lesson(),
        ..UrlState::default()
    };
    assert_eq!(encode(&state), "lesson=init_scale&metric=grad_norm");
    // Held for a question, no job trains past the pause epoch; released, each its own.
    store.hold(Some(0));
    assert!(store.jobs().iter().all(|(_, c)| c.epochs == 0));
    store.hold(None);
    assert!(store.jobs().iter().all(|(_, c)| c.epochs == 20));
    store.remove(2);
    assert_eq!(store.lesson(), None);
}

#[test]
fn an_epochs_duration_is_the_wall_time_the_run_takes_with_pauses_left_out() {
    use gradscope::epoch_clock::EpochClock;
    use gradscope::format::duration;
    use gradscope::protocol::SLOW_EPOCH_S;
    let spe = 45;
    let mut c = EpochClock::default();
    assert_eq!(c.epoch_seconds(spe), None, "nothing measured yet");
    // Epoch 0: 45 steps of 100 ms, then the user pauses for a minute.
    let mut t = 0.0;
    for i in 0..spe {
        c.start(t);
        t += 100.0;
        c.stepped(t, i + 1 == spe);
    }
    c.pause();
    assert!(
        (c.epoch_seconds(spe).unwrap() - 4.5).abs() < 1e-9,
        "the last epoch"
    );
    t += 60_000.0;
    // Playing again, each step now waits 50 ms for other runs or pacing too: 150 ms apart.
    // Until a tenth of the epoch is measured, the last whole epoch stands.
    c.start(t);
    for _ in 0..3 {
        t += 150.0;
        c.stepped(t, false);
        assert!((c.epoch_seconds(spe).unwrap() - 4.5).abs() < 1e-9);
    }
    for _ in 0..3 {
        t += 150.0;
        c.stepped(t, false);
    }
    // Then the current pace: 45 × 150 ms, the pause not counted.
    let e = c.epoch_seconds(spe).unwrap();
    assert!((e - 6.75).abs() < 1e-9, "{e}");
    assert!(e >= SLOW_EPOCH_S);
    assert_eq!(duration(e), "7 s");
    // A pause mid-epoch is left out too.
    c.pause();
    t += 30_000.0;
    c.start(t);
    t += 150.0;
    c.stepped(t, false);
    assert!((c.epoch_seconds(spe).unwrap() - 6.75).abs() < 1e-9);
    // 10 × 64: 45 steps of 0.4 ms, never announced.
    let mut fast = EpochClock::default();
    for i in 0..spe {
        fast.start(i as f64 * 0.4);
        fast.stepped((i + 1) as f64 * 0.4, i + 1 == spe);
    }
    assert!(fast.epoch_seconds(spe).unwrap() < SLOW_EPOCH_S);
    assert_eq!(duration(17.4), "17 s");
    assert_eq!(duration(150.0), "2.5 min");
}

/// A built-in lesson's first step's runs, as its `runs:` link gives them.
fn lesson_runs(id: &str) -> Vec<gradscope::engine::config::Config> {
    gradscope::url_state::lesson_base(id, 1).unwrap().runs
}

#[test]
fn runs_stopped_at_a_lessons_hold_are_not_complete_until_they_train_their_own_epochs() {
    // The race behind a flaky reveal: answered, the runs were released, but the worker had
    // not yet said so and their phase still read "finished" at the pause epoch.
    let mut store = Store::new(
        vec![
            Config {
                epochs: 10,
                ..Config::default()
            },
            Config {
                epochs: 10,
                lr: 5.0,
                ..Config::default()
            },
        ],
        None,
    );
    let ids: Vec<u64> = store.runs().iter().map(|r| r.id).collect();
    assert!(!store.complete(), "nothing trained yet");
    store.hold(Some(3));
    for &id in &ids {
        for e in 0..=3 {
            store.add_record(id, record(e));
        }
        store.set_progress(id, progress(Phase::Finished));
    }
    assert!(!store.complete(), "held at epoch 3");
    store.hold(None);
    assert!(
        !store.complete(),
        "released: 'finished' at epoch 3 of 10 is the hold's, not the run's"
    );
    store.set_progress(ids[0], progress(Phase::Playing));
    for e in 4..=10 {
        store.add_record(ids[0], record(e));
    }
    store.set_progress(ids[0], progress(Phase::Finished));
    assert!(!store.complete(), "the second run still trains");
    store.set_progress(ids[1], progress(Phase::Diverged));
    assert!(
        store.complete(),
        "one ran its 10 epochs, the other diverged"
    );
}
