//! Canvas charts drawn with plotters. Each chart sizes its canvas to CSS size × device pixel
//! ratio (plotters-canvas draws in canvas pixels), so lines and text stay sharp on HiDPI
//! screens and projectors.

pub mod axis;
pub mod bar_data;
pub mod curves;
pub mod distributions;
pub mod grad_bars;
pub mod heat_legend;
pub mod heat_panel;
pub mod heatmap;
pub mod lines;
pub mod map_card;
pub mod recorder;
pub mod trace;

use plotters::chart::MeshStyle;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use recorder::{Recorder, Recording};
use web_sys::HtmlCanvasElement;

use crate::url_state::{GradMetric, Theme};
use crate::web::run_style::{run_style, Marker};

pub use crate::chart_scale::{decade_ticks_every, int_ticks, nice_ticks, stride};
pub use axis::{axis, chart_on, plot_size, Axis, XY};

/// Colours and sizes of one theme. The colours are the style sheet's (its custom properties
/// on the canvas), so the page, the charts and the exports share one palette, and the browser
/// tests measure the contrast of the colours really drawn.
#[derive(Clone, Copy)]
pub struct Style {
    pub bg: RGBColor,
    pub fg: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    /// Markers for NaN (and the alarm generally).
    pub alarm: RGBColor,
    /// Markers for ±∞ (told apart from NaN on the maps).
    pub inf: RGBColor,
    /// One colour per run slot (`--run-0` … `--run-3`).
    pub runs: [RGBColor; 4],
    /// Base font size in CSS pixels: the canvas' computed CSS `font-size`, so the style
    /// sheet decides (`.chart`, `.theme-lecture .chart`, a presenter mode).
    pub font: f64,
    /// Device pixels per CSS pixel (doubled for a PNG export).
    pub dpr: f64,
    /// Curve width in CSS pixels.
    pub line: f64,
    /// What the backend's font size is multiplied by so the text comes out at `font`: 1 on a
    /// canvas; plotters' SVG backend writes `font-size` as the size / 1.24.
    pub text_fix: f64,
}

/// The base font when the CSS gives none (the style sheet's own values).
pub fn default_font(theme: Theme) -> f64 {
    if theme == Theme::Lecture {
        17.0
    } else {
        12.5
    }
}

/// A `#rrggbb` or `#rgb` colour, as the style sheet writes its custom properties (the release
/// build's minifier shortens `#ffffff` to `#fff`).
fn parse_hex(text: &str) -> Option<RGBColor> {
    let hex = text.trim().strip_prefix('#')?;
    if !hex.is_ascii() {
        return None;
    }
    let digit = |i: usize, n: usize| u8::from_str_radix(&hex[i..i + n], 16).ok();
    match hex.len() {
        6 => Some(RGBColor(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
        3 => Some(RGBColor(
            digit(0, 1)? * 17,
            digit(1, 1)? * 17,
            digit(2, 1)? * 17,
        )),
        _ => None,
    }
}

/// The theme's colours from the element's computed custom properties. A property the style
/// sheet lacks comes out magenta, so a missing colour shows instead of hiding.
fn palette_of(el: &web_sys::Element) -> impl Fn(&str) -> RGBColor {
    let computed = web_sys::window().and_then(|w| w.get_computed_style(el).ok().flatten());
    move |name: &str| {
        computed
            .as_ref()
            .and_then(|c| c.get_property_value(name).ok())
            .and_then(|v| parse_hex(&v))
            .unwrap_or(RGBColor(255, 0, 255))
    }
}

impl Style {
    /// The style of a canvas: its theme's colours (CSS custom properties), its CSS font size.
    pub fn of(canvas: &HtmlCanvasElement, theme: Theme, dpr: f64) -> Style {
        let colour = palette_of(canvas);
        let font = css_font_px(canvas).unwrap_or_else(|| default_font(theme));
        Style {
            bg: colour("--card"),
            fg: colour("--fg"),
            muted: colour("--muted"),
            grid: colour("--grid"),
            alarm: colour("--alarm"),
            inf: colour("--inf"),
            runs: [
                colour("--run-0"),
                colour("--run-1"),
                colour("--run-2"),
                colour("--run-3"),
            ],
            font,
            dpr,
            // Thicker with larger type (a projector in presenter mode).
            line: (if theme == Theme::Lecture { 3.5f64 } else { 2.2 }).max(font / 5.5),
            text_fix: 1.0,
        }
    }

    /// The colour of the run in palette slot `slot`.
    pub fn run(&self, slot: usize) -> RGBColor {
        self.runs[slot % self.runs.len()]
    }

    /// The same style for plotters' SVG backend (1 CSS pixel per unit).
    pub fn for_svg(mut self) -> Style {
        self.dpr = 1.0;
        self.text_fix = 1.24;
        self
    }

    /// CSS pixels → canvas pixels.
    pub fn px(&self, css: f64) -> i32 {
        (css * self.dpr).round() as i32
    }

    /// The base font in canvas pixels.
    pub fn font_px(&self) -> f64 {
        self.font * self.dpr
    }

    pub fn text(&self, scale: f64, color: RGBColor) -> TextStyle<'static> {
        TextStyle {
            font: ("sans-serif", self.font * scale * self.dpr * self.text_fix).into_font(),
            color: color.to_backend_color(),
            pos: Pos::default(),
        }
    }

    /// The theme's axes, labels and grid on a chart's mesh. Tick labels are at the base font
    /// (never smaller), axis titles too.
    pub fn theme_mesh<X: Ranged, Y: Ranged, DB: DrawingBackend>(
        &self,
        mesh: &mut MeshStyle<'_, '_, X, Y, DB>,
    ) {
        mesh.label_style(self.text(1.0, self.fg))
            .axis_desc_style(self.text(1.0, self.muted))
            .light_line_style(self.grid.mix(0.0))
            .bold_line_style(self.grid)
            .axis_style(self.muted);
    }

    pub fn centered(&self, scale: f64, color: RGBColor) -> TextStyle<'static> {
        self.text(scale, color)
            .pos(Pos::new(HPos::Center, VPos::Center))
    }

    /// The least distance in canvas pixels between two labels along a vertical axis.
    pub fn row_gap(&self) -> f64 {
        1.8 * self.font_px()
    }

    /// The least distance between the centres of two labels of up to `chars` characters
    /// along a horizontal axis.
    pub fn col_gap(&self, chars: usize) -> f64 {
        (0.62 * chars.max(1) as f64 + 1.2) * self.font_px()
    }
}

