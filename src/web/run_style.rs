//! How a run is told apart wherever it appears — run lines, legends, curves, bars, map
//! labels, exports: the colour of its palette slot (the style sheet's `--run-N`, class
//! `run-N`), a marker on its curves, and the same marker as a glyph in text, so runs differ
//! by shape as well as by colour.

/// The shape drawn on a run's curve points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Square,
    Triangle,
    Cross,
}

pub struct RunStyle {
    pub marker: Marker,
    /// The marker as text.
    pub glyph: &'static str,
    /// The CSS class that sets `--run` and `--run-text` to the slot's colours.
    pub class: &'static str,
}

const STYLES: [RunStyle; 4] = [
    RunStyle {
        marker: Marker::Circle,
        glyph: "●",
        class: "run-0",
    },
    RunStyle {
        marker: Marker::Square,
        glyph: "■",
        class: "run-1",
    },
    RunStyle {
        marker: Marker::Triangle,
        glyph: "▲",
        class: "run-2",
    },
    RunStyle {
        marker: Marker::Cross,
        glyph: "✚",
        class: "run-3",
    },
];

/// The style of palette slot `slot` (a run's `colour`).
pub fn run_style(slot: usize) -> &'static RunStyle {
    &STYLES[slot % STYLES.len()]
}
