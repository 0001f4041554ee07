//! gradscope: train a deep network and watch, layer by layer, its gradients vanish or explode.

pub mod chart_scale;
pub mod cli;
pub mod clip_demo;
pub mod codegen;
pub mod distribution_view;
pub mod engine;
pub mod epoch_clock;
pub mod export;
pub mod first_step;
pub mod format;
pub mod lesson;
pub mod lesson_cli;
pub mod protocol;
pub mod run;
pub mod store;
pub mod url_state;

/// The browser app: the page and the training worker (wasm32 only).
#[cfg(target_arch = "wasm32")]
pub mod web;