/// What a drawing reports about itself: how many tick labels each axis got and the size of
/// the plotting area (canvas pixels), so the page can expose it to the browser tests, plus
/// chart-specific attributes.
#[derive(Clone, Debug, Default)]
pub struct Drawn {
    pub x_labels: usize,
    pub y_labels: usize,
    pub plot: (u32, u32),
    pub attrs: Vec<(&'static str, String)>,
}

impl Drawn {
    /// Puts the figures on the canvas as `data-*` attributes.
    pub fn mark(&self, canvas: &HtmlCanvasElement, style: &Style) {
        let _ = canvas.set_attribute("data-x-labels", &self.x_labels.to_string());
        let _ = canvas.set_attribute("data-y-labels", &self.y_labels.to_string());
        let _ = canvas.set_attribute("data-plot-px", &format!("{},{}", self.plot.0, self.plot.1));
        let _ = canvas.set_attribute("data-font-px", &format!("{:.2}", style.font_px()));
        for (k, v) in &self.attrs {
            let _ = canvas.set_attribute(k, v);
        }
    }
}

/// The device pixel ratio (1 when the browser gives none that makes sense).
pub fn device_pixel_ratio() -> f64 {
    web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .filter(|d| d.is_finite() && *d > 0.0)
        .unwrap_or(1.0)
}

/// The canvas' computed CSS `font-size` in CSS pixels, if it has one.
pub fn css_font_px(canvas: &HtmlCanvasElement) -> Option<f64> {
    let style = web_sys::window()?.get_computed_style(canvas).ok()??;
    let size = style.get_property_value("font-size").ok()?;
    crate::format::parse_number(size.trim().trim_end_matches("px"))
        .filter(|f| f.is_finite() && *f > 0.0)
}

/// The style a canvas is drawn in: the theme's colours, the font its CSS gives it.
pub fn style_of(canvas: &HtmlCanvasElement, theme: Theme, dpr: f64) -> Style {
    Style::of(canvas, theme, dpr)
}

/// Sizes the canvas for sharp drawing and returns its backend, or None while it has no size.
pub fn backend(canvas: &HtmlCanvasElement) -> Option<(CanvasBackend, f64)> {
    let dpr = device_pixel_ratio();
    let (w, h) = (canvas.client_width(), canvas.client_height());
    if w <= 0 || h <= 0 {
        return None;
    }
    let (pw, ph) = (
        (w as f64 * dpr).round() as u32,
        (h as f64 * dpr).round() as u32,
    );
    if canvas.width() != pw {
        canvas.set_width(pw);
    }
    if canvas.height() != ph {
        canvas.set_height(ph);
    }
    CanvasBackend::with_canvas_object(canvas.clone()).map(|b| (b, dpr))
}

/// A whole drawing surface (canvas or SVG) as a plotters drawing area.
pub type Root<DB> = DrawingArea<DB, plotters::coord::Shift>;

/// Draws a chart on its on-screen canvas: sizes it, clears it in the theme's background,
/// calls `plot` (the same function the exports call), and exposes what was drawn.
pub fn draw_on(
    canvas: &HtmlCanvasElement,
    theme: Theme,
    plot: impl FnOnce(&Root<Recorder>, &Style) -> Result<Drawn, String>,
) -> DrawResult {
    let Some((mut backend, dpr)) = backend(canvas) else {
        return Ok(());
    };
    let style = style_of(canvas, theme, dpr);
    let (drawn, recording) = record(backend.get_size(), |root| {
        root.fill(&style.bg).map_err(err)?;
        plot(root, &style)
    })?;
    recording.replay(&mut backend)?;
    drawn.mark(canvas, &style);
    Ok(())
}

/// Runs `plot` on a recorder of `size` pixels: what it reported, and what it drew.
pub fn record(
    size: (u32, u32),
    plot: impl FnOnce(&Root<Recorder>) -> Result<Drawn, String>,
) -> Result<(Drawn, Recording), String> {
    let (recorder, recording) = Recorder::new(size);
    let root = recorder.into_drawing_area();
    let drawn = plot(&root)?;
    Ok((drawn, recording))
}

/// The figure a gradient chart shows for a layer.
pub fn metric_value(metric: GradMetric, layer: &crate::engine::metrics::LayerStats) -> f64 {
    match metric {
        GradMetric::GradNorm => layer.grad_norm,
        GradMetric::DeltaRms => layer.delta_rms,
        GradMetric::ClippedGradNorm => layer.clipped_grad_norm,
    }
}

/// Draws a run's markers: circle, square, triangle or cross by run, so runs are told apart
/// without colour too.
pub fn draw_markers<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, XY>,
    run: usize,
    points: &[(f64, f64)],
    size: i32,
    colour: RGBColor,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let fill = colour.filled();
    let pts = points.iter().copied();
    match run_style(run).marker {
        Marker::Circle => chart
            .draw_series(pts.map(|p| Circle::new(p, size, fill)))
            .map(|_| ()),
        Marker::Square => chart
            .draw_series(pts.map(|p| {
                EmptyElement::at(p) + Rectangle::new([(-size, -size), (size, size)], fill)
            }))
            .map(|_| ()),
        Marker::Triangle => chart
            .draw_series(pts.map(|p| TriangleMarker::new(p, size + 2, fill)))
            .map(|_| ()),
        Marker::Cross => chart
            .draw_series(pts.map(|p| Cross::new(p, size + 1, colour.stroke_width(3))))
            .map(|_| ()),
    }
    .map_err(err)
}

