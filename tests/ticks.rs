//! Tick labels thinned to the space available (chart_scale): over a grid of axis sizes and
//! font sizes, no two labels end up closer than the room one label needs, the last layer and
//! the range's ends are respected, and steps are round numbers.

use gradscope::chart_scale::{decade_ticks_every, int_ticks, nice_ticks, stride};

#[test]
fn stride_is_the_fewest_units_that_span_the_gap() {
    for unit in [0.3, 1.0, 7.5, 18.0, 40.0, 300.0] {
        for gap in [1.0, 12.5, 18.0, 33.3, 90.0] {
            let k = stride(unit, gap);
            assert!(k >= 1);
            assert!(k as f64 * unit >= gap - 1e-9, "{k} × {unit} spans {gap}");
            if k > 1 {
                assert!(
                    (k - 1) as f64 * unit < gap,
                    "{k} is the fewest for {unit}, {gap}"
                );
            }
        }
    }
    // No room measured (a canvas without size): one unit, never a panic or a zero step.
    assert_eq!(stride(0.0, 10.0), 1);
    assert_eq!(stride(f64::NAN, 10.0), 1);
}

#[test]
fn layer_ticks_keep_the_last_layer_and_never_crowd() {
    for last in 1..=101 {
        for k in 1..=15 {
            let t = int_ticks(1, last, k);
            assert_eq!(
                *t.last().unwrap(),
                last as f64,
                "the last layer is labelled"
            );
            assert!(t.iter().all(|&x| (1.0..=last as f64).contains(&x)));
            for w in t.windows(2) {
                assert!(w[1] - w[0] >= k as f64, "{last} layers every {k}: {t:?}");
            }
            if k == 1 {
                assert_eq!(t.len(), last, "room for all: every layer");
            }
            // Thinned, but not more than needed: at most one step wasted at the end.
            assert!(t.len() + 1 >= last.div_ceil(k), "{last}/{k}: {t:?}");
        }
    }
    assert!(int_ticks(5, 3, 1).is_empty());
}

#[test]
fn decade_ticks_are_whole_decades_k_apart() {
    let t = decade_ticks_every(-7.0, 1.0, 3);
    assert_eq!(t, vec![-7.0, -4.0, -1.0]);
    let all = decade_ticks_every(-7.5, 1.2, 1);
    assert_eq!(all.first(), Some(&-7.0));
    assert_eq!(all.last(), Some(&1.0));
    assert!(decade_ticks_every(f64::NAN, 1.0, 1).is_empty());
    assert!(decade_ticks_every(2.0, 1.0, 1).is_empty());
}

#[test]
fn nice_ticks_are_round_in_range_and_at_least_the_minimum_apart() {
    for (lo, hi) in [
        (0.0, 1.0),
        (0.0, 20.0),
        (0.0, 10_000.0),
        (-3.0, 4.5),
        (0.0, 0.01),
    ] {
        for min_step in [0.001, 0.013, 0.2, 0.7, 3.0, 45.0, 999.0] {
            for whole in [false, true] {
                let t = nice_ticks(lo, hi, min_step, whole);
                for &x in &t {
                    assert!(x >= lo - 1e-9 && x <= hi + 1e-9, "{x} in {lo}..{hi}");
                    if whole {
                        assert_eq!(x, x.round(), "whole numbers only: {t:?}");
                    }
                }
                if t.len() >= 2 {
                    let step = t[1] - t[0];
                    assert!(step >= min_step * (1.0 - 1e-9), "{step} ≥ {min_step}");
                    let mantissa = step / 10f64.powf(step.log10().floor());
                    assert!(
                        [1.0, 2.0, 5.0, 10.0]
                            .iter()
                            .any(|m| (mantissa - m).abs() < 1e-6),
                        "round step {step}"
                    );
                    for w in t.windows(2) {
                        assert!(((w[1] - w[0]) - step).abs() < 1e-9 * step.max(1.0));
                    }
                }
            }
        }
    }
    // The accuracy axis of a 66 px plot at 17 px type: 0, 50 %, 100 %.
    let unit = 66.0; // pixels per 1.0 of accuracy
    let t = nice_ticks(0.0, 1.0, 1.8 * 17.0 / unit, false);
    assert_eq!(t, vec![0.0, 0.5, 1.0]);
}
