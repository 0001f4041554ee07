//! A recurrent cell's trained weights, the same three for every cell: the input kernel W
//! (inputs × cols), the recurrent kernel U (units × cols) and the bias b (cols), where cols is
//! units for a SimpleRNN and 4·units for an LSTM's gates side by side.

use rand::Rng;

use super::recurrent_init::RecurrentInit;
use crate::engine::init::Initializer;
use crate::engine::param::{Param, ParamKind};
use crate::engine::real::Real;

#[derive(Clone, Debug)]
pub struct RecurrentWeights<F> {
    /// W: inputs×cols.
    pub kernel: Param<F>,
    /// U: units×cols.
    pub recurrent: Param<F>,
    pub bias: Param<F>,
}

impl<F: Real> RecurrentWeights<F> {
    /// Drawn in Keras' order, the input kernel first, then the recurrent one; `bias` as given.
    pub fn new<R: Rng + ?Sized>(
        (inputs, units, cols): (usize, usize, usize),
        (init, recurrent_init, gain): (Initializer, RecurrentInit, f64),
        bias: Vec<F>,
        rng: &mut R,
    ) -> Self {
        let kernel = Param::new(ParamKind::Kernel, init.kernel(inputs, cols, rng));
        let recurrent = Param::new(
            ParamKind::RecurrentKernel,
            recurrent_init.kernel((units, cols), gain, rng),
        );
        RecurrentWeights {
            kernel,
            recurrent,
            bias: Param::new(ParamKind::Bias, bias),
        }
    }

    /// W, U, b.
    pub fn params_mut(&mut self) -> [&mut Param<F>; 3] {
        [&mut self.kernel, &mut self.recurrent, &mut self.bias]
    }

    /// Sets every gradient to 0, before back-propagation through time adds to them.
    pub fn clear_grads(&mut self) {
        for p in self.params_mut() {
            p.grad.iter_mut().for_each(|g| *g = F::zero());
        }
    }
}
