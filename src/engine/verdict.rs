//! The verdicts a run can get, each with its id (data attributes, JSON), its label on screen
//! and the rule that gives it. The rules are applied in [`super::diagnose`] in the order of
//! [`Verdict::ALL`]: the first that holds decides. README's verdict table is this list.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No record yet.
    Waiting,
    Diverged,
    /// The steps are too large: the loss rises and falls, or the accuracy falls back.
    Oscillating,
    Vanishing,
    Exploding,
    /// Batch norm's moving statistics have not caught up: evaluation lags training.
    BatchNormLag,
    /// Still at chance after some epochs, the loss no longer falling.
    Stalled,
    /// Learning, but still below the healthy bar after some epochs.
    LearningSlowly,
    /// The first epochs: the loss falls, the accuracy has not reached the bar yet.
    Learning,
    /// Epoch 0: the gradient reaches every layer in balance; nothing is learned yet.
    Ready,
    /// Gradients in balance and the accuracy above the healthy bar.
    Healthy,
}

impl Verdict {
    /// In the order the rules are tried.
    pub const ALL: [Verdict; 11] = [
        Verdict::Waiting,
        Verdict::Diverged,
        Verdict::Vanishing,
        Verdict::Oscillating,
        Verdict::Exploding,
        Verdict::BatchNormLag,
        Verdict::Stalled,
        Verdict::LearningSlowly,
        Verdict::Learning,
        Verdict::Ready,
        Verdict::Healthy,
    ];

    /// A lower-case name for styles, data attributes and JSON ("vanishing").
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Waiting => "waiting",
            Verdict::Diverged => "diverged",
            Verdict::Oscillating => "oscillating",
            Verdict::Vanishing => "vanishing",
            Verdict::Exploding => "exploding",
            Verdict::BatchNormLag => "batch_norm_lag",
            Verdict::Stalled => "stalled",
            Verdict::LearningSlowly => "learning_slowly",
            Verdict::Learning => "learning",
            Verdict::Ready => "ready",
            Verdict::Healthy => "healthy",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Waiting => "Waiting",
            Verdict::Diverged => "Diverged",
            Verdict::Oscillating => "Step too large",
            Verdict::Vanishing => "Vanishing gradients",
            Verdict::Exploding => "Exploding gradients",
            Verdict::BatchNormLag => "Batch-norm statistics catching up",
            Verdict::Stalled => "Stalled",
            Verdict::LearningSlowly => "Learning slowly",
            Verdict::Learning => "Learning",
            Verdict::Ready => "Ready to learn",
            Verdict::Healthy => "Healthy",
        }
    }
}
