//! Recurrent networks, trained by back-propagation through time: the same kernel U
//! multiplies the gradient once per time step on its way back, as a layer's kernel does once
//! per layer in a deep MLP.

pub mod cell;
pub mod lstm;
pub mod network;
pub mod recurrent_init;
pub mod simple_rnn;
pub mod spectral;
pub mod step;
pub mod weights;

pub use cell::{CellKind, RecurrentCell};
pub use network::{RnnArchitecture, RnnNetwork};
pub use recurrent_init::RecurrentInit;
pub use weights::RecurrentWeights;
