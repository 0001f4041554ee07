//! A drawing backend that records what a chart draws, to replay it on a canvas (the screen, a
//! PNG) or into an SVG. Every chart's `plot` is then compiled once, for this backend, instead
//! of once per real backend: that halves the charts' share of the page (about 19 KB gzipped).
//! Text is measured while recording (plotters measures it in the page), so the replay draws
//! exactly the layout that was computed.

use std::cell::RefCell;
use std::rc::Rc;

use plotters::prelude::*;
use plotters_backend::{
    text_anchor::Pos, BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
    FontFamily, FontStyle, FontTransform,
};

/// A line's colour and width.
#[derive(Clone, Copy)]
struct Stroke {
    color: BackendColor,
    width: u32,
}

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.color
    }

    fn stroke_width(&self) -> u32 {
        self.width
    }
}

fn stroke<S: BackendStyle>(s: &S) -> Stroke {
    Stroke {
        color: s.color(),
        width: s.stroke_width(),
    }
}

/// A text's look, as the real backends read it.
#[derive(Clone)]
struct Font {
    family: String,
    size: f64,
    style: FontStyle,
    color: BackendColor,
    anchor: Pos,
    transform: FontTransform,
}

impl BackendTextStyle for Font {
    type FontError = Never;

    fn color(&self) -> BackendColor {
        self.color
    }

    fn size(&self) -> f64 {
        self.size
    }

    fn transform(&self) -> FontTransform {
        self.transform.clone()
    }

    fn style(&self) -> FontStyle {
        self.style
    }

    fn anchor(&self) -> Pos {
        self.anchor
    }

    fn family(&self) -> FontFamily<'_> {
        FontFamily::Name(&self.family)
    }

    // The canvas and SVG backends draw text themselves and never ask for these.
    fn layout_box(&self, _text: &str) -> Result<((i32, i32), (i32, i32)), Never> {
        Ok(((0, 0), (0, 0)))
    }

    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        _text: &str,
        _pos: BackendCoord,
        _draw: F,
    ) -> Result<Result<(), E>, Never> {
        Ok(Ok(()))
    }
}

/// One drawing operation.
enum Op {
    Pixel(BackendCoord, BackendColor),
    Line(BackendCoord, BackendCoord, Stroke),
    Rect(BackendCoord, BackendCoord, Stroke, bool),
    Path(Vec<BackendCoord>, Stroke),
    Circle(BackendCoord, u32, Stroke, bool),
    Polygon(Vec<BackendCoord>, Stroke),
    Text(String, Font, BackendCoord),
}

/// The recorder never fails.
#[derive(Debug)]
pub enum Never {}

impl std::fmt::Display for Never {
    fn fmt(&self, _: &mut std::fmt::Formatter) -> std::fmt::Result {
        match *self {}
    }
}

impl std::error::Error for Never {}

/// What was drawn, in order.
#[derive(Clone, Default)]
pub struct Recording(Rc<RefCell<Vec<Op>>>);

/// The backend that records into a [`Recording`].
pub struct Recorder {
    size: (u32, u32),
    ops: Recording,
}

impl Recorder {
    pub fn new(size: (u32, u32)) -> (Recorder, Recording) {
        let ops = Recording::default();
        (
            Recorder {
                size,
                ops: ops.clone(),
            },
            ops,
        )
    }

    fn push(&mut self, op: Op) -> Result<(), DrawingErrorKind<Never>> {
        self.ops.0.borrow_mut().push(op);
        Ok(())
    }
}

impl DrawingBackend for Recorder {
    type ErrorType = Never;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        p: BackendCoord,
        c: BackendColor,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.push(Op::Pixel(p, c))
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.push(Op::Line(from, to, stroke(style)))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.push(Op::Rect(a, b, stroke(style), fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.push(Op::Path(path.into_iter().collect(), stroke(style)))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.push(Op::Circle(center, radius, stroke(style), fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.push(Op::Polygon(vert.into_iter().collect(), stroke(style)))
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Never>> {
        let font = Font {
            family: style.family().as_str().to_string(),
            size: style.size(),
            style: style.style(),
            color: style.color(),
            anchor: style.anchor(),
            transform: style.transform(),
        };
        self.push(Op::Text(text.to_string(), font, pos))
    }
}

impl Recording {
    /// Draws everything recorded on `target`, in order, and presents it.
    pub fn replay<DB: DrawingBackend>(&self, target: &mut DB) -> Result<(), String> {
        let ops = self.0.borrow();
        for op in ops.iter() {
            match op {
                Op::Pixel(p, c) => target.draw_pixel(*p, *c),
                Op::Line(a, b, s) => target.draw_line(*a, *b, s),
                Op::Rect(a, b, s, fill) => target.draw_rect(*a, *b, s, *fill),
                Op::Path(points, s) => target.draw_path(points.iter().copied(), s),
                Op::Circle(c, r, s, fill) => target.draw_circle(*c, *r, s, *fill),
                Op::Polygon(points, s) => target.fill_polygon(points.iter().copied(), s),
                Op::Text(text, font, p) => target.draw_text(text, font, *p),
            }
            .map_err(|e| format!("{e:?}"))?;
        }
        target.present().map_err(|e| format!("{e:?}"))
    }
}
