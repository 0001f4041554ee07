//! One number format everywhere (tables, charts, diagnosis): 3 significant digits,
//! scientific notation for the tiny and the huge (1.23e-7, not 0.000000123).

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
        // Three significant digits here too: 2.00e5, not 2e5.
        format!("{x:.2e}")
    }
}

/// Reads a number as Rust's `f64` parser does (`1e-3`, `-0.5`, `.5`, `inf`, `NaN`). In the
/// browser the checked text goes to JavaScript's `parseFloat`: Rust's own parser brings ~11 KB
/// (gzipped) of tables and code into the page, the browser's is already there.
pub fn parse_number(text: &str) -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    {
        let body = text.strip_prefix(['+', '-']).unwrap_or(text);
        let word = |w: &str| body.eq_ignore_ascii_case(w);
        let sign = if text.starts_with('-') { -1.0 } else { 1.0 };
        if word("inf") || word("infinity") {
            return Some(sign * f64::INFINITY);
        }
        if word("nan") {
            return Some(f64::NAN);
        }
        let (mantissa, exponent) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let mantissa_ok =
            digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
        let exponent_ok = exponent.is_none_or(|e| {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && digits(e)
        });
        (mantissa_ok && exponent_ok).then(|| js_sys::Number::parse_float(text))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.parse().ok()
    }
}

/// A figure that may not apply (or be undefined): "—" when it does not.
pub fn num_opt(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), num)
}

/// A fraction as a whole percentage ("37 %"); "—" when it does not apply.
pub fn pct_opt(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{:.0}\u{a0}%", 100.0 * v),
        Some(v) => num(v),
        None => "—".into(),
    }
}

/// A duration for a person: "14 s" under 90 s, else "2.5 min".
pub fn duration(seconds: f64) -> String {
    if seconds < 90.0 {
        format!("{seconds:.0} s")
    } else {
        format!("{:.1} min", seconds / 60.0)
    }
}

#[cfg(test)]
mod tests {
    use super::num;

    #[test]
    fn formats_consistently() {
        assert_eq!(num(1.2e-7), "1.20e-7");
        assert_eq!(num(1.234e-7), "1.23e-7");
        assert_eq!(num(1e-20), "1.00e-20");
        assert_eq!(num(3.2e6), "3.20e6");
        assert_eq!(num(2.4e5), "2.40e5");
        assert_eq!(num(0.5), "0.500");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(0.0), "0");
        assert_eq!(num(f64::NAN), "NaN");
        assert_eq!(num(f64::NEG_INFINITY), "−Inf");
        assert_eq!(num(-0.031), "-0.0310");
    }
}
