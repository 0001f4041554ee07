//! Chart scaling that never lies and never panics: log10 magnitudes with explicit markers
//! for zero, NaN and ±Inf, axis ranges in whole decades, and a colour-blind-safe palette.

/// Where a value lands on a log10 axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LogPoint {
    /// log10 of a finite positive value.
    At(f64),
    /// Exactly 0: no log; drawn as a marker at the bottom of the axis.
    Zero,
    /// Not a number: drawn as a marker, never as a bar.
    NaN,
    /// +Inf: drawn as a marker at the top.
    Inf,
    /// A negative or −Inf value (magnitudes are never negative; shown as invalid).
    Negative,
}

/// log10 of a magnitude, or the marker that stands in for it.
pub fn log10_point(x: f64) -> LogPoint {
    if x.is_nan() {
        LogPoint::NaN
    } else if x == f64::INFINITY {
        LogPoint::Inf
    } else if x == 0.0 {
        LogPoint::Zero
    } else if x < 0.0 {
        LogPoint::Negative
    } else {
        LogPoint::At(x.log10())
    }
}

/// A log10 axis range in whole decades that covers every finite positive value, at least
/// `min_decades` wide; (−3, 1) when there is nothing finite to show.
pub fn decade_range(values: impl IntoIterator<Item = f64>, min_decades: f64) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values {
        if let LogPoint::At(l) = log10_point(v) {
            lo = lo.min(l);
            hi = hi.max(l);
        }
    }
    if !lo.is_finite() {
        return (-3.0, 1.0);
    }
    let (mut lo, mut hi) = (lo.floor(), hi.ceil());
    if hi - lo < min_decades {
        let pad = (min_decades - (hi - lo)) / 2.0;
        lo = (lo - pad).floor();
        hi = (hi + pad).ceil();
    }
    (lo, hi)
}

/// The log10 axis shared by several runs' curves, which one diverging run cannot wreck:
/// whole decades over every finite positive value, except that the top stops
/// [`OFF_SCALE_DECADES`] above the top of the calmest run (the one whose largest finite value
/// is the smallest). A run above that is drawn clamped at the top, with an arrow, instead of
/// squashing the others into a flat line. One run alone always fits whole.
pub fn shared_decade_range(runs: &[Vec<f64>], min_decades: f64) -> (f64, f64) {
    let (lo, hi) = decade_range(runs.iter().flatten().copied(), min_decades);
    let calmest = runs
        .iter()
        .filter_map(|values| {
            values
                .iter()
                .filter_map(|v| match log10_point(*v) {
                    LogPoint::At(l) => Some(l),
                    _ => None,
                })
                .reduce(f64::max)
        })
        .reduce(f64::min);
    match calmest {
        Some(top) => {
            let cap = (top.ceil() + OFF_SCALE_DECADES).max(lo + min_decades);
            (lo, hi.min(cap))
        }
        None => (lo, hi),
    }
}

/// How far above the calmest run a shared curve axis reaches (decades).
pub const OFF_SCALE_DECADES: f64 = 1.0;

/// Where `x` sits between lo and hi, clamped to [0, 1] (0 for NaN).
pub fn unit(x: f64, lo: f64, hi: f64) -> f64 {
    let t = (x - lo) / (hi - lo);
    if t.is_nan() {
        0.0
    } else {
        t.clamp(0.0, 1.0)
    }
}

