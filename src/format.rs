//! One number format everywhere (tables, charts, diagnosis): 3 significant digits,
//! scientific notation for the tiny and the huge (1.2e-7, not 0.00000012).

pub fn num(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "+Inf" } else { "−Inf" }.into()
    } else if x == 0.0 {
        "0".into()
    } else if (1e-2..1e4).contains(&x.abs()) {
        let digits = (2 - x.abs().log10().floor() as i32).clamp(0, 4) as usize;
        format!("{x:.digits$}")
    } else {
        let s = format!("{x:.1e}");
        // "1.0e-7" → "1e-7"
        s.replace(".0e", "e")
    }
}

/// A figure that may not apply (or be undefined): "—" when it does not.
pub fn num_opt(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), num)
}

/// A fraction as a whole percentage ("37 %"); "—" when it does not apply.
pub fn pct_opt(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{:.0} %", 100.0 * v),
        Some(v) => num(v),
        None => "—".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::num;

    #[test]
    fn formats_consistently() {
        assert_eq!(num(1.2e-7), "1.2e-7");
        assert_eq!(num(1e-20), "1e-20");
        assert_eq!(num(3.2e6), "3.2e6");
        assert_eq!(num(0.5), "0.500");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(0.0), "0");
        assert_eq!(num(f64::NAN), "NaN");
        assert_eq!(num(f64::NEG_INFINITY), "−Inf");
        assert_eq!(num(-0.031), "-0.0310");
    }
}
