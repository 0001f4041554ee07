//! The embedded digits are the published file's (unpacked at build time by build.rs): known
//! images at both ends, the class counts of the scikit-learn set, pixels scaled by 1/16.

use gradscope::engine::data::digits;

/// The first and last lines of data/digits.csv.gz: 64 pixels, then the label.
const FIRST: [u8; 65] = [
    0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0,
    8, 8, 0, 0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6,
    13, 10, 0, 0, 0, 0,
];
const LAST: [u8; 65] = [
    0, 0, 10, 14, 8, 1, 0, 0, 0, 2, 16, 14, 6, 1, 0, 0, 0, 0, 15, 15, 8, 15, 0, 0, 0, 0, 5, 16, 16,
    10, 0, 0, 0, 0, 12, 15, 15, 12, 0, 0, 0, 4, 16, 6, 4, 16, 6, 0, 0, 8, 16, 10, 8, 16, 8, 0, 0,
    1, 8, 12, 14, 12, 1, 0, 8,
];

#[test]
fn the_embedded_digits_are_the_published_ones() {
    let d = digits();
    assert_eq!((d.len(), d.features), (1797, 64));
    for (i, line) in [(0, FIRST), (1796, LAST)] {
        let pixels: Vec<f32> = line[..64].iter().map(|&p| p as f32 / 16.0).collect();
        assert_eq!(&d.x[i * 64..(i + 1) * 64], &pixels[..], "image {i}");
        assert_eq!(d.y[i], line[64] as usize, "label {i}");
    }
    let mut counts = [0usize; 10];
    d.y.iter().for_each(|&y| counts[y] += 1);
    assert_eq!(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
}

#[test]
fn each_dataset_knows_its_classes_and_training_size_without_loading() {
    use gradscope::engine::data::{Dataset, DatasetKind, DIGIT_IMAGES};
    assert_eq!(gradscope::engine::data::digits().len(), DIGIT_IMAGES);
    for kind in DatasetKind::ALL {
        let d = Dataset::load(kind, 0.1, 0);
        assert_eq!(d.classes, kind.classes(), "{kind:?}");
        assert_eq!(d.train.len(), kind.train_len(), "{kind:?}");
    }
}
