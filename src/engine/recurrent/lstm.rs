//! Keras' `LSTM` over a whole mini-batch of sequences (Hochreiter & Schmidhuber 1997, with
//! the forget gate of Gers et al. 2000), and back-propagation through time:
//!
//!   z_t = x_t·W + h_{t−1}·U + b, split into four blocks of `units` columns [i | f | c | o]
//!   i = σ(z_i), f = σ(z_f), g = φ(z_c), o = σ(z_o)      (σ: sigmoid; φ: the activation)
//!   c_t = f ⊙ c_{t−1} + i ⊙ g,  h_t = o ⊙ φ(c_t),  h_0 = c_0 = 0.
//!
//! The cell state c carries the gradient back through ⊙ f alone, with no kernel in the way:
//! while the forget gate stays near 1, ∂L/∂c neither fades nor explodes over the steps.
//! Keras' `unit_forget_bias` starts the forget gate's bias at 1 for that reason.
//!
//! Batches are laid out as in `SimpleRnn`: a row holds a sample's T steps one after the
//! other. The reported δ_t is ∂L/∂z_t over all four gates.

use rand::Rng;

use super::recurrent_init::RecurrentInit;
use super::step;
use super::weights::RecurrentWeights;
use crate::engine::activation::Activation;
use crate::engine::init::Initializer;
use crate::engine::matrix::{rms, Matrix};
use crate::engine::real::Real;

/// The gates' activation (Keras' `recurrent_activation`, sigmoid by default).
const GATE: Activation = Activation::Sigmoid;

#[derive(Clone, Debug)]
pub struct Lstm<F> {
    pub inputs: usize,
    pub units: usize,
    /// φ, of the candidate g and of the cell state on its way out (Keras' `activation`).
    pub activation: Activation,
    /// W (inputs×4·units), U (units×4·units), b.
    pub weights: RecurrentWeights<F>,
    /// z_t for t = 1..T, each batch×4·units.
    z: Vec<F>,
    /// The gates' outputs [i | f | g | o] for t = 1..T, each batch×4·units.
    gates: Vec<F>,
    /// c_t for t = 0..T, each batch×units.
    c: Vec<F>,
    /// φ(c_t) for t = 1..T, each batch×units.
    c_out: Vec<F>,
    /// h_t for t = 0..T, each batch×units.
    h: Vec<F>,
    /// z_c and g of the last step, batch×units each (`last_io`).
    last_candidate: (Vec<F>, Vec<F>),
    batch: usize,
    steps: usize,
}

impl<F: Real> Lstm<F> {
    pub fn new<R: Rng + ?Sized>(
        inputs: usize,
        units: usize,
        activation: Activation,
        inits: (Initializer, RecurrentInit, f64),
        rng: &mut R,
    ) -> Self {
        let wide = 4 * units;
        // The bias is zero but for the forget gate's block, which starts at 1
        // (`unit_forget_bias`).
        let bias = (0..wide)
            .map(|k| if k / units == 1 { F::one() } else { F::zero() })
            .collect();
        Lstm {
            inputs,
            units,
            activation,
            weights: RecurrentWeights::new((inputs, units, wide), inits, bias, rng),
            z: Vec::new(),
            gates: Vec::new(),
            c: Vec::new(),
            c_out: Vec::new(),
            h: Vec::new(),
            last_candidate: (Vec::new(), Vec::new()),
            batch: 0,
            steps: 0,
        }
    }

    /// Runs the sequences `x`; leaves h_T in `last`.
    pub fn forward(&mut self, x: &Matrix<F>, last: &mut Matrix<F>) {
        let (n, u, d) = (x.rows, self.units, self.inputs);
        let steps = x.cols / d.max(1);
        let (block, wide) = (n * u, n * 4 * u);
        self.batch = n;
        self.steps = steps;
        for (buffer, len) in [
            (&mut self.z, steps * wide),
            (&mut self.gates, steps * wide),
            (&mut self.c, (steps + 1) * block),
            (&mut self.c_out, steps * block),
            (&mut self.h, (steps + 1) * block),
        ] {
            buffer.clear();
            buffer.resize(len, F::zero());
        }
        self.last_candidate.0.clear();
        self.last_candidate.1.clear();
        for t in 0..steps {
            let z = &mut self.z[t * wide..(t + 1) * wide];
            let h_prev = (t > 0).then(|| &self.h[t * block..(t + 1) * block]);
            step::pre_activation((x, t, d), h_prev, &self.weights, z);
            let z = &self.z[t * wide..(t + 1) * wide];
            let gates = &mut self.gates[t * wide..(t + 1) * wide];
            for (z_row, a_row) in z.chunks_exact(4 * u).zip(gates.chunks_exact_mut(4 * u)) {
                for (k, (zs, a)) in z_row
                    .chunks_exact(u)
                    .zip(a_row.chunks_exact_mut(u))
                    .enumerate()
                {
                    let f = if k == 2 { self.activation } else { GATE };
                    f.forward(zs, a);
                    if k == 2 && t + 1 == steps {
                        self.last_candidate.0.extend_from_slice(zs);
                        self.last_candidate.1.extend_from_slice(a);
                    }
                }
            }
            let (c_past, c_future) = self.c.split_at_mut((t + 1) * block);
            let (c_prev, c_now) = (&c_past[t * block..], &mut c_future[..block]);
            let c_out = &mut self.c_out[t * block..(t + 1) * block];
            let rows = gates.chunks_exact(4 * u).zip(c_now.chunks_exact_mut(u));
            for ((a, c), c_prev) in rows.zip(c_prev.chunks_exact(u)) {
                let [i, f, g, _] = split_gates(a, u);
                for ((((c, &c_prev), &i), &f), &g) in c.iter_mut().zip(c_prev).zip(i).zip(f).zip(g)
                {
                    *c = f * c_prev + i * g;
                }
            }
            self.activation.forward(c_now, c_out);
            let h = &mut self.h[(t + 1) * block..(t + 2) * block];
            let rows = gates.chunks_exact(4 * u).zip(h.chunks_exact_mut(u));
            for ((a, h), c_out) in rows.zip(c_out.chunks_exact(u)) {
                let [_, _, _, o] = split_gates(a, u);
                for ((h, &o), &s) in h.iter_mut().zip(o).zip(c_out) {
                    *h = o * s;
                }
            }
        }
        last.resize(n, u);
        last.data.copy_from_slice(&self.h[steps * block..]);
    }

