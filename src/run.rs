//! One run on screen: its configuration, its records, its progress and its colour (the
//! [`crate::store::Store`] holds them and is the only thing that changes them).

use crate::engine::config::Config;
use crate::engine::history::History;
use crate::engine::metrics::EpochRecord;
use crate::protocol::{Phase, Progress};

#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// Changes whenever the run is rebuilt, so late messages about the old one are dropped.
    pub id: u64,
    /// Index into the run palette: the run's position, so a link reopened looks the same.
    pub colour: usize,
    pub config: Config,
    /// Its epoch records, in bounded memory (older epochs thinned past a limit).
    pub history: History,
    /// Mean-field prediction of δ rms per hidden layer at initialization.
    pub theory: Option<Vec<f64>>,
    pub progress: Option<Progress>,
}

impl Run {
    /// A run not yet given an id (the store gives it one and the worker builds it).
    pub(crate) fn unbuilt(colour: usize, config: Config) -> Run {
        Run {
            id: 0,
            colour,
            config,
            history: History::new(),
            theory: None,
            progress: None,
        }
    }

    pub fn records(&self) -> &[EpochRecord] {
        self.history.records()
    }

    /// The records up to and including `epoch` (what the charts show at that epoch; its last
    /// one is the record drawn — the nearest kept epoch when the history is thinned).
    pub fn records_upto(&self, epoch: usize) -> &[EpochRecord] {
        let r = self.records();
        &r[..r.partition_point(|x| x.epoch <= epoch)]
    }

    pub fn phase(&self) -> Option<Phase> {
        self.progress.as_ref().map(|p| p.phase)
    }

    /// Whether the run has nothing left to do (finished its epochs, or diverged).
    pub fn done(&self) -> bool {
        matches!(self.phase(), Some(Phase::Finished | Phase::Diverged))
    }

    /// The latest record's epoch.
    pub fn epoch(&self) -> Option<usize> {
        self.records().last().map(|r| r.epoch)
    }
}
