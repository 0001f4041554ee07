//! gradscope: train a deep network and watch, layer by layer, its gradients vanish or explode.

pub mod cli;
pub mod engine;
pub mod format;
pub mod url_state;
