//! A run's history stays bounded however long it trains, keeps epoch 0 and the latest epochs
//! in full, and never alters a record it keeps.

use gradscope::engine::history::{History, LIMIT, RECENT};
use gradscope::engine::metrics::{EpochRecord, Status};

fn record(epoch: usize) -> EpochRecord {
    EpochRecord {
        epoch,
        train_loss: epoch as f64,
        train_accuracy: 0.5,
        val_loss: 1.0,
        val_accuracy: 0.5,
        status: Status::Ok,
        layers: Vec::new(),
        ..Default::default()
    }
}

#[test]
fn every_epoch_is_kept_up_to_the_limit() {
    let mut h = History::new();
    for e in 0..LIMIT {
        h.push(record(e));
    }
    assert_eq!(h.records().len(), LIMIT);
    assert_eq!(h.stride(), 1);
}

#[test]
fn ten_thousand_epochs_stay_bounded_and_evenly_thinned() {
    let mut h = History::new();
    let mut most = 0;
    for e in 0..=10_000 {
        h.push(record(e));
        most = most.max(h.records().len());
        let r = h.records();
        assert_eq!(r[0].epoch, 0, "epoch 0 stays");
        assert_eq!(r.last().unwrap().epoch, e, "the latest is kept");
    }
    assert!(most <= LIMIT + 1, "at most {most} records");
    let r = h.records();
    let stride = h.stride();
    assert!(stride > 1);
    for w in r.windows(2) {
        assert!(w[0].epoch < w[1].epoch, "in order");
    }
    // The latest RECENT epochs in full; older ones on the stride; nothing altered.
    let latest = 10_000;
    for e in latest + 1 - RECENT..=latest {
        assert!(r.iter().any(|x| x.epoch == e), "recent epoch {e}");
    }
    for x in r {
        assert!(
            x.epoch % stride == 0 || x.epoch + RECENT > latest,
            "{}",
            x.epoch
        );
        assert_eq!(x.train_loss, x.epoch as f64);
    }
    // Exactly those: every older multiple of the stride, and every recent epoch.
    let older = (0..latest + 1 - RECENT).step_by(stride).count();
    assert_eq!(r.len(), older + RECENT);
}
