//! How long an epoch takes, in the wall-clock time a user waits for it: every step's time from
//! the end of the run's previous step (so other runs' steps in between and the pacing count,
//! as they delay this run), with pauses left out.

/// One run's clock, fed by the worker around each training step.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EpochClock {
    /// When the run's previous step ended (ms), while it is working; None when paused.
    since: Option<f64>,
    /// Milliseconds and steps of the current epoch measured so far.
    epoch_ms: f64,
    epoch_steps: usize,
    /// Seconds the last completed epoch took, pauses left out.
    last_epoch_s: Option<f64>,
}

impl EpochClock {
    /// Before a step: starts timing if the run was paused (or has not worked yet).
    pub fn start(&mut self, now_ms: f64) {
        self.since.get_or_insert(now_ms);
    }

    /// After a step (`ended_epoch`: it completed the epoch).
    pub fn stepped(&mut self, now_ms: f64, ended_epoch: bool) {
        if let Some(since) = self.since {
            self.epoch_ms += (now_ms - since).max(0.0);
            self.epoch_steps += 1;
        }
        self.since = Some(now_ms);
        if ended_epoch {
            if self.epoch_steps > 0 {
                self.last_epoch_s = Some(self.epoch_ms / 1000.0);
            }
            self.epoch_ms = 0.0;
            self.epoch_steps = 0;
        }
    }

    /// The run stopped working: the time until it starts again is not the epoch's.
    pub fn pause(&mut self) {
        self.since = None;
    }

    /// Seconds an epoch of `steps_per_epoch` steps takes: the current epoch's pace once a tenth
    /// of it (and at least 3 steps) is measured, else the last whole epoch, else the pace of
    /// whatever was measured; None before any step.
    pub fn epoch_seconds(&self, steps_per_epoch: usize) -> Option<f64> {
        let pace = (self.epoch_steps > 0)
            .then(|| self.epoch_ms / 1000.0 / self.epoch_steps as f64 * steps_per_epoch as f64);
        let enough = self.epoch_steps >= (steps_per_epoch / 10).max(3);
        if enough {
            pace
        } else {
            self.last_epoch_s.or(pace)
        }
    }
}
