//! The per-layer distributions against theory and against the layer's own figures: ReLU + He
//! zeroes about half of every hidden layer's outputs; batch norm before tanh gives outputs of
//! std ≈ 0.63 with 2–5 % beyond |t| > 0.97; every kernel's weights follow its initializer
//! (a Kolmogorov–Smirnov bound at the bin edges); the histograms count the same values as
//! `dead`, `saturated` and ‖W‖; a diverged run shows its NaN and ±∞ apart.

use gradscope::engine::activation::Activation;
use gradscope::engine::batch_norm::Mode;
use gradscope::engine::config::Config;
use gradscope::engine::histogram::{Bins, Histogram};
use gradscope::engine::init::{Initializer, WeightDistribution};
use gradscope::engine::matrix::Matrix;
use gradscope::engine::metrics::{EpochRecord, Status};
use gradscope::engine::network::BatchNormPlacement;
use gradscope::engine::trainer::Trainer;

fn epochs(config: Config, n: usize) -> Vec<EpochRecord> {
    let mut t = Trainer::new(Config {
        epochs: n,
        ..config
    })
    .unwrap();
    t.set_histograms(true);
    let mut out = Vec::new();
    while let Some(r) = t.run_epoch() {
        out.push(r);
    }
    out
}

fn share(h: &Histogram, count: u64) -> f64 {
    count as f64 / h.total() as f64
}