/// The axis title of a gradient chart.
pub fn metric_axis(metric: GradMetric) -> &'static str {
    match metric {
        GradMetric::GradNorm => "‖∂L/∂W‖ (log scale)",
        GradMetric::DeltaRms => "rms ∂L/∂z (log scale)",
        GradMetric::ClippedGradNorm => "‖∂L/∂W‖ after clipping (log)",
    }
}

/// The same, where a short plot leaves no room for the long one.
pub fn short_metric_axis(metric: GradMetric) -> &'static str {
    match metric {
        GradMetric::GradNorm => "‖∂L/∂W‖",
        GradMetric::DeltaRms => "δ rms",
        GradMetric::ClippedGradNorm => "clipped",
    }
}

pub fn viridis(t: f64) -> RGBColor {
    let (r, g, b) = crate::chart_scale::viridis(t);
    RGBColor(r, g, b)
}

/// "1e-7"-style labels for a log10 axis.
pub fn decade_label(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("1e{}", v.round() as i32)
    } else {
        String::new()
    }
}

/// Draws a message in the middle of an empty chart (no data yet, or a drawing problem).
pub fn placeholder(canvas: &HtmlCanvasElement, theme: Theme, message: &str) {
    let _ = draw_on(canvas, theme, |root, style| {
        let (w, h) = root.dim_in_pixel();
        root.draw(&Text::new(
            message.to_string(),
            (w as i32 / 2, h as i32 / 2),
            style.centered(1.1, style.muted),
        ))
        .map_err(err)?;
        Ok(Drawn::default())
    });
}

pub type DrawResult = Result<(), String>;

pub fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}
