//! One bar per Dense layer and run, input side to output side, on one shared log10 axis: how
//! much gradient reaches each layer at the shown epoch. Runs sit side by side within a layer,
//! each in its colour.

use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{
    axis, chart_on, decade_label, decade_ticks_every, err, int_ticks, metric_axis, plot_size,
    short_metric_axis, stride, DrawResult, Drawn, Root, Style, XY,
};
use crate::chart_scale::{log10_point, LogPoint};
use crate::url_state::{GradMetric, Theme};

/// One run's bars.
pub struct BarRun<'a> {
    /// Index into the run palette.
    pub colour: usize,
    /// One value per Dense layer (on screen, interpolated for the animation).
    pub values: &'a [f64],
    /// Mean-field prediction of δ rms per hidden layer at initialization, if shown.
    pub theory: Option<&'a [f64]>,
}

/// What the bar chart shows.
pub struct Bars<'a> {
    pub metric: GradMetric,
    pub epoch: usize,
    pub runs: &'a [BarRun<'a>],
    /// The log10 axis range in whole decades, kept steady while the runs go on.
    pub range: (f64, f64),
    /// Epoch 0 still being measured: (batches measured, batches in the epoch).
    pub partial: Option<(usize, usize)>,
    /// The bars are time steps t = 1..T (then the output layer) of a recurrent run.
    pub through_time: bool,
}

/// The chart's frame before any batch was measured: axes for `layers` Dense layers, labelled,
/// with the state written where the bars will stand.
pub struct EmptyFrame<'a> {
    pub metric: GradMetric,
    pub layers: usize,
    pub message: &'a str,
}

/// The y range of the empty frame, in decades: where healthy gradients usually sit, so the
/// first bars rarely move the axis far.
const EMPTY_RANGE: (f64, f64) = (-5.0, 1.0);

/// Draws the bars on the canvas (sized to the screen) and exposes what was drawn.
pub fn draw(canvas: &HtmlCanvasElement, theme: Theme, bars: &Bars) -> DrawResult {
    super::draw_on(canvas, theme, |root, s| plot(root, s, bars))
}

/// Draws the labelled frame with no bars yet (the page's first chart, before epoch 0).
pub fn draw_empty(canvas: &HtmlCanvasElement, theme: Theme, frame: &EmptyFrame) -> DrawResult {
    super::draw_on(canvas, theme, |root, s| plot_empty(root, s, frame))
}

/// The empty frame on any backend: the bar chart's axes with the message in the plot area.
pub fn plot_empty<DB: DrawingBackend>(
    root: &Root<DB>,
    s: &Style,
    frame: &EmptyFrame,
) -> Result<Drawn, String>
where
    DB::ErrorType: 'static,
{
    let (n, (lo, hi)) = (frame.layers.max(1), EMPTY_RANGE);
    let area = titled(root, s, &caption(frame.metric, "measuring epoch 0…"))?;
    let (mut chart, drawn) = bar_axes(&area, s, (frame.metric, LAYERS), n, (lo, hi))?;
    chart
        .draw_series(std::iter::once(Text::new(
            frame.message.to_string(),
            ((n as f64 + 1.0) / 2.0, (lo + hi) / 2.0),
            s.centered(1.1, s.muted),
        )))
        .map_err(err)?;
    Ok(drawn)
}

/// The chart's title line: what is measured, at which epoch.
/// The chart's title, longest first: [`titled`] takes the first that fits the width.
fn caption(metric: GradMetric, epoch_text: &str) -> [String; 3] {
    let (title, short) = match metric {
        GradMetric::GradNorm => ("Gradient of each layer's weights", "‖∂L/∂W‖ per layer"),
        GradMetric::DeltaRms => ("Back-propagated gradient at each layer", "δ per layer"),
        GradMetric::ClippedGradNorm => (
            "Gradient of each layer's weights after clipping",
            "‖∂L/∂W‖ clipped",
        ),
    };
    [
        format!("{title} — {epoch_text}"),
        format!("{short} — {epoch_text}"),
        epoch_text.to_string(),
    ]
}

/// The bar chart's x axis title for an MLP's bars.
const LAYERS: &str = "layer (input → output)";

