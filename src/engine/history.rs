//! A run's epoch records in bounded memory. Every epoch is kept up to [`LIMIT`] records;
//! beyond that the older epochs are thinned to every 2nd, 4th, … epoch (epoch 0 always stays),
//! while the latest [`RECENT`] epochs are always kept in full. A 10 000-epoch run then holds
//! at most `LIMIT` records (about 250 KB at 10 × 64), and every record kept is exactly as
//! measured: the charts draw a few hundred points per run at most either way.

use super::metrics::EpochRecord;

/// Records kept before older ones are thinned.
pub const LIMIT: usize = 200;
/// The latest epochs, always kept.
pub const RECENT: usize = 50;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    records: Vec<EpochRecord>,
    /// Older epochs are kept when their number is a multiple of this (1 = all of them).
    stride: usize,
}

impl History {
    pub fn new() -> History {
        History {
            records: Vec::new(),
            stride: 1,
        }
    }

    pub fn records(&self) -> &[EpochRecord] {
        &self.records
    }

    /// Older epochs are kept every `stride()` epochs (1: every epoch is kept).
    pub fn stride(&self) -> usize {
        self.stride.max(1)
    }

    pub fn clear(&mut self) {
        *self = History::new();
    }

    /// Adds the newest record; thins the older ones when the history is full.
    pub fn push(&mut self, record: EpochRecord) {
        let latest = record.epoch;
        self.records.push(record);
        let stride = self.stride();
        // The record that just left the recent window stays only on the stride.
        if let Some(aged) = latest.checked_sub(RECENT) {
            if aged % stride != 0 {
                if let Ok(i) = self.records.binary_search_by_key(&aged, |r| r.epoch) {
                    self.records.remove(i);
                }
            }
        }
        if self.records.len() > LIMIT {
            self.stride = stride * 2;
            let s = self.stride;
            self.records
                .retain(|r| r.epoch % s == 0 || r.epoch + RECENT > latest);
        }
    }
}
