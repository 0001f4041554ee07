//! The page's panels, one component (or a close pair) per file.

pub mod clip_explainer;
pub mod code;
pub mod diagnosis;
pub mod export;
pub mod footer;
pub mod gradients;
pub mod heatmaps;
pub mod layer_table;
pub mod lesson_line;
pub mod notices;
pub mod phone_tabs;
pub mod results;
pub mod runs;
pub mod shortcuts;
pub mod transport;