/// Standard normal CDF, from erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7).
fn phi(x: f64) -> f64 {
    let z = x.abs() / 2f64.sqrt();
    let t = 1.0 / (1.0 + 0.3275911 * z);
    let poly = t
        * (0.254829592
            + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    let erf = 1.0 - poly * (-z * z).exp();
    0.5 * (1.0 + erf.copysign(x))
}

fn cdf(d: WeightDistribution, x: f64) -> f64 {
    match d {
        WeightDistribution::Uniform { limit } => ((x + limit) / (2.0 * limit)).clamp(0.0, 1.0),
        WeightDistribution::Normal { sd } => phi(x / sd),
        WeightDistribution::TruncatedNormal { sd } => {
            let t = (x / sd).clamp(-2.0, 2.0);
            (phi(t) - phi(-2.0)) / (phi(2.0) - phi(-2.0))
        }
        WeightDistribution::Zero => (x >= 0.0) as u8 as f64,
    }
}

#[test]
fn relu_with_he_zeroes_about_half_of_every_hidden_layers_outputs() {
    for seed in 0..5 {
        let config = Config {
            depth: 6,
            width: 64,
            activation: Activation::Relu,
            init: Initializer::HeNormal,
            seed,
            init_seed: seed,
            ..Config::default()
        };
        let r = &epochs(config, 0)[0];
        let mut mean = 0.0;
        for l in &r.layers[..6] {
            let hist = l.histograms().unwrap();
            let h = &hist.activation;
            let zeros = share(h, h.zeros);
            mean += zeros / 6.0;
            assert!(
                (0.35..0.65).contains(&zeros),
                "seed {seed} layer {}: {zeros}",
                l.layer
            );
            // f(z) = 0 exactly where z ≤ 0: the zeros are the pre-activations' zeros and
            // negative bins, value for value.
            let z = &hist.preactivation;
            let negative: u64 = z.full_counts()[..48].iter().sum();
            assert_eq!(h.zeros, z.zeros + negative);
            assert_eq!(
                h.full_counts()[..49].iter().sum::<u64>(),
                0,
                "no negative outputs"
            );
            // A dead unit outputs 0 for every sample: it is among the zeros.
            assert!(l.dead.unwrap() <= zeros + 1e-12);
        }
        assert!((0.45..0.55).contains(&mean), "seed {seed}: {mean}");
    }
}

#[test]
fn batch_norm_before_tanh_gives_the_unit_normal_squashed() {
    // z ~ N(0, 1) ⇒ std(tanh z) = 0.6278 and P(|tanh z| > 0.97) = P(|z| > 2.092) = 3.6 %.
    // Measured as training normalizes (each batch by its own statistics: here the 360
    // validation digits as one batch); the validation pass itself normalizes by the moving
    // averages, which after epoch 0's 45 steps are only 1 − 0.99⁴⁵ = 36 % of the way there.
    for seed in 0..5 {
        let config = Config {
            depth: 6,
            width: 64,
            activation: Activation::Tanh,
            batch_norm: BatchNormPlacement::Before,
            seed,
            init_seed: seed,
            ..Config::default()
        };
        let mut t = Trainer::new(config).unwrap();
        let val = t.dataset().val.clone();
        let (mut x, mut y) = (Matrix::zeros(0, 0), Vec::new());
        val.gather(&(0..val.len()).collect::<Vec<_>>(), &mut x, &mut y);
        let net = t.network_mut().unwrap();
        net.forward(&x, Mode::Train);
        for l in 0..6 {
            let (_, out) = net.activation_io(l);
            let h = Histogram::of_real(
                &out.data,
                Bins::Range {
                    lo: -1.0,
                    hi: 1.0,
                    n: 20,
                },
            );
            let n = out.data.len() as f64;
            let mean = out.data.iter().map(|&v| v as f64).sum::<f64>() / n;
            let sd = (out
                .data
                .iter()
                .map(|&v| (v as f64 - mean).powi(2))
                .sum::<f64>()
                / n)
                .sqrt();
            assert!((0.60..0.66).contains(&sd), "seed {seed} layer {l}: {sd}");
            let beyond = out.data.iter().filter(|v| v.abs() > 0.97).count() as f64 / n;
            assert!(
                (0.02..0.05).contains(&beyond),
                "seed {seed} layer {l}: {beyond}"
            );
            // The histogram's percentiles bracket the same 2–5 %: the 6.68 % and 93.32 %
            // points inside ±0.97, the extremes beyond.
            let pct = |i: usize| h.percentiles[i].unwrap();
            assert!(pct(1) > -0.97 && pct(7) < 0.97, "seed {seed} layer {l}");
            assert!(pct(0) < -0.97 && pct(8) > 0.97, "seed {seed} layer {l}");
            assert!(h.share_of_bins(0, 1) + h.share_of_bins(19, 20) >= beyond);
        }
    }
}

#[test]
fn every_kernel_follows_its_initializer_at_the_bin_edges() {
    for init in Initializer::ALL {
        for seed in 0..3 {
            let config = Config {
                depth: 4,
                width: 48,
                init,
                seed,
                init_seed: seed,
                ..Config::default()
            };
            let r = &epochs(config, 0)[0];
            let fans = [(64, 48), (48, 48), (48, 48), (48, 48), (48, 10)];
            for (l, (fan_in, fan_out)) in r.layers.iter().zip(fans) {
                let hist = l.histograms().unwrap();
                let h = &hist.weight;
                let d = init.distribution(fan_in, fan_out);
                let n = h.total() as f64;
                assert_eq!(h.total(), (fan_in * fan_out) as u64);
                // The empirical CDF at each edge (zeros sit at 0, between the two halves).
                let (edges, counts) = (h.edges(), h.full_counts());
                let mut below = 0u64;
                let mut worst = 0f64;
                for (i, e) in edges.iter().enumerate().skip(1) {
                    below += counts[i - 1];
                    let at = below + if *e > 0.0 { h.zeros } else { 0 };
                    worst = worst.max((at as f64 / n - cdf(d, *e)).abs());
                }
                // Kolmogorov–Smirnov: sup |F_n − F| > 1.95/√n with probability < 0.1 %.
                assert!(
                    worst < 1.95 / n.sqrt(),
                    "{} seed {seed} layer {}: {worst}",
                    init.name(),
                    l.layer
                );
            }
        }
    }
}

#[test]
fn the_histograms_count_what_the_layer_figures_count() {
    let config = Config {
        depth: 5,
        width: 32,
        activation: Activation::Sigmoid,
        init: Initializer::Large,
        epochs: 2,
        ..Config::default()
    };
    for r in epochs(config, 2) {
        for l in &r.layers {
            let hist = l.histograms().unwrap();
            let (a, w) = (&hist.activation, &hist.weight);
            // Every validation sample and unit, once: 360 digits.
            let units = if l.layer == 6 { 10 } else { 32 };
            assert_eq!(a.total(), 360 * units);
            assert_eq!(hist.preactivation.total(), 360 * units);
            if l.layer < 6 {
                // Sigmoid: f' < 5 % of its maximum means s < 0.0127 or s > 0.9873, inside
                // the outermost bins [0, 0.05) and [0.95, 1] (with exact 0 and 1).
                let outer = a.share_of_bins(0, 1) + a.share_of_bins(19, 20) + share(a, a.zeros);
                assert!(l.saturated <= outer + 1e-12, "{} ≤ {outer}", l.saturated);
                assert!(l.saturated > 0.05, "a large init saturates sigmoid");
            }
            // ‖W‖² lies between Σ count·(inner edge)² and Σ count·(outer edge)².
            let (edges, counts) = (w.edges(), w.full_counts());
            let (mut lo, mut hi) = (0.0, 0.0);
            for (i, c) in counts.iter().enumerate() {
                let (a, b) = (edges[i].abs(), edges[i + 1].abs());
                lo += *c as f64 * a.min(b).powi(2);
                hi += *c as f64 * a.max(b).powi(2);
            }
            let norm2 = l.weight_norm.powi(2);
            assert!(lo <= norm2 && norm2 <= hi, "{lo} ≤ {norm2} ≤ {hi}");
            let g = hist.gradient.as_ref().unwrap();
            assert_eq!(g.total(), w.total());
            assert_eq!(
                hist.delta.as_ref().unwrap().total(),
                29 * units,
                "last batch: 29"
            );
        }
    }
}

#[test]
fn a_diverged_run_shows_its_non_finite_values_apart() {
    let config = Config {
        depth: 8,
        width: 32,
        activation: Activation::Relu,
        init: Initializer::Large,
        lr: 10.0,
        ..Config::default()
    };
    let records = epochs(config, 20);
    let last = records.last().unwrap();
    assert_eq!(last.status, Status::Diverged);
    let broken: u64 = last
        .layers
        .iter()
        .filter_map(|l| l.histograms())
        .map(|h| h.weight.nans + h.weight.infs + h.activation.nans + h.activation.infs)
        .sum();
    let gradients: u64 = last
        .layers
        .iter()
        .filter_map(|l| l.histograms()?.gradient)
        .map(|g| g.nans + g.infs)
        .sum();
    assert!(broken + gradients > 0, "NaN or ±∞ somewhere, counted apart");
    // Histograms stay in their bins whatever the values.
    for l in &last.layers {
        let h = l.histograms().unwrap();
        assert_eq!(h.weight.edges().len(), Bins::SignedLog.edges().len());
    }
}

#[test]
fn without_histograms_the_records_carry_none() {
    let mut t = Trainer::new(Config {
        epochs: 1,
        depth: 3,
        width: 16,
        ..Config::default()
    })
    .unwrap();
    let r = t.run_epoch().unwrap();
    assert!(r.layers.iter().all(|l| l.hist.is_none()));
}

#[test]
fn the_compact_form_reads_back_exactly_and_a_bad_one_is_refused() {
    use gradscope::engine::layer_histograms::flat::{decode, encode};
    let config = Config {
        depth: 3,
        width: 16,
        activation: Activation::Tanh,
        ..Config::default()
    };
    for r in epochs(config, 1) {
        for l in &r.layers {
            let h = l.histograms().unwrap();
            let v = encode(&h);
            assert_eq!(v, *l.hist.as_ref().unwrap());
            assert_eq!(decode(&v), Some(h.clone()));
            // Through serde, as the worker's records travel (values, not text: serde_json's
            // text reading may round the last digit).
            let json = serde_json::to_value(l).unwrap();
            let back: gradscope::engine::metrics::LayerStats =
                serde_json::from_value(json).unwrap();
            assert_eq!(back.histograms(), Some(h));
            // Cut short, or with a count past the last bin: no histograms, no panic.
            assert_eq!(decode(&v[..v.len() - 1]), None);
            let mut bad = v.clone();
            bad[1] = 1e9;
            assert_eq!(decode(&bad), None);
            assert_eq!(decode(&[1.0, 0.0, 1.0, 1e12]), None);
        }
    }
}

#[test]
fn the_compact_form_writes_a_run_of_empty_bins_as_one_number() {
    use gradscope::engine::histogram::{Bins, Histogram};
    use gradscope::engine::layer_histograms::flat::{decode, encode};
    use gradscope::engine::layer_histograms::LayerHistograms;
    // Weights on both sides of zero: the decades between ±1e-6 are empty.
    let w = Histogram::of(&[-0.3, -0.2, -1e-6, 1e-6, 0.25, 0.3], Bins::SignedLog);
    assert!(w.counts.len() > 20);
    let h = LayerHistograms {
        activation: w.clone(),
        preactivation: w.clone(),
        delta: None,
        weight: w.clone(),
        gradient: Some(w),
    };
    let v = encode(&h);
    let plain = 4 * (1 + 2 + h.weight.counts.len() + 3 + 9) + 1;
    assert!(
        v.len() < plain - 4 * 20,
        "{} numbers, {plain} without runs",
        v.len()
    );
    assert_eq!(decode(&v), Some(h));
    // A run too long, infinite, or not a number: refused, never allocated.
    let run = v.iter().position(|&x| x < -1.0).unwrap();
    for bad in [-1e12, f64::NEG_INFINITY, f64::NAN] {
        let mut b = v.clone();
        b[run] = bad;
        assert_eq!(decode(&b), None, "{bad}");
    }
    // A first bin past the last, with nothing counted.
    assert_eq!(decode(&[0.0, 1e6, 0.0, 0.0, 0.0, 0.0]), None);
}

#[test]
fn the_command_line_writes_every_histogram_in_its_documented_form() {
    use gradscope::cli::{json_line, parse, Command};
    let args: Vec<String> = "train --depth 3 --width 16 --epochs 1 --json --histograms"
        .split(' ')
        .map(String::from)
        .collect();
    let Ok(Command::Train {
        config,
        json: true,
        histograms: true,
    }) = parse(&args)
    else {
        panic!("--histograms is read");
    };
    let records = epochs(config.clone(), 1);
    let line: serde_json::Value = serde_json::from_str(&json_line(&config, &records)).unwrap();
    assert!(
        line["verdict"].is_string(),
        "the rest of the line is intact"
    );
    for (layer, units) in line["layers"]
        .as_array()
        .unwrap()
        .iter()
        .zip([16, 16, 16, 10])
    {
        let hist = &layer["hist"];
        for (q, values) in [
            ("activation", 360 * units),
            ("preactivation", 360 * units),
            ("delta", 29 * units),
            ("weight", layer_fan_in(layer) * units),
            ("gradient", layer_fan_in(layer) * units),
        ] {
            let h = &hist[q];
            let edges: Vec<f64> = h["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e.as_f64().unwrap())
                .collect();
            let counts = h["counts"].as_array().unwrap();
            assert!(
                edges.windows(2).all(|w| w[0] < w[1]),
                "{q}: ascending edges"
            );
            assert_eq!(counts.len(), edges.len() - 1, "{q}");
            let n: u64 = counts.iter().map(|c| c.as_u64().unwrap()).sum::<u64>()
                + ["zeros", "nans", "infs"]
                    .iter()
                    .map(|k| h[k].as_u64().unwrap())
                    .sum::<u64>();
            assert_eq!(n, values as u64, "{q}: every value once");
            assert_eq!(h["percentiles"].as_array().unwrap().len(), 9);
        }
    }
    // Without the flag, no layer carries "hist".
    let plain = Trainer::new(config.clone()).unwrap().run_epoch().unwrap();
    assert!(!json_line(&config, &[plain]).contains("\"hist\""));
}

/// A layer's fan-in in the 3 × 16 digits network.
fn layer_fan_in(layer: &serde_json::Value) -> usize {
    if layer["layer"] == 1 {
        64
    } else {
        16
    }
}