    /// The candidate's z_c and g = φ(z_c) at the last step (the activation's input and output).
    pub fn last_io(&self) -> (&[F], &[F]) {
        (&self.last_candidate.0, &self.last_candidate.1)
    }

    /// From ∂L/∂h_T (`grad_last`, consumed): fills ∂L/∂W, ∂L/∂U, ∂L/∂b and returns the rms of
    /// δ_t = ∂L/∂z_t over batch and the four gates' units for t = 1..T (in time order).
    pub fn backward(&mut self, x: &Matrix<F>, grad_last: &mut Matrix<F>) -> Vec<f64> {
        let (n, u, d) = (self.batch, self.units, self.inputs);
        let (block, wide) = (n * u, n * 4 * u);
        let steps = self.steps;
        self.weights.clear_grads();
        let mut delta_rms = vec![0.0; steps];
        // ∂L/∂h_t, ∂L/∂c_t (carried back through ⊙ f), ∂L/∂z_t.
        let mut dh = std::mem::take(&mut grad_last.data);
        let mut dc = vec![F::zero(); block];
        let mut dz = vec![F::zero(); wide];
        // ∂L/∂φ(c_t), times φ' by the activation's own slice loop (as ∂L/∂g is, in place).
        let mut d_out = vec![F::zero(); block];
        let one = F::one();
        for t in (0..steps).rev() {
            let gates = &self.gates[t * wide..(t + 1) * wide];
            let z = &self.z[t * wide..(t + 1) * wide];
            let (c_prev, c_now) = (
                &self.c[t * block..],
                &self.c[(t + 1) * block..(t + 2) * block],
            );
            let c_out = &self.c_out[t * block..(t + 1) * block];
            // h = o ⊙ φ(c): into o, and into c (plus what c_{t+1} sent back).
            for ((d, dh), a) in d_out
                .chunks_exact_mut(u)
                .zip(dh.chunks_exact(u))
                .zip(gates.chunks_exact(4 * u))
            {
                let [_, _, _, o] = split_gates(a, u);
                d.iter_mut()
                    .zip(dh)
                    .zip(o)
                    .for_each(|((d, &dh), &o)| *d = dh * o);
            }
            self.activation.backward(c_now, c_out, &mut d_out);
            let rows = gates
                .chunks_exact(4 * u)
                .zip(z.chunks_exact(4 * u))
                .zip(dz.chunks_exact_mut(4 * u));
            for (r, ((a, z_row), dz_row)) in rows.enumerate() {
                let [i, f, g, o] = split_gates(a, u);
                let (dz_i, rest) = dz_row.split_at_mut(u);
                let (dz_f, rest) = rest.split_at_mut(u);
                let (dz_c, dz_o) = rest.split_at_mut(u);
                let e = r * u..(r + 1) * u;
                let (dc, c_prev) = (&mut dc[e.clone()], &c_prev[e.clone()]);
                let (dh, c_out, d_out) = (&dh[e.clone()], &c_out[e.clone()], &d_out[e]);
                for j in 0..u {
                    let dc_j = dc[j] + d_out[j];
                    dz_o[j] = dh[j] * c_out[j] * o[j] * (one - o[j]);
                    // c = f ⊙ c_{t−1} + i ⊙ g
                    dz_i[j] = dc_j * g[j] * i[j] * (one - i[j]);
                    dz_f[j] = dc_j * c_prev[j] * f[j] * (one - f[j]);
                    dz_c[j] = dc_j * i[j];
                    dc[j] = dc_j * f[j];
                }
                self.activation.backward(&z_row[2 * u..3 * u], g, dz_c);
            }
            delta_rms[t] = rms(&dz);
            let h_prev = (t > 0).then(|| &self.h[t * block..(t + 1) * block]);
            step::back_step((x, t, d), h_prev, &mut self.weights, &dz, &mut dh);
        }
        grad_last.data = dh;
        delta_rms
    }
}

/// A row's four gate blocks [i, f, g, o], each `units` wide.
fn split_gates<F>(row: &[F], units: usize) -> [&[F]; 4] {
    let (i, rest) = row.split_at(units);
    let (f, rest) = rest.split_at(units);
    let (g, o) = rest.split_at(units);
    [i, f, g, o]
}
