//! The charts' axes: exactly the ticks a chart chose (thinned to its pixels by
//! `chart_scale`), and the plotting area left once the label areas are taken out.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// The plotting area's size in canvas pixels once a chart's label areas are taken out of
/// `area` (which holds no caption: charts draw their title with `titled` first).
pub fn plot_size<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    x_label_area: i32,
    y_label_area: i32,
) -> (f64, f64) {
    let (w, h) = area.dim_in_pixel();
    (
        (w as i32 - y_label_area).max(1) as f64,
        (h as i32 - x_label_area).max(1) as f64,
    )
}

/// An f64 axis whose ticks (labels and grid lines) are exactly the ones given, thinned by
/// the chart to the space available.
pub struct Axis {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

/// An axis over `range` with these ticks.
pub fn axis(range: std::ops::Range<f64>, ticks: Vec<f64>) -> Axis {
    Axis {
        inner: range.into(),
        ticks,
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

/// Chart coordinates of every chart: two f64 axes with chosen ticks.
pub type XY = plotters::coord::cartesian::Cartesian2d<Axis, Axis>;

/// A chart on `area` with label areas of the given sizes and exactly these axes, and the
/// report of what it will draw (label counts and the plot's size, for the browser tests).
pub fn chart_on<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, plotters::coord::Shift>,
    label_areas: (i32, i32),
    x: Axis,
    y: Axis,
) -> Result<(ChartContext<'a, DB, XY>, super::Drawn), String> {
    let (x_area, y_area) = label_areas;
    let (plot_w, plot_h) = plot_size(area, x_area, y_area);
    let drawn = super::Drawn {
        x_labels: x.ticks.len(),
        y_labels: y.ticks.len(),
        plot: (plot_w as u32, plot_h as u32),
        attrs: Vec::new(),
    };
    let chart = ChartBuilder::on(area)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x, y)
        .map_err(super::err)?;
    Ok((chart, drawn))
}