/// Viridis (perceptually uniform, readable with colour-vision deficiencies and in greyscale),
/// by linear interpolation between 9 anchors sampled from the matplotlib definition.
pub fn viridis(t: f64) -> (u8, u8, u8) {
    const ANCHORS: [(u8, u8, u8); 9] = [
        (68, 1, 84),
        (71, 44, 122),
        (59, 81, 139),
        (44, 113, 142),
        (33, 144, 141),
        (39, 173, 129),
        (92, 200, 99),
        (170, 220, 50),
        (253, 231, 37),
    ];
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let pos = t * (ANCHORS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(ANCHORS.len() - 2);
    let f = pos - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (ANCHORS[i], ANCHORS[i + 1]);
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Integer decade ticks from lo to hi, thinned so that at most `max_ticks` remain.
pub fn decade_ticks(lo: f64, hi: f64, max_ticks: usize) -> Vec<i32> {
    if !(lo.is_finite() && hi.is_finite()) || hi < lo {
        return Vec::new();
    }
    let (lo, hi) = (lo.ceil() as i32, hi.floor() as i32);
    let span = (hi - lo).max(0) as usize + 1;
    let step = span.div_ceil(max_ticks.max(1)).max(1);
    (lo..=hi).step_by(step).collect()
}

// ---- Tick labels thinned to the space available: no two labels closer than their size. ----

/// The least whole number of axis units that spans `gap` pixels when one unit is `unit_px`.
pub fn stride(unit_px: f64, gap: f64) -> usize {
    if unit_px.is_finite() && unit_px > 0.0 {
        (gap / unit_px).ceil().max(1.0) as usize
    } else {
        1
    }
}

/// Whole numbers from `first` to `last`, every k-th; `last` is always among them (it
/// replaces the tick before it, so no two are closer than k).
pub fn int_ticks(first: usize, last: usize, k: usize) -> Vec<f64> {
    if last < first {
        return Vec::new();
    }
    let mut ticks: Vec<usize> = (first..=last).step_by(k.max(1)).collect();
    if ticks.last() != Some(&last) {
        if ticks.len() > 1 {
            ticks.pop();
        }
        ticks.push(last);
        if ticks.len() == 2 && ticks[1] - ticks[0] < k {
            ticks.remove(0);
        }
    }
    ticks.into_iter().map(|t| t as f64).collect()
}

/// Whole decades from lo to hi, every k-th.
pub fn decade_ticks_every(lo: f64, hi: f64, k: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi < lo {
        return Vec::new();
    }
    (lo.ceil() as i32..=hi.floor() as i32)
        .step_by(k.max(1))
        .map(f64::from)
        .collect()
}

/// Round numbers from lo to hi, 1, 2 or 5 × 10ⁿ apart: the smallest such step that is at
/// least `min_step` (and, when `whole`, at least 1).
pub fn nice_ticks(lo: f64, hi: f64, min_step: f64, whole: bool) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && min_step.is_finite()) || hi < lo {
        return Vec::new();
    }
    let min_step = if whole { min_step.max(1.0) } else { min_step }.max(1e-12);
    let mag = 10f64.powf(min_step.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= min_step * (1.0 - 1e-9))
        .unwrap_or(10.0 * mag);
    let start = (lo / step - 1e-9).ceil() as i64;
    let end = (hi / step + 1e-9).floor() as i64;
    (start..=end).map(|i| i as f64 * step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_for_the_values_a_log_cannot_take() {
        assert_eq!(log10_point(0.0), LogPoint::Zero);
        assert_eq!(log10_point(-0.0), LogPoint::Zero);
        assert_eq!(log10_point(f64::NAN), LogPoint::NaN);
        assert_eq!(log10_point(f64::INFINITY), LogPoint::Inf);
        assert_eq!(log10_point(f64::NEG_INFINITY), LogPoint::Negative);
        assert_eq!(log10_point(-1.0), LogPoint::Negative);
        assert_eq!(log10_point(1e-12), LogPoint::At(-12.0));
        assert_eq!(log10_point(1e6), LogPoint::At(6.0));
        assert_eq!(
            log10_point(f64::MIN_POSITIVE),
            LogPoint::At(f64::MIN_POSITIVE.log10())
        );
    }

    #[test]
    fn ranges_cover_1e_minus_12_to_1e6_in_whole_decades() {
        assert_eq!(decade_range([1e-12, 3.0, 1e6], 2.0), (-12.0, 6.0));
        assert_eq!(decade_range([0.5, 0.7], 2.0), (-2.0, 1.0));
        assert_eq!(
            decade_range([f64::NAN, 0.0, f64::INFINITY], 2.0),
            (-3.0, 1.0)
        );
        assert_eq!(decade_range([], 4.0), (-3.0, 1.0));
        let (lo, hi) = decade_range([2e-20, f64::NAN, 5e-3], 2.0);
        assert!(lo <= -20.0 + 1e-9 && hi >= -2.0);
    }

    #[test]
    fn a_diverging_run_does_not_stretch_the_shared_axis() {
        let calm = vec![2.3, 0.9, 0.3, 0.08];
        let wild = vec![2.3, 40.0, 3e8, f64::NAN];
        // The calm run's top is 2.3 (decade 1): the axis stops one decade above it.
        assert_eq!(
            shared_decade_range(&[calm.clone(), wild.clone()], 1.0),
            (-2.0, 2.0)
        );
        // Alone, each run fits whole.
        assert_eq!(
            shared_decade_range(std::slice::from_ref(&wild), 1.0),
            (0.0, 9.0)
        );
        assert_eq!(
            shared_decade_range(std::slice::from_ref(&calm), 1.0),
            (-2.0, 1.0)
        );
        // Runs within a decade of each other share the plain range.
        let flailing = vec![2.3, 12.0, 5.0];
        assert_eq!(
            shared_decade_range(&[calm.clone(), flailing.clone()], 1.0),
            decade_range(calm.iter().chain(&flailing).copied(), 1.0)
        );
        // A run with nothing finite takes no part; nothing finite at all keeps the default.
        let lost = vec![f64::NAN, f64::INFINITY];
        assert_eq!(
            shared_decade_range(&[calm.clone(), lost.clone()], 1.0),
            (-2.0, 1.0)
        );
        assert_eq!(shared_decade_range(&[lost], 1.0), (-3.0, 1.0));
        assert_eq!(shared_decade_range(&[], 1.0), (-3.0, 1.0));
        // The range is never narrower than asked.
        let flat = vec![1.5, 1.6];
        let (lo, hi) = shared_decade_range(&[flat.clone(), vec![1e12]], 3.0);
        assert!(hi - lo >= 3.0 && hi <= 12.0, "({lo}, {hi})");
    }

    #[test]
    fn unit_clamps_and_survives_nan() {
        assert_eq!(unit(5.0, 0.0, 10.0), 0.5);
        assert_eq!(unit(50.0, 0.0, 10.0), 1.0);
        assert_eq!(unit(f64::NAN, 0.0, 10.0), 0.0);
        assert_eq!(unit(1.0, 1.0, 1.0), 0.0);
    }

    #[test]
    fn viridis_runs_dark_purple_to_yellow_and_gets_lighter() {
        assert_eq!(viridis(0.0), (68, 1, 84));
        assert_eq!(viridis(1.0), (253, 231, 37));
        assert_eq!(viridis(f64::NAN), viridis(0.0));
        let lum =
            |(r, g, b): (u8, u8, u8)| 0.2126 * r as f64 + 0.7152 * g as f64 + 0.0722 * b as f64;
        let mut last = -1.0;
        for i in 0..=20 {
            let l = lum(viridis(i as f64 / 20.0));
            assert!(l > last, "luminance rises monotonically");
            last = l;
        }
    }

    #[test]
    fn ticks_are_thinned() {
        assert_eq!(
            decade_ticks(-12.0, 6.0, 10),
            (-12..=6).step_by(2).collect::<Vec<_>>()
        );
        assert_eq!(decade_ticks(-1.0, 1.0, 10), vec![-1, 0, 1]);
        assert!(decade_ticks(f64::NAN, 1.0, 5).is_empty());
    }
}
