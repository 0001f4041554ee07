//! The layer × epoch maps' key: a vertical viridis colour bar with decade ticks, and a
//! swatch for each value the colour bar cannot show (0, NaN, ∞) that the maps hold.

use plotters::prelude::*;

use super::{decade_label, err, viridis, DrawResult, Root, Style};
use crate::chart_scale::{decade_ticks, unit};

/// A vertical colour bar with decade ticks, then a swatch for each of 0, NaN and ∞ that the
/// maps hold (`present`), so every colour on the maps has its key.
pub fn draw<DB: DrawingBackend>(
    area: &Root<DB>,
    s: &Style,
    title: &str,
    (lo, hi): (f64, f64),
    present: [bool; 3],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (_, h) = area.dim_in_pixel();
    let h = h as i32;
    let top = s.px(s.font * 3.0);
    let swatches: Vec<(RGBColor, &str)> = [(s.fg, "0"), (s.alarm, "NaN"), (s.inf, "∞")]
        .into_iter()
        .zip(present)
        .filter_map(|(swatch, shown)| shown.then_some(swatch))
        .collect();
    // The swatches take what they need below the bar; a map too short for both keeps its bar.
    let row = 1.9 * s.font;
    let below = if swatches.is_empty() {
        1.5 * s.font
    } else {
        row * swatches.len() as f64 + 0.6 * s.font
    };
    let swatches_fit = h - top - s.px(below) >= s.px(s.font * 2.5);
    let bottom = h - s.px(if swatches_fit { below } else { 1.5 * s.font });
    let bar_x = s.px(6.0);
    let bar_w = s.px(14.0);
    if bottom <= top + 10 {
        return Ok(());
    }
    area.draw(&Text::new(
        title.to_string(),
        (bar_x, s.px(s.font * 1.2)),
        s.text(1.0, s.muted),
    ))
    .map_err(err)?;
    let steps = (bottom - top).max(1);
    for py in top..bottom {
        let t = 1.0 - (py - top) as f64 / steps as f64;
        area.draw(&Rectangle::new(
            [(bar_x, py), (bar_x + bar_w, py + 1)],
            viridis(t).filled(),
        ))
        .map_err(err)?;
    }
    // As many decades as fit 1.8 fonts apart (at least the one, never two that touch).
    let max_ticks = ((bottom - top) / s.px(s.font * 1.8)).max(1) as usize;
    for d in decade_ticks(lo, hi, max_ticks) {
        let t = unit(d as f64, lo, hi);
        let py = bottom - (t * steps as f64).round() as i32;
        area.draw(&PathElement::new(
            vec![(bar_x + bar_w, py), (bar_x + bar_w + s.px(4.0), py)],
            s.muted,
        ))
        .map_err(err)?;
        area.draw(&Text::new(
            decade_label(d as f64),
            (bar_x + bar_w + s.px(6.0), py - s.px(s.font * 0.5)),
            s.text(1.0, s.fg),
        ))
        .map_err(err)?;
    }
    for (k, (colour, label)) in swatches.into_iter().enumerate().filter(|_| swatches_fit) {
        let y = bottom + s.px(s.font * 0.6 + row * k as f64);
        area.draw(&Rectangle::new(
            [(bar_x, y), (bar_x + bar_w, y + s.px(s.font))],
            colour.filled(),
        ))
        .map_err(err)?;
        area.draw(&Text::new(
            label,
            (bar_x + bar_w + s.px(6.0), y),
            s.text(1.0, s.fg),
        ))
        .map_err(err)?;
    }
    Ok(())
}