/// The labelled axes of the bar chart in `area`: layers 1..n across (n is the output layer,
/// "out"), the metric's decades up, each axis thinned to the labels that fit.
fn bar_axes<'a, DB: DrawingBackend>(
    area: &'a Root<DB>,
    s: &Style,
    (metric, places): (GradMetric, &str),
    n: usize,
    (lo, hi): (f64, f64),
) -> Result<(ChartContext<'a, DB, XY>, Drawn), String>
where
    DB::ErrorType: 'static,
{
    let (x_area, y_area) = (s.px(s.font * 3.2), s.px(s.font * 5.0));
    let (plot_w, plot_h) = plot_size(area, x_area, y_area);
    // The axis title runs along the plot's height: never past it (into the chart's title).
    let y_desc = [metric_axis(metric), short_metric_axis(metric)]
        .into_iter()
        .find(|t| {
            area.estimate_text_size(t, &s.text(1.0, s.muted))
                .is_ok_and(|(w, _)| w as f64 <= plot_h)
        })
        .unwrap_or(short_metric_axis(metric));
    // One label per layer if they fit, else every k-th (the output layer always).
    let x_ticks = int_ticks(1, n, stride(plot_w / n as f64, s.col_gap(3)));
    let y_ticks = decade_ticks_every(lo, hi, stride(plot_h / (hi - lo), s.row_gap()));
    let (mut chart, drawn) = chart_on(
        area,
        (x_area, y_area),
        axis(0.5f64..n as f64 + 0.5, x_ticks),
        axis(lo..hi, y_ticks),
    )?;
    let mut mesh = chart.configure_mesh();
    s.theme_mesh(&mut mesh);
    mesh.disable_x_mesh()
        .x_label_formatter(&|x| {
            let i = x.round() as usize;
            if i == n {
                "out".into()
            } else {
                i.to_string()
            }
        })
        .y_label_formatter(&|y| decade_label(*y))
        .x_desc(places)
        .y_desc(y_desc)
        .draw()
        .map_err(err)?;
    Ok((chart, drawn))
}

/// The plot area under the chart's title line.
/// The chart area under a title: the first of `captions` that fits the width (at 1.25× the
/// base font, or else at the base font); the last one when none fits, so a narrow presenter
/// cell never cuts its title off at both ends.
fn titled<DB: DrawingBackend>(
    root: &Root<DB>,
    s: &Style,
    captions: &[String],
) -> Result<Root<DB>, String>
where
    DB::ErrorType: 'static,
{
    let m = s.px(10.0);
    let area = root.margin(m, m, m, m);
    let room = area.dim_in_pixel().0;
    let fits = |text: &str, scale: f64| {
        area.estimate_text_size(text, &s.text(scale, s.fg))
            .is_ok_and(|(w, _)| w <= room)
    };
    let chosen = captions
        .iter()
        .find_map(|c| {
            [1.25, 1.0]
                .into_iter()
                .find(|&scale| fits(c, scale))
                .map(|scale| (c.as_str(), scale))
        })
        .unwrap_or((captions.last().map_or("", String::as_str), 1.0));
    area.titled(chosen.0, s.text(chosen.1, s.fg)).map_err(err)
}

/// Draws the chart on any plotters backend (canvas on screen, a larger canvas or SVG for
/// the exports).
pub fn plot<DB: DrawingBackend>(root: &Root<DB>, s: &Style, bars: &Bars) -> Result<Drawn, String>
where
    DB::ErrorType: 'static,
{
    let Bars {
        metric,
        epoch,
        runs,
        range,
        partial,
        through_time,
    } = *bars;
    let n = runs
        .iter()
        .map(|r| r.values.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let (lo, hi) = range;
    // Deep nets' narrow bars mark NaN with a pale block instead of the word; the caption
    // (never on top of a bar) says so.
    let narrow = (n * runs.len().max(1)) > 24;
    let pale_nan = narrow
        && runs.iter().any(|r| {
            r.values
                .iter()
                .any(|&v| matches!(log10_point(v), LogPoint::NaN | LogPoint::Negative))
        });
    // An epoch shown before it is complete says on how much of it.
    let mut epoch_text = match partial {
        Some((done, of)) => format!("epoch {epoch}, first {done} of {of} batches"),
        None => format!("epoch {epoch}"),
    };
    if pale_nan {
        epoch_text.push_str(" (outlined blocks: NaN)");
    }
    if runs.iter().any(|r| r.theory.is_some()) {
        epoch_text.push_str(" · dashes: theory");
    }
    let mut title = caption(metric, &epoch_text);
    if through_time {
        title[0] = format!("Back-propagated gradient at each time step — {epoch_text}");
        title[1] = format!("δ per time step — {epoch_text}");
    }
    let area = titled(root, s, &title)?;
    let places = if through_time {
        "time step t (start → end)"
    } else {
        LAYERS
    };
    let (mut chart, drawn) = bar_axes(&area, s, (metric, places), n, (lo, hi))?;

    // Each layer's slot (0.8 wide) is shared by the runs.
    let k = runs.len().max(1) as f64;
    let width = 0.8 / k;
    let mid = (lo + hi) / 2.0;
    let mut shapes: Vec<(f64, f64, f64, f64, RGBColor, bool)> = Vec::new();
    // Markers for values a log axis cannot place, in the run's colour so they stay its own.
    let mut labels: Vec<(&str, f64, f64, f64, RGBColor)> = Vec::new();
    // A run's slot for its layer i: hidden layers from the left, its output layer always in
    // the last slot ("out"), so runs of different depths line up where they can.
    let slot = |r: usize, i: usize, len: usize| {
        let layer = if i + 1 == len { n } else { i + 1 };
        layer as f64 - 0.4 + r as f64 * width
    };
    for (r, run) in runs.iter().enumerate() {
        let colour = s.run(run.colour);
        let len = run.values.len();
        for (i, &v) in run.values.iter().enumerate() {
            let x0 = slot(r, i, len);
            let (x1, xc) = (x0 + width * 0.92, x0 + width * 0.46);
            match log10_point(v) {
                LogPoint::At(l) => shapes.push((x0, lo, x1, l.clamp(lo, hi), colour, true)),
                LogPoint::Zero => labels.push(("0", xc, lo + 0.04 * (hi - lo), 1.0, colour)),
                LogPoint::Inf => {
                    shapes.push((x0, lo, x1, hi, colour, false));
                    labels.push(("∞", xc, hi - 0.05 * (hi - lo), 1.2, colour));
                }
                // Wide bars get the word; narrow ones (deep nets) a pale block, named in the caption.
                LogPoint::NaN | LogPoint::Negative if !narrow => {
                    labels.push(("NaN", xc, mid, 1.0, colour))
                }
                LogPoint::NaN | LogPoint::Negative => {
                    let h = 0.06 * (hi - lo);
                    shapes.push((x0, mid - h, x1, mid + h, colour, false));
                }
            }
        }
    }
    chart
        .draw_series(shapes.iter().map(|&(x0, y0, x1, y1, c, solid)| {
            let style = if solid {
                c.filled()
            } else {
                // A value the axis cannot hold: an outline, not a faded fill (which a
                // washed-out projector loses).
                c.stroke_width(s.px(2.5).max(1) as u32)
            };
            Rectangle::new([(x0, y0), (x1, y1)], style)
        }))
        .map_err(err)?;
    chart
        .draw_series(
            labels
                .iter()
                .map(|&(t, x, y, size, c)| Text::new(t, (x, y), s.centered(size, c))),
        )
        .map_err(err)?;
    // Theory ticks: a short dark line across each run's bar.
    let line = s.fg.stroke_width(s.px(2.0) as u32);
    // Where each tick landed, in canvas pixels: the browser tests sample the pixels there.
    let mut tick_px = Vec::new();
    for (r, run) in runs.iter().enumerate() {
        let Some(theory) = run.theory else { continue };
        for (i, &v) in theory.iter().enumerate() {
            if let LogPoint::At(l) = log10_point(v) {
                if l < lo || l > hi {
                    continue;
                }
                // Theory covers the hidden layers only.
                let x0 = slot(r, i, usize::MAX);
                let (x1, xc) = (x0 + width * 0.92, x0 + width * 0.46);
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(x0, l), (x1, l)],
                        line,
                    )))
                    .map_err(err)?;
                let (px, py) = chart.backend_coord(&(xc, l));
                tick_px.push(format!("[{px},{py}]"));
            }
        }
    }
    let mut drawn = drawn;
    drawn
        .attrs
        .push(("data-theory-px", format!("[{}]", tick_px.join(","))));
    Ok(drawn)
}
