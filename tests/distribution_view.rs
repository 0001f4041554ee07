//! The Distributions view's axis: the columns it keeps and leaves out, the shares it draws,
//! and its labels, on histograms of known values.

use gradscope::distribution_view::{columns, edge_label, shares, Column};
use gradscope::engine::histogram::{Bins, Histogram};

#[test]
fn the_axis_keeps_the_filled_decades_of_both_signs_and_puts_zero_between() {
    let a = Histogram::of(&[-0.5, -0.05, 0.0, 0.02, 0.3, 3.0], Bins::SignedLog);
    let b = Histogram::of(&[f32::NAN, 0.0005], Bins::SignedLog);
    let cols = columns(Bins::SignedLog, &[&a, &b]);
    let zero = cols.iter().position(|c| *c == Column::Zero).unwrap();
    // −0.5 is in [−1, −10^−0.5) (bin 24), −0.05 in [−10^−1, −10^−1.5) (bin 26): 3 columns.
    assert_eq!(
        &cols[..zero],
        &[Column::Bin(24), Column::Bin(25), Column::Bin(26)]
    );
    // 0.0005 is in [10^−3.5, 10^−3) (bin 66), 3.0 in [1, 10^0.5) (bin 73).
    assert_eq!(cols[zero + 1], Column::Bin(66));
    assert_eq!(cols[cols.len() - 2], Column::Bin(73));
    assert_eq!(*cols.last().unwrap(), Column::Nan);
    assert!(!cols.contains(&Column::Inf), "no ±∞ column without ±∞");
    // The shares of each histogram add up to 1 over the columns.
    for h in [&a, &b] {
        let s = shares(h, &cols);
        assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
    assert_eq!(shares(&a, &cols)[zero], 1.0 / 6.0);
    assert_eq!(shares(&b, &cols)[cols.len() - 1], 0.5);
}

#[test]
fn relu_outputs_show_zeros_first_and_only_positive_decades() {
    let h = Histogram::of(&[0.0, 0.0, 0.0, 0.2, 1.5], Bins::SignedLog);
    let cols = columns(Bins::SignedLog, &[&h]);
    assert_eq!(cols[0], Column::Zero);
    assert!(cols[1..]
        .iter()
        .all(|c| matches!(c, Column::Bin(i) if *i > 48)));
    assert_eq!(shares(&h, &cols)[0], 0.6);
}

#[test]
fn a_bounded_activation_keeps_its_whole_range_with_zero_where_0_lies() {
    let tanh = Bins::Range {
        lo: -1.0,
        hi: 1.0,
        n: 20,
    };
    let h = Histogram::of(&[-0.99, 0.0, 0.5], tanh);
    let cols = columns(tanh, &[&h]);
    assert_eq!(cols.len(), 21);
    assert_eq!(cols[10], Column::Zero, "between [−0.1, 0) and [0, 0.1)");
    assert_eq!(cols[11], Column::Bin(10));
    assert_eq!(edge_label(tanh, Column::Bin(0)).as_deref(), Some("-1.00"));
    assert_eq!(edge_label(tanh, Column::Bin(10)).as_deref(), Some("0"));
    assert_eq!(edge_label(tanh, Column::Bin(3)), None);
}

#[test]
fn decade_labels_read_as_numbers() {
    let label = |i| edge_label(Bins::SignedLog, Column::Bin(i));
    assert_eq!(label(73).as_deref(), Some("1"), "[1, 10^0.5)");
    assert_eq!(label(74), None, "10^0.5 is not a round number");
    assert_eq!(label(71).as_deref(), Some("0.1"));
    assert_eq!(label(67).as_deref(), Some("0.001"));
    assert_eq!(label(65).as_deref(), Some("1e-4"));
    assert_eq!(label(79).as_deref(), Some("1000"));
    // A negative bin's left edge: [−1, −10^−0.5) starts at −1.
    assert_eq!(label(24).as_deref(), Some("−1"));
    assert_eq!(
        edge_label(Bins::SignedLog, Column::Inf).as_deref(),
        Some("±∞")
    );
}
