//! The Distributions view: each layer's histogram of one quantity at the shown epoch, stacked
//! with the output layer on top (or one layer's histogram at several epochs), on one shared
//! axis so that narrowing and sliding from layer to layer show; runs overlaid in their
//! colours. Exact zeros, NaN and ±∞ get columns of their own, and a row notes its zeros.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{bar_data, err, Drawn, Root, Style};
use crate::distribution_view::{columns, edge_label, shares, Column};
use crate::engine::histogram::{Bins, Histogram};
use crate::engine::layer_histograms::{LayerHistograms, QUANTITIES};
use crate::store::Store;

/// The quantities' names on screen, in [`QUANTITIES`] order.
pub const NAMES: [&str; 5] = [
    "activations f(z)",
    "pre-activations z",
    "back-propagated δ",
    "weights W",
    "gradients ∂L/∂W",
];

/// Rows at most in the over-epochs view.
const MAX_EPOCH_ROWS: usize = 8;

/// One row: a label and each run's histogram (with its colour slot).
pub struct Row {
    pub label: String,
    pub hists: Vec<(usize, Histogram)>,
    /// The colour slots of the runs whose histogram here is on other bins than the axis.
    pub off_axis: Vec<usize>,
}

/// The rows to draw and the title, or why there is nothing to draw.
pub fn rows(
    store: &Store,
    quantity: usize,
    layer: Option<usize>,
    view: Option<usize>,
) -> Result<(String, Vec<Row>), &'static str> {
    let q = QUANTITIES[quantity.min(QUANTITIES.len() - 1)];
    let name = NAMES[quantity.min(NAMES.len() - 1)];
    let get = |h: Option<LayerHistograms>| h.and_then(|h| h.get(q).cloned());
    let runs = store.runs();
    let rows: Vec<Row> = match layer {
        None => {
            let epoch = bar_data::shown_epoch(store, view).ok_or("no records yet")?;
            let depth = runs
                .iter()
                .filter_map(|r| r.records().last().map(|x| x.layers.len()))
                .max()
                .unwrap_or(0);
            let rows = (0..depth)
                .rev()
                .map(|l| Row {
                    label: if l + 1 == depth {
                        "out".into()
                    } else {
                        format!("L{}", l + 1)
                    },
                    hists: runs
                        .iter()
                        .filter_map(|r| {
                            let rec = r.records_upto(epoch).last()?;
                            Some((r.colour, get(rec.layers.get(l)?.histograms())?))
                        })
                        .collect(),
                    off_axis: Vec::new(),
                })
                .collect();
            return finish(format!("{name} of every layer · epoch {epoch}"), rows);
        }
        Some(l) => {
            let first = runs
                .iter()
                .find(|r| !r.records().is_empty())
                .ok_or("no records yet")?;
            let records = first.records();
            let n = records.len();
            let picks: Vec<usize> = if n <= MAX_EPOCH_ROWS {
                (0..n).collect()
            } else {
                (0..MAX_EPOCH_ROWS)
                    .map(|k| k * (n - 1) / (MAX_EPOCH_ROWS - 1))
                    .collect()
            };
            picks
                .into_iter()
                .map(|i| {
                    let epoch = records[i].epoch;
                    Row {
                        label: format!("ep {epoch}"),
                        hists: runs
                            .iter()
                            .filter_map(|r| {
                                let rec = r.records().iter().find(|x| x.epoch == epoch)?;
                                let at = l.min(rec.layers.len().checked_sub(1)?);
                                Some((r.colour, get(rec.layers[at].histograms())?))
                            })
                            .collect(),
                        off_axis: Vec::new(),
                    }
                })
                .collect()
        }
    };
    let label = match layer {
        Some(l) => format!("layer {}", l + 1),
        None => String::new(),
    };
    finish(format!("{name} of {label} by epoch"), rows)
}

fn finish(title: String, mut rows: Vec<Row>) -> Result<(String, Vec<Row>), &'static str> {
    // One axis for all: the bins of the bottom row's last histogram (a hidden layer's: a
    // sigmoid or tanh layer's own range, or signed decades). One on other bins (the logits
    // above sigmoid layers, a ReLU run beside a tanh one) is left out: its bin numbers mean
    // nothing on that axis; the row says so in that run's colour.
    let bins = rows
        .iter()
        .rev()
        .find_map(|r| r.hists.last())
        .map(|(_, h)| h.bins);
    for r in &mut rows {
        r.off_axis = (r.hists.iter())
            .filter(|(_, h)| Some(h.bins) != bins)
            .map(|&(colour, _)| colour)
            .collect();
        r.hists.retain(|(_, h)| Some(h.bins) == bins);
    }
    if rows.iter().all(|r| r.hists.is_empty()) {
        return Err("Distributions are measured for the multilayer network, from epoch 0 on.");
    }
    Ok((title, rows))
}

