//! The engine: a deep-network trainer that measures every layer. Pure Rust, no web crates,
//! deterministic for a seed.

pub mod activation;
pub mod advice;
pub mod batch_norm;
mod bucket_passes;
mod bucket_view;
mod build;
pub mod clip;
pub mod config;
pub mod data;
pub mod dense;
pub mod diagnose;
mod epoch_sums;
pub mod flow;
pub mod gemm;
pub mod histogram;
pub mod history;
pub mod init;
pub mod layer_histograms;
pub mod loss;
pub mod matrix;
pub mod metrics;
pub mod model;
pub mod network;
pub mod optim;
pub mod order_buckets;
pub mod order_statistics;
pub mod outcome;
pub mod param;
pub mod real;
pub mod recurrent;
pub mod sequences;
pub mod settings;
pub mod theory;
pub mod trainer;
pub mod verdict;
pub mod weight_change;
