//! The notes' "how to know" signs, read off the weights over time: the lower layers' weights
//! barely change (vanishing), or they grow by orders of magnitude (exploding).

use super::metrics::EpochRecord;
use crate::format::num;

/// How much a layer's weight norm changed from epoch 0 to `last`: |‖W_last‖ / ‖W_0‖ − 1|.
pub fn norm_change(first: f64, last: f64) -> f64 {
    (last / first - 1.0).abs()
}

/// One sentence comparing layer 1 with the output layer: how much their weight norms changed
/// since epoch 0, and how far the latest step moved them (‖ΔW‖/‖W‖). None before a training
/// epoch has completed, or when the figures are not finite.
pub fn evidence(records: &[EpochRecord]) -> Option<String> {
    let (first, last) = (records.first()?, records.last()?);
    if last.epoch == 0 || first.layers.len() < 2 || last.layers.len() != first.layers.len() {
        return None;
    }
    let out = first.layers.len() - 1;
    let change = |l: usize| norm_change(first.layers[l].weight_norm, last.layers[l].weight_norm);
    let (low, top) = (change(0), change(out));
    let (step_low, step_top) = (last.layers[0].update_ratio?, last.layers[out].update_ratio?);
    if ![low, top, step_low, step_top].iter().all(|x| x.is_finite()) {
        return None;
    }
    let epochs = if last.epoch == 1 { "epoch" } else { "epochs" };
    Some(format!(
        "Over {} {epochs}, layer 1's weight norm changed by {}\u{a0}% (the output layer's by {}\u{a0}%); the last step moved layer 1's weights by {} of their size (output layer: {}).",
        last.epoch,
        num(100.0 * low),
        num(100.0 * top),
        num(step_low),
        num(step_top),
    ))
}
