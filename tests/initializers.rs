//! Initializers against DESIGN §2 over ≥ 100 000 draws: mean, variance, bounds.

use gradscope::engine::init::{Initializer, WeightDistribution, TRUNCATION_STD};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const FAN_IN: usize = 300;
const FAN_OUT: usize = 400; // 120 000 draws per kernel

fn draws(init: Initializer, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    init.kernel::<f64, _>(FAN_IN, FAN_OUT, &mut rng)
}

fn mean_var(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    (mean, var)
}

/// (expected variance, bound on |w| if any) from the definitions, written out independently.
fn expected(init: Initializer) -> (f64, Option<f64>) {
    let (fi, fo) = (FAN_IN as f64, FAN_OUT as f64);
    let trunc = |var: f64| (var, Some(2.0 * var.sqrt() / TRUNCATION_STD));
    let unif = |limit: f64| (limit * limit / 3.0, Some(limit));
    match init {
        Initializer::GlorotUniform => unif((6.0 / (fi + fo)).sqrt()),
        Initializer::GlorotNormal => trunc(2.0 / (fi + fo)),
        Initializer::HeUniform => unif((6.0 / fi).sqrt()),
        Initializer::HeNormal => trunc(2.0 / fi),
        Initializer::LecunUniform => unif((3.0 / fi).sqrt()),
        Initializer::LecunNormal => trunc(1.0 / fi),
        Initializer::Small => (1e-4, None),
        Initializer::Large => (1.0, None),
        Initializer::Zeros => (0.0, Some(0.0)),
    }
}

#[test]
fn every_initializer_has_the_defined_mean_variance_and_bounds() {
    for init in Initializer::ALL {
        let xs = draws(init, 42);
        assert!(xs.len() >= 100_000);
        let (mean, var) = mean_var(&xs);
        let (want_var, bound) = expected(init);
        let sd = want_var.sqrt();
        // The sample mean has sd σ/√n: allow 5 of those.
        assert!(
            mean.abs() <= 5.0 * sd / (xs.len() as f64).sqrt() + 1e-15,
            "{}: mean {mean}",
            init.name()
        );
        let rel = if want_var == 0.0 {
            var
        } else {
            (var / want_var - 1.0).abs()
        };
        assert!(
            rel < 0.02,
            "{}: variance {var}, want {want_var}",
            init.name()
        );
        if let Some(b) = bound {
            let max = xs.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            assert!(
                max <= b + 1e-12,
                "{}: |w| up to {max}, bound {b}",
                init.name()
            );
            // The draws also reach close to the bound (it is the real support, not slack).
            assert!(
                max >= 0.99 * b,
                "{}: max {max} far below bound {b}",
                init.name()
            );
        }
    }
}

#[test]
fn truncated_normal_is_cut_at_two_standard_deviations_before_scaling() {
    let WeightDistribution::TruncatedNormal { sd } =
        Initializer::HeNormal.distribution(FAN_IN, FAN_OUT)
    else {
        panic!("he_normal is a truncated normal");
    };
    assert!((sd - (2.0 / FAN_IN as f64).sqrt() / 0.879_625_661_034_239_8).abs() < 1e-15);
    let xs = draws(Initializer::HeNormal, 7);
    assert!(xs.iter().all(|x| x.abs() <= 2.0 * sd));
    // A normal cut at ±2 keeps 95.45 % of the mass; the share within ±1 sd of the cut
    // distribution is 0.6827 / 0.9545 = 71.5 %.
    let within_one = xs.iter().filter(|x| x.abs() <= sd).count() as f64 / xs.len() as f64;
    assert!((within_one - 0.7153).abs() < 0.01, "{within_one}");
}

#[test]
fn the_same_seed_draws_the_same_weights_and_another_seed_does_not() {
    assert_eq!(
        draws(Initializer::GlorotUniform, 1),
        draws(Initializer::GlorotUniform, 1)
    );
    assert_ne!(
        draws(Initializer::GlorotUniform, 1),
        draws(Initializer::GlorotUniform, 2)
    );
}

#[test]
fn names_round_trip() {
    for init in Initializer::ALL {
        assert_eq!(Initializer::from_name(init.name()), Some(init));
    }
    assert_eq!(Initializer::from_name("xavier"), None);
}
