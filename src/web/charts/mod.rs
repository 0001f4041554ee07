//! Canvas charts drawn with plotters. Each chart sizes its canvas to CSS size × device pixel
//! ratio (plotters-canvas draws in canvas pixels), so lines and text stay sharp on HiDPI
//! screens and projectors.

pub mod curves;
pub mod grad_bars;
pub mod heatmap;

use plotters::chart::MeshStyle;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use crate::url_state::{GradMetric, Theme};

/// Colours and sizes of one theme; the CSS uses the same values.
#[derive(Clone, Copy)]
pub struct Style {
    pub bg: RGBColor,
    pub fg: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    /// Markers for values a log axis cannot place.
    pub alarm: RGBColor,
    /// Base font size in CSS pixels.
    pub font: f64,
    /// Device pixels per CSS pixel.
    pub dpr: f64,
}

impl Style {
    pub fn new(theme: Theme, dpr: f64) -> Style {
        let dark = theme == Theme::Dark;
        Style {
            bg: if dark {
                RGBColor(24, 26, 31)
            } else {
                RGBColor(255, 255, 255)
            },
            fg: if dark {
                RGBColor(230, 232, 236)
            } else {
                RGBColor(33, 37, 41)
            },
            muted: if dark {
                RGBColor(150, 155, 165)
            } else {
                RGBColor(110, 115, 125)
            },
            grid: if dark {
                RGBColor(52, 56, 64)
            } else {
                RGBColor(228, 230, 234)
            },
            alarm: RGBColor(213, 94, 0),
            font: if theme == Theme::Lecture { 17.0 } else { 12.5 },
            dpr,
        }
    }

    /// CSS pixels → canvas pixels.
    pub fn px(&self, css: f64) -> i32 {
        (css * self.dpr).round() as i32
    }

    pub fn text(&self, scale: f64, color: RGBColor) -> TextStyle<'static> {
        TextStyle {
            font: ("sans-serif", self.font * scale * self.dpr).into_font(),
            color: color.to_backend_color(),
            pos: Pos::default(),
        }
    }

    /// The theme's axes, labels and grid on a chart's mesh (labels at `scale` × the base font).
    pub fn theme_mesh<X: Ranged, Y: Ranged, DB: DrawingBackend>(
        &self,
        mesh: &mut MeshStyle<'_, '_, X, Y, DB>,
        scale: f64,
    ) {
        mesh.label_style(self.text(scale, self.fg))
            .axis_desc_style(self.text(scale, self.muted))
            .light_line_style(self.grid.mix(0.0))
            .bold_line_style(self.grid)
            .axis_style(self.muted);
    }

    pub fn centered(&self, scale: f64, color: RGBColor) -> TextStyle<'static> {
        self.text(scale, color)
            .pos(Pos::new(HPos::Center, VPos::Center))
    }
}

/// One colour per run (Okabe–Ito blue, orange, bluish green, reddish purple: told apart in
/// every colour vision); the CSS classes `run-0`…`run-3` use the same.
pub const RUN_COLOURS: [RGBColor; 4] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
];

pub fn run_colour(i: usize) -> RGBColor {
    RUN_COLOURS[i % RUN_COLOURS.len()]
}

/// Sizes the canvas for sharp drawing and returns its backend, or None while it has no size.
pub fn backend(canvas: &HtmlCanvasElement) -> Option<(CanvasBackend, f64)> {
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .filter(|d| d.is_finite() && *d > 0.0)
        .unwrap_or(1.0);
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

/// The whole canvas as a plotters drawing area.
pub type Area = DrawingArea<CanvasBackend, plotters::coord::Shift>;

/// A cleared drawing area for the canvas in the theme's colours, or None while it has no size.
pub fn begin(canvas: &HtmlCanvasElement, theme: Theme) -> Result<Option<(Area, Style)>, String> {
    let Some((backend, dpr)) = backend(canvas) else {
        return Ok(None);
    };
    let style = Style::new(theme, dpr);
    let root = backend.into_drawing_area();
    root.fill(&style.bg).map_err(err)?;
    Ok(Some((root, style)))
}

/// The figure a gradient chart shows for a layer.
pub fn metric_value(metric: GradMetric, layer: &crate::engine::metrics::LayerStats) -> f64 {
    match metric {
        GradMetric::GradNorm => layer.grad_norm,
        GradMetric::DeltaRms => layer.delta_rms,
    }
}

/// Chart coordinates of the line charts.
pub type XY = plotters::coord::cartesian::Cartesian2d<
    plotters::coord::types::RangedCoordf64,
    plotters::coord::types::RangedCoordf64,
>;

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
    match run % 4 {
        0 => chart
            .draw_series(pts.map(|p| Circle::new(p, size, fill)))
            .map(|_| ()),
        1 => chart
            .draw_series(pts.map(|p| {
                EmptyElement::at(p) + Rectangle::new([(-size, -size), (size, size)], fill)
            }))
            .map(|_| ()),
        2 => chart
            .draw_series(pts.map(|p| TriangleMarker::new(p, size + 2, fill)))
            .map(|_| ()),
        _ => chart
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
pub fn placeholder(canvas: &HtmlCanvasElement, style_of: impl Fn(f64) -> Style, message: &str) {
    if let Some((backend, dpr)) = backend(canvas) {
        let style = style_of(dpr);
        let root = backend.into_drawing_area();
        let _ = root.fill(&style.bg);
        let (w, h) = root.dim_in_pixel();
        let _ = root.draw(&Text::new(
            message.to_string(),
            (w as i32 / 2, h as i32 / 2),
            style.centered(1.1, style.muted),
        ));
        let _ = root.present();
    }
}

pub type DrawResult = Result<(), String>;

pub fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}
