//! Clipping with Keras' semantics, on the notes' example.

use gradscope::engine::clip::Clipping;
use gradscope::engine::param::{Param, ParamKind};

fn params(grads: &[&[f64]]) -> Vec<Param<f64>> {
    grads
        .iter()
        .map(|g| {
            let mut p = Param::new(ParamKind::Kernel, vec![0.0; g.len()]);
            p.grad = g.to_vec();
            p
        })
        .collect()
}

fn clip(mode: Clipping, grads: &[&[f64]]) -> Vec<Vec<f64>> {
    let mut ps = params(grads);
    let mut refs: Vec<&mut Param<f64>> = ps.iter_mut().collect();
    mode.apply(&mut refs);
    ps.into_iter().map(|p| p.grad).collect()
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

#[test]
fn clipvalue_turns_the_notes_example_into_0_9_and_1() {
    assert_eq!(
        clip(Clipping::Value(1.0), &[&[0.9, 100.0]]),
        vec![vec![0.9, 1.0]]
    );
    assert_eq!(
        clip(Clipping::Value(0.5), &[&[-3.0, 0.2]]),
        vec![vec![-0.5, 0.2]]
    );
}

#[test]
fn clipnorm_keeps_the_direction_with_norm_one() {
    let out = &clip(Clipping::Norm(1.0), &[&[0.9, 100.0]])[0];
    assert!((norm(out) - 1.0).abs() < 1e-12);
    assert!(
        (out[0] - 0.9 / 100.004_049_9).abs() < 1e-6,
        "≈ 0.009: {}",
        out[0]
    );
    assert!(
        (out[1] / out[0] - 100.0 / 0.9).abs() < 1e-9,
        "direction kept"
    );
    // Below the threshold nothing changes.
    assert_eq!(
        clip(Clipping::Norm(1.0), &[&[0.3, 0.4]]),
        vec![vec![0.3, 0.4]]
    );
}

#[test]
fn clipnorm_is_per_variable_and_global_clipnorm_is_joint() {
    let grads: &[&[f64]] = &[&[3.0, 4.0], &[0.6, 0.8]]; // norms 5 and 1, joint √26
    let per = clip(Clipping::Norm(2.0), grads);
    assert!((norm(&per[0]) - 2.0).abs() < 1e-12);
    assert_eq!(
        per[1],
        vec![0.6, 0.8],
        "a variable under the threshold is untouched"
    );
    let global = clip(Clipping::GlobalNorm(2.0), grads);
    let joint = (norm(&global[0]).powi(2) + norm(&global[1]).powi(2)).sqrt();
    assert!((joint - 2.0).abs() < 1e-12);
    let s = 2.0 / 26f64.sqrt();
    assert!(
        (global[1][0] - 0.6 * s).abs() < 1e-12,
        "every variable scaled by the same factor"
    );
    assert!(
        (global[0][1] / global[1][1] - 5.0).abs() < 1e-12,
        "ratios kept across variables"
    );
}

#[test]
fn clipping_never_hides_a_nan() {
    let out = clip(Clipping::Value(1.0), &[&[f64::NAN, 5.0]]);
    assert!(out[0][0].is_nan());
    assert_eq!(out[0][1], 1.0);
}
