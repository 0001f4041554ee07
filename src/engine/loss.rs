//! Softmax output with cross-entropy, mean over the batch, computed stably.

use super::matrix::Matrix;
use super::real::Real;

/// Turns logits into ∂L/∂logits in place and returns (mean loss, correct predictions).
///
/// L = −(1/n) Σ log softmax(z)_y, with log softmax(z)_c = z_c − max z − log Σ exp(z − max z)
/// (log-sum-exp, so no exp overflows). Its gradient is (softmax(z) − onehot(y)) / n.
pub fn softmax_cross_entropy<F: Real>(logits: &mut Matrix<F>, labels: &[usize]) -> (f64, usize) {
    assert_eq!(logits.rows, labels.len());
    let n = logits.rows as f64;
    let inv_n = F::of(1.0 / n);
    let mut total = 0.0f64;
    let mut correct = 0usize;
    for (row, &label) in logits.rows_iter_mut().zip(labels) {
        let (argmax, max) =
            row.iter()
                .enumerate()
                .fold((0, F::neg_infinity()), |(bi, bv), (i, &v)| {
                    if v > bv {
                        (i, v)
                    } else {
                        (bi, bv)
                    }
                });
        if argmax == label && max.is_finite() {
            correct += 1;
        }
        let sum_exp: F = row.iter().map(|&v| (v - max).exp()).sum();
        let log_sum = sum_exp.ln();
        total += (max + log_sum - row[label]).as_f64();
        for (c, v) in row.iter_mut().enumerate() {
            let p = (*v - max - log_sum).exp();
            let target = if c == label { F::one() } else { F::zero() };
            *v = (p - target) * inv_n;
        }
    }
    (total / n, correct)
}

/// Mean loss and correct count without the gradient (evaluation).
pub fn evaluate_logits<F: Real>(logits: &Matrix<F>, labels: &[usize]) -> (f64, usize) {
    let mut copy = logits.clone();
    softmax_cross_entropy(&mut copy, labels)
}