/// Draws the rows on one shared axis.
pub fn plot<DB: DrawingBackend>(
    root: &Root<DB>,
    s: &Style,
    title: &str,
    rows: &[Row],
) -> Result<Drawn, String>
where
    DB::ErrorType: 'static,
{
    let all: Vec<&Histogram> = rows
        .iter()
        .flat_map(|r| r.hists.iter().map(|(_, h)| h))
        .collect();
    let bins = all.first().map_or(Bins::SignedLog, |h| h.bins);
    let cols = columns(bins, &all);
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let font = s.font_px();
    let (left, right) = ((font * 3.2) as i32, (font * 4.6) as i32);
    // Each run left off the axis somewhere (a sigmoid run's [0, 1] beside a ReLU run's
    // decades, the logits above a bounded activation) is named once, in its colour, at the
    // foot of the chart: "L1–L6: other scale, not drawn". A note beyond the first takes a line
    // of its own, below the axis labels rather than over them.
    let notes = off_axis_notes(rows);
    let line_h = (font * 1.1) as i32;
    let extra_lines = notes.len().saturating_sub(1) as i32;
    let (top, bottom) = (
        (font * 2.2) as i32,
        (font * 2.4) as i32 + extra_lines * line_h,
    );
    root.draw(&Text::new(
        title.to_string(),
        (w / 2, top / 2),
        s.centered(1.15, s.fg),
    ))
    .map_err(err)?;
    let plot_w = (w - left - right).max(1);
    let col_w = plot_w as f64 / cols.len().max(1) as f64;
    let x_of = |c: usize| left + (c as f64 * col_w).round() as i32;
    let row_h = ((h - top - bottom) as f64 / rows.len().max(1) as f64).max(1.0);
    let mut zero_shares = Vec::new();
    for (k, row) in rows.iter().enumerate() {
        let base = top + ((k + 1) as f64 * row_h).round() as i32;
        let label_style = s.text(1.0, s.fg).pos(Pos::new(HPos::Right, VPos::Center));
        root.draw(&Text::new(
            row.label.clone(),
            (left - s.px(6.0), base - (row_h / 3.0) as i32),
            label_style,
        ))
        .map_err(err)?;
        root.draw(&PathElement::new(
            vec![(left, base), (left + plot_w, base)],
            s.grid,
        ))
        .map_err(err)?;
        let overlaid = row.hists.len() > 1;
        for (colour, hist) in &row.hists {
            let c = s.run(*colour);
            let share = shares(hist, &cols);
            // Each histogram on its own scale, set by its tallest bin (TensorBoard's way): the
            // shape of every run and layer reads alike. The columns apart (zeros, NaN, ±∞)
            // are drawn on that scale too, cut at the row's height; the note gives their share.
            let peak = share
                .iter()
                .zip(&cols)
                .filter(|(_, c)| matches!(c, Column::Bin(_)))
                .map(|(v, _)| *v)
                .fold(0.0, f64::max);
            let peak = if peak > 0.0 { peak } else { 1.0 };
            // Outlines (compare mode): one stepped path per stretch of filled columns, so an
            // empty stretch leaves the baseline to the grid.
            let mut outlines: Vec<Vec<(i32, i32)>> = Vec::new();
            let mut open = false;
            for (i, (&v, col)) in share.iter().zip(&cols).enumerate() {
                let top_y = base - ((v / peak).min(1.0) * row_h * 0.92).round() as i32;
                let (x0, x1) = (x_of(i), x_of(i + 1));
                if v <= 0.0 {
                    if let (true, Some(o)) = (open, outlines.last_mut()) {
                        o.push((x0, base));
                    }
                    open = false;
                    continue;
                }
                let fill = match col {
                    Column::Nan => s.alarm,
                    Column::Inf => s.inf,
                    _ => c,
                };
                let alpha = if overlaid { 0.25 } else { 0.75 };
                root.draw(&Rectangle::new(
                    [(x0, top_y), (x1, base)],
                    fill.mix(alpha).filled(),
                ))
                .map_err(err)?;
                if !open {
                    outlines.push(vec![(x0, base)]);
                    open = true;
                }
                if let Some(o) = outlines.last_mut() {
                    o.extend([(x0, top_y), (x1, top_y)]);
                }
            }
            if let (true, Some(o)) = (open, outlines.last_mut()) {
                o.push((left + plot_w, base));
            }
            if overlaid {
                for o in outlines {
                    root.draw(&PathElement::new(o, c.stroke_width(s.px(1.5) as u32)))
                        .map_err(err)?;
                }
            }
        }
        // The row's note: its share of exact zeros (the first run's), and NaN or ±∞.
        if let Some((_, first)) = row.hists.first() {
            let n = first.total().max(1) as f64;
            let zeros = first.zeros as f64 / n;
            zero_shares.push(format!("{zeros:.4}"));
            let broken = (first.nans + first.infs) as f64 / n;
            let note = if broken > 0.0 {
                format!("{:.0} % NaN/∞", 100.0 * broken)
            } else if zeros >= 0.01 {
                format!("{:.0} % = 0", 100.0 * zeros)
            } else {
                String::new()
            };
            root.draw(&Text::new(
                note,
                (left + plot_w + s.px(6.0), base - (row_h / 3.0) as i32),
                s.text(0.9, s.muted).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(err)?;
        }
    }
    // The shared axis: the columns apart by name first, then round edges where they fit.
    let axis_y = h - bottom + s.px(4.0);
    let mut candidates: Vec<(i32, String)> = Vec::new();
    for special in [true, false] {
        for (i, col) in cols.iter().enumerate() {
            if matches!(col, Column::Bin(_)) == special {
                continue;
            }
            let Some(text) = edge_label(bins, *col) else {
                continue;
            };
            let x = match col {
                Column::Bin(_) => x_of(i),
                _ => (x_of(i) + x_of(i + 1)) / 2,
            };
            let gap = s.col_gap(text.chars().count()) as i32;
            if candidates.iter().all(|(other, _)| (x - other).abs() >= gap) {
                candidates.push((x, text));
            }
        }
    }
    let labels = candidates.len();
    for (x, text) in candidates {
        root.draw(&PathElement::new(
            vec![(x, axis_y - s.px(4.0)), (x, axis_y)],
            s.muted,
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            text,
            (x, axis_y),
            s.text(1.0, s.fg).pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(err)?;
    }
    let scale = match bins {
        Bins::SignedLog => "value, sign kept, |value| in decades (2 bins each)",
        Bins::Range { .. } => "value, on the activation's own range",
    };
    // The first note shares the caption line, at its right (the caption then starts at the
    // left). On a narrow chart (a phone) the caption gives way to it rather than run into it
    // (measured as the other charts measure their text).
    let width_of = |text: &str| {
        root.estimate_text_size(text, &s.text(0.9, s.muted))
            .map_or(u32::MAX, |(w, _)| w)
    };
    let fits = notes.first().is_none_or(|(_, first)| {
        width_of(scale).saturating_add(width_of(first)) as i64 + s.px(16.0) as i64 <= w as i64
    });
    if fits {
        let (x, align) = if notes.is_empty() {
            (left + plot_w / 2, HPos::Center)
        } else {
            (s.px(4.0), HPos::Left)
        };
        root.draw(&Text::new(
            scale,
            (x, h - s.px(2.0)),
            s.text(0.9, s.muted).pos(Pos::new(align, VPos::Bottom)),
        ))
        .map_err(err)?;
    }
    let said: Vec<&str> = notes.iter().map(|(_, note)| note.as_str()).collect();
    let said = said.join(" | ");
    for (k, (colour, note)) in notes.into_iter().enumerate() {
        root.draw(&Text::new(
            note,
            (w - s.px(4.0), h - s.px(2.0) - k as i32 * line_h),
            s.text(0.9, s.run(colour))
                .pos(Pos::new(HPos::Right, VPos::Bottom)),
        ))
        .map_err(err)?;
    }
    Ok(Drawn {
        x_labels: labels,
        y_labels: rows.len(),
        plot: (plot_w as u32, (h - top - bottom) as u32),
        attrs: vec![
            ("data-rows", rows.len().to_string()),
            ("data-columns", cols.len().to_string()),
            ("data-zero-shares", zero_shares.join(",")),
            ("data-title", title.to_string()),
            ("data-off-axis-notes", said),
            (
                "data-off-axis",
                rows.iter()
                    .map(|r| r.off_axis.len())
                    .sum::<usize>()
                    .to_string(),
            ),
            (
                "data-runs",
                rows.iter()
                    .map(|r| r.hists.len())
                    .max()
                    .unwrap_or(0)
                    .to_string(),
            ),
        ],
    })
}

/// Per run left off the axis in some row (by colour slot): where, as "out", "L3" or
/// the span "L1–L6" of its rows (top row first in `rows`).
fn off_axis_notes(rows: &[Row]) -> Vec<(usize, String)> {
    // Distinct, in order of appearance (no sort: each one brings its code into the page).
    let mut colours: Vec<usize> = Vec::new();
    for &c in rows.iter().flat_map(|r| &r.off_axis) {
        if colours.iter().all(|&o| o != c) {
            colours.push(c);
        }
    }
    colours
        .into_iter()
        .map(|colour| {
            let has = |r: &Row| r.off_axis.contains(&colour);
            let top = rows.iter().position(has).unwrap_or(0);
            let bottom = rows.iter().rposition(has).unwrap_or(top);
            let mut note = rows[bottom].label.clone();
            if bottom != top {
                note.push('–');
                note.push_str(&rows[top].label);
            }
            note.push_str(": other scale, not drawn");
            (colour, note)
        })
        .collect()
}
