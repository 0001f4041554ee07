//! Unpacks the digits once, at build time: `data/digits.csv.gz` (the set as scikit-learn
//! ships it; provenance in the README) becomes bytes in `OUT_DIR` which the engine embeds:
//! each image's 64 pixels column by column, each stored as 1 + its value 0..16, then the 1797
//! labels. Columns compress better than rows; without zeros, wasm-opt keeps the data in one
//! piece (it cuts a data segment at each long run of zeros, and the cuts cost more than the
//! zeros). Together they make the worker's module 2 kB smaller gzipped. The page then neither inflates nor parses text when it
//! starts, and the raw bytes compress better in transit than the gzip inside the module.

use std::io::Read;
use std::path::Path;

const SOURCE: &str = "data/digits.csv.gz";

fn main() {
    println!("cargo:rerun-if-changed={SOURCE}");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(SOURCE).expect("data/digits.csv.gz"))
        .read_to_string(&mut text)
        .expect("data/digits.csv.gz is gzip text");
    let mut pixels = Vec::with_capacity(1797 * 64);
    let mut labels = Vec::with_capacity(1797);
    for (n, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let values: Vec<u8> = line
            .split(',')
            .map(|v| {
                let x: f64 = v.trim().parse().expect("digits: a number");
                assert!(
                    x.fract() == 0.0 && (0.0..=16.0).contains(&x),
                    "digits line {n}: {x}"
                );
                x as u8
            })
            .collect();
        assert_eq!(values.len(), 65, "digits line {n}: 64 pixels and a label");
        assert!(values[64] <= 9, "digits line {n}: label {}", values[64]);
        pixels.extend((0..64).map(|k| 1 + values[(k % 8) * 8 + k / 8]));
        labels.push(values[64]);
    }
    let mut bytes = pixels;
    bytes.extend(labels);
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("digits.u8");
    std::fs::write(out, bytes).expect("write digits.u8");
    lesson_titles();
}

/// Every lesson file's `# ` title, for the page's menu: the page fetches a lesson's text only
/// when it opens (`lesson::builtin`).
fn lesson_titles() {
    println!("cargo:rerun-if-changed=lessons");
    let mut entries: Vec<(String, String)> = std::fs::read_dir("lessons")
        .expect("lessons/")
        .filter_map(|e| {
            let path = e.ok()?.path();
            let id = path.file_name()?.to_str()?.strip_suffix(".md")?.to_string();
            let text = std::fs::read_to_string(&path).ok()?;
            let first = text.lines().next().unwrap_or("");
            let title = first.strip_prefix("# ").unwrap_or(first).trim().to_string();
            Some((id, title))
        })
        .collect();
    entries.sort();
    let body: String = entries
        .iter()
        .map(|(id, title)| format!("    ({id:?}, {title:?}),\n"))
        .collect();
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("lesson_titles.rs");
    std::fs::write(
        out,
        format!("const TITLES: &[(&str, &str)] = &[\n{body}];\n"),
    )
    .expect("write lesson_titles.rs");
}
