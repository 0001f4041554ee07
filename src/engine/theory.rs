//! Mean-field signal propagation (Poole et al. 2016; Schoenholz et al. 2017): what theory
//! predicts for the back-propagated gradient of a freshly initialized network, to draw beside
//! the measurement.
//!
//! With zero biases and weights of variance v = σ²/fan_in, the second moment of the
//! pre-activations follows q₁ = v₁·E‖x‖² and q_{l+1} = v_{l+1}·n_l·E[f(√q_l·z)²] (z standard
//! normal), and the mean squared δ = ∂L/∂z shrinks or grows by
//! χ_l = v_{l+1}·n_{l+1}·E[f'(√q_l·z)²] from layer l + 1 down to layer l.

use super::config::Config;
use super::data::Samples;
use super::init::{Initializer, WeightDistribution};
use super::network::BatchNormPlacement;

/// Gaussian expectation E[g(z)], z ~ N(0, 1), by Simpson's rule on [-10, 10] with 4000
/// intervals: fine enough for ReLU's kink at 0 and the narrow slope of a saturated unit.
pub fn gaussian_expectation(g: impl Fn(f64) -> f64) -> f64 {
    const N: usize = 4000;
    const L: f64 = 10.0;
    let h = 2.0 * L / N as f64;
    let norm = 1.0 / (2.0 * std::f64::consts::PI).sqrt();
    let w = |z: f64| g(z) * norm * (-0.5 * z * z).exp();
    let mut sum = w(-L) + w(L);
    for i in 1..N {
        let z = -L + i as f64 * h;
        sum += if i % 2 == 1 { 4.0 } else { 2.0 } * w(z);
    }
    sum * h / 3.0
}

/// Variance of one kernel entry for a layer with these fans.
pub fn weight_variance(init: Initializer, fan_in: usize, fan_out: usize) -> f64 {
    match init.distribution(fan_in, fan_out) {
        WeightDistribution::Uniform { limit } => limit * limit / 3.0,
        WeightDistribution::TruncatedNormal { sd } => (sd * super::init::TRUNCATION_STD).powi(2),
        WeightDistribution::Normal { sd } => sd * sd,
        WeightDistribution::Zero => 0.0,
    }
}

/// Predicted δ rms of each hidden layer (1..=depth) at initialization, given the output
/// layer's δ rms and the number of classes; None where the theory does not apply (batch norm,
/// zero weights).
pub fn predicted_delta_rms(
    config: &Config,
    train: &Samples,
    classes: usize,
    output_delta_rms: f64,
) -> Option<Vec<f64>> {
    // A recurrent network: see `predicted_time_delta_rms`.
    if config.model.is_recurrent() {
        return None;
    }
    if config.batch_norm != BatchNormPlacement::None
        || config.init == Initializer::Zeros
        || !output_delta_rms.is_finite()
        || train.is_empty()
    {
        return None;
    }
    let (f, width) = (config.activation, config.width);
    // Forward: q₁ = v₁·E‖x‖², then q_{l+1} = v·n·E[f(√q_l z)²] through the hidden kernels.
    let mean_sq_input =
        train.x.iter().map(|&v| (v as f64).powi(2)).sum::<f64>() / train.len() as f64;
    let mut q = vec![weight_variance(config.init, train.features, width) * mean_sq_input];
    let v_hidden = weight_variance(config.init, width, width);
    while q.len() < config.depth {
        let prev = q[q.len() - 1];
        let e_f2 = gaussian_expectation(|z| f.apply(prev.sqrt() * z).powi(2));
        q.push(v_hidden * width as f64 * e_f2);
    }
    // Backward: E[δ_l²] = χ_l·E[δ_{l+1}²], from the output layer down.
    let mut out = vec![0.0; q.len()];
    let mut mean_sq = output_delta_rms * output_delta_rms;
    for l in (0..q.len()).rev() {
        let units_above = if l + 1 == q.len() { classes } else { width };
        let v_above = weight_variance(config.init, width, units_above);
        let e_fp2 = gaussian_expectation(|z| {
            let x = q[l].sqrt() * z;
            f.derivative(x, f.apply(x)).powi(2)
        });
        mean_sq *= v_above * units_above as f64 * e_fp2;
        out[l] = mean_sq.sqrt();
    }
    Some(out)
}

/// A recurrent network at initialization, for the case theory settles exactly: a linear
/// activation with an orthogonal or identity recurrent kernel of gain g. Back through one step
/// δ_{t−1} = δ_t·Uᵀ, and gU is g times a rotation, so δ_t = δ_T·g^(T−t) for t = 1..T, given
/// the last step's measured δ_T. None elsewhere (a saturating slope or a random U has no
/// exact per-step factor).
pub fn predicted_time_delta_rms(config: &Config, last_step_delta_rms: f64) -> Option<Vec<f64>> {
    use super::recurrent::RecurrentInit;
    let exact = config.model.is_recurrent()
        && config.activation == super::activation::Activation::Linear
        && matches!(
            config.recurrent_init,
            RecurrentInit::Orthogonal | RecurrentInit::Identity
        );
    let steps = config.seq_len;
    exact.then(|| {
        (1..=steps)
            .map(|t| last_step_delta_rms * config.recurrent_gain.powi((steps - t) as i32))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::activation::Activation;

    #[test]
    fn gaussian_expectations_of_known_functions() {
        assert!((gaussian_expectation(|_| 1.0) - 1.0).abs() < 1e-9);
        assert!((gaussian_expectation(|z| z * z) - 1.0).abs() < 1e-9);
        // E[relu(z)²] = 1/2 and E[relu'(z)²] = 1/2: He's σ² = 2 gives χ = 1.
        let relu = Activation::Relu;
        assert!((gaussian_expectation(|z| relu.apply(z).powi(2)) - 0.5).abs() < 1e-6);
        assert!(
            (gaussian_expectation(|z| relu.derivative(z, relu.apply(z)).powi(2)) - 0.5).abs()
                < 1e-3
        );
        // E[sech⁴(z)] = 0.46440 (an independent 200 000-point trapezoid rule).
        let t = Activation::Tanh;
        let v = gaussian_expectation(|z| t.derivative(z, t.apply(z)).powi(2));
        assert!((v - 0.46440).abs() < 1e-5, "{v}");
    }
}
