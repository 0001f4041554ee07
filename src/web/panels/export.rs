//! The Export menu: each chart as PNG (twice the on-screen pixels) or SVG (the on-screen CSS
//! size), every run's records as CSV or JSON, and the share link copied to the clipboard.
//! Charts are drawn by the same `plot` functions and from the same data as on screen (the
//! bars at their targets, never a frame of the animation).

use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlCanvasElement;

use crate::export::{file_name, histograms_csv, records_csv, records_json, runs_of};
use crate::web::charts::{self, bar_data, curves, grad_bars, map_card, Drawn, Root, Style};
use crate::web::dom::copy_to_clipboard;
use crate::web::state::AppState;

/// A chart that can be exported.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Chart {
    Bars,
    Heatmap,
    Loss,
    Accuracy,
}

impl Chart {
    const ALL: [Chart; 4] = [Chart::Bars, Chart::Heatmap, Chart::Loss, Chart::Accuracy];

    /// The id in the file name and the buttons' ids.
    fn id(self) -> &'static str {
        match self {
            Chart::Bars => "bars",
            Chart::Heatmap => "heatmap",
            Chart::Loss => "loss",
            Chart::Accuracy => "accuracy",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Chart::Bars => "Gradient bars",
            Chart::Heatmap => "Layer × epoch map",
            Chart::Loss => "Loss",
            Chart::Accuracy => "Accuracy",
        }
    }

    fn canvas(self) -> Option<HtmlCanvasElement> {
        web_sys::window()?
            .document()?
            .get_element_by_id(&format!("chart-{}", self.id()))?
            .dyn_into()
            .ok()
    }
}

/// Draws `chart` as the page shows it now, on any backend.
fn plot_chart<DB: DrawingBackend>(
    root: &Root<DB>,
    s: &Style,
    chart: Chart,
    state: AppState,
) -> Result<Drawn, String>
where
    DB::ErrorType: 'static,
{
    root.fill(&s.bg).map_err(charts::err)?;
    // An exported image leaves the page's HTML legend behind: it carries its own.
    let items: Vec<(usize, String)> = state.store.with_untracked(|store| {
        let labels = store.labels();
        store
            .runs()
            .iter()
            .enumerate()
            .filter(|_| store.is_comparing())
            .map(|(i, r)| (r.colour, format!("Run {} {}", i + 1, labels[i])))
            .collect()
    });
    let curves_key = matches!(chart, Chart::Loss | Chart::Accuracy);
    let root = if items.is_empty() && !curves_key {
        root.clone()
    } else {
        // As many rows as the legend needs at this width: a long legend wraps, never cut.
        let rows = legend_rows(root, s, &items, curves_key);
        let (_, h) = root.dim_in_pixel();
        let strip = (1.8 * s.font_px() * rows.len() as f64 + 0.4 * s.font_px()).round() as u32;
        let (main, legend) = root.split_vertically(h.saturating_sub(strip));
        draw_legend(&legend, s, &rows)?;
        main
    };
    let root = &root;
    let metric = state.metric.get_untracked();
    let view = state.view_epoch.get_untracked();
    state.store.with_untracked(|store| match chart {
        Chart::Bars => {
            let data = bar_data::data(store, metric, view).ok_or("no records yet")?;
            let runs = data.runs(|i| &data.targets[i].values);
            grad_bars::plot(root, s, &data.bars(&runs))
        }
        Chart::Heatmap => map_card::plot(
            root,
            s,
            store,
            state.heat.get_untracked(),
            metric,
            view,
            (
                state.dist_quantity.get_untracked(),
                state.dist_layer.get_untracked(),
            ),
        ),
        Chart::Loss | Chart::Accuracy => {
            let which = if chart == Chart::Loss {
                curves::Curve::Loss
            } else {
                curves::Curve::Accuracy
            };
            let runs = curves::runs(store);
            if runs.iter().all(|r| r.records.is_empty()) {
                return Err("no records yet".into());
            }
            curves::plot(root, s, which, &runs)
        }
    })
}

/// The legend under an exported chart — each run's marker, number and what sets it apart, in
/// its colour; for the curves, which line is train and which validation — laid out in rows
/// that fit the image's width.
fn legend_rows<DB: DrawingBackend>(
    root: &Root<DB>,
    s: &Style,
    items: &[(usize, String)],
    curves_key: bool,
) -> Vec<Vec<(String, RGBColor)>>
where
    DB::ErrorType: 'static,
{
    let mut parts: Vec<(String, RGBColor)> = items
        .iter()
        .map(|(colour, label)| {
            let glyph = crate::web::run_style::run_style(*colour).glyph;
            (format!("{glyph} {label}"), s.run(*colour))
        })
        .collect();
    if curves_key {
        parts.push(("╌ train   ━ validation".into(), s.muted));
    }
    let (w, _) = root.dim_in_pixel();
    let room = w as i32 - s.px(20.0);
    let gap = (1.5 * s.font_px()) as i32;
    let mut rows: Vec<Vec<(String, RGBColor)>> = vec![Vec::new()];
    let mut x = 0;
    for (text, colour) in parts {
        let width = root
            .estimate_text_size(&text, &s.text(1.0, colour))
            .map_or(0, |(w, _)| w as i32);
        let row = rows.last_mut().expect("one row at least");
        if !row.is_empty() && x + width > room {
            rows.push(Vec::new());
            x = 0;
        }
        x += width + gap;
        rows.last_mut().expect("a row").push((text, colour));
    }
    rows
}

/// Draws the legend's rows in the strip under an exported chart.
fn draw_legend<DB: DrawingBackend>(
    strip: &Root<DB>,
    s: &Style,
    rows: &[Vec<(String, RGBColor)>],
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let line = 1.8 * s.font_px();
    for (r, row) in rows.iter().enumerate() {
        let y = (0.2 * s.font_px() + line * (r as f64 + 0.5)) as i32;
        let mut x = s.px(10.0);
        for (text, colour) in row {
            let style = s
                .text(1.0, *colour)
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Left,
                    plotters::style::text_anchor::VPos::Center,
                ));
            let (w, _) = strip.estimate_text_size(text, &style).unwrap_or((0, 0));
            strip
                .draw(&Text::new(text.clone(), (x, y), style))
                .map_err(charts::err)?;
            x += w as i32 + (1.5 * s.font_px()) as i32;
        }
    }
    Ok(())
}

/// The file name for what is on screen: the selected run's settings, the epoch shown.
fn name_for(state: AppState, what: &str, ext: &str) -> String {
    let view = state.view_epoch.get_untracked();
    state.store.with_untracked(|store| {
        file_name(
            store.lesson(),
            &store.selected_run().config,
            store.runs().len(),
            bar_data::shown_epoch(store, view),
            what,
            ext,
        )
    })
}

/// Saves a blob under `name`: an object URL on a temporary `<a download>`, revoked after.
fn download_blob(blob: &web_sys::Blob, name: &str) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(js_err)?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(js_err)?
        .dyn_into()
        .map_err(|_| "not an anchor")?;
    a.set_href(&url);
    a.set_download(name);
    a.set_class_name("hidden");
    let body = document.body().ok_or("no body")?;
    body.append_child(&a).map_err(js_err)?;
    a.click();
    a.remove();
    // Revoked a moment later: the download has taken its copy by then.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_millis(1500),
    );
    Ok(())
}

pub fn download_text(text: &str, mime: &str, name: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(js_err)?;
    download_blob(&blob, name)
}

fn js_err(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

/// The chart's on-screen canvas, its theme style at `dpr`.
fn screen(chart: Chart, state: AppState) -> Result<(HtmlCanvasElement, Style), String> {
    let canvas = chart.canvas().ok_or("the chart is not on the page")?;
    if canvas.client_width() <= 0 || canvas.client_height() <= 0 {
        return Err("the chart has no size".into());
    }
    let style = charts::style_of(
        &canvas,
        state.theme.get_untracked(),
        charts::device_pixel_ratio(),
    );
    Ok((canvas, style))
}

/// PNG at twice the on-screen pixel size: an offscreen canvas of 2 × the canvas' pixels,
/// drawn with the device pixel ratio doubled (so text and lines scale with it).
fn export_png(chart: Chart, state: AppState, status: RwSignal<String>) -> Result<(), String> {
    let (canvas, style) = screen(chart, state)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let off: HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(js_err)?
        .dyn_into()
        .map_err(|_| "not a canvas")?;
    let factor = canvas.width() as f64 / canvas.client_width() as f64;
    off.set_width(2 * canvas.width());
    off.set_height(2 * canvas.height());
    let style = Style {
        dpr: 2.0 * factor,
        ..style
    };
    let mut backend = CanvasBackend::with_canvas_object(off.clone()).ok_or("no 2-D context")?;
    let (_, recording) = charts::record(backend.get_size(), |root| {
        plot_chart(root, &style, chart, state)
    })?;
    recording.replay(&mut backend)?;
    let name = name_for(state, chart.id(), "png");
    let done = wasm_bindgen::closure::Closure::once_into_js(move |blob: JsValue| {
        let result = blob
            .dyn_into::<web_sys::Blob>()
            .map_err(|_| "the browser made no PNG".to_string())
            .and_then(|b| download_blob(&b, &name));
        status.set(match result {
            Ok(()) => format!("Saved {name}"),
            Err(e) => format!("Export failed: {e}"),
        });
    });
    off.to_blob(done.unchecked_ref()).map_err(js_err)
}

/// SVG at the on-screen CSS size.
fn export_svg(chart: Chart, state: AppState) -> Result<String, String> {
    let (canvas, style) = screen(chart, state)?;
    let size = (canvas.client_width() as u32, canvas.client_height() as u32);
    let mut svg = String::new();
    {
        let (_, recording) = charts::record(size, |root| {
            plot_chart(root, &style.for_svg(), chart, state)
        })?;
        recording.replay(&mut SVGBackend::with_string(&mut svg, size))?;
    }
    let name = name_for(state, chart.id(), "svg");
    download_text(&svg, "image/svg+xml", &name)?;
    Ok(name)
}

/// Copies the page's address (the link that replays the runs) to the clipboard.
fn copy_link(status: RwSignal<String>) {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let text = href.clone();
    copy_to_clipboard(&text, move |ok| {
        status.set(if ok {
            "Link copied".into()
        } else {
            format!("The clipboard is not available: copy this link — {href}")
        })
    });
}

#[component]
pub fn ExportMenu() -> impl IntoView {
    let state = expect_context::<AppState>();
    let status = RwSignal::new(String::new());
    let report = move |result: Result<String, String>| {
        status.set(match result {
            Ok(name) => format!("Saved {name}"),
            Err(e) => format!("Export failed: {e}"),
        })
    };
    // "csv", "json", or "hist" (the distributions, as CSV).
    let records = move |kind: &'static str| {
        let text = state.store.with_untracked(|store| {
            let runs = runs_of(store);
            match kind {
                "csv" => records_csv(&runs),
                "hist" => histograms_csv(&runs),
                _ => records_json(&runs),
            }
        });
        let (what, ext, mime) = match kind {
            "json" => ("records", "json", "application/json"),
            "hist" => ("distributions", "csv", "text/csv"),
            _ => ("records", "csv", "text/csv"),
        };
        let name = name_for(state, what, ext);
        report(download_text(&text, mime, &name).map(|()| name));
    };
    let chart_buttons = Chart::ALL
        .into_iter()
        .map(|chart| {
            let png = move |_| {
                if let Err(e) = export_png(chart, state, status) {
                    status.set(format!("Export failed: {e}"));
                }
            };
            let svg = move |_| report(export_svg(chart, state));
            view! {
                <button id=format!("export-{}-png", chart.id()) on:click=png>
                    {format!("{} — PNG", chart.title())}
                </button>
                <button id=format!("export-{}-svg", chart.id()) on:click=svg>
                    {format!("{} — SVG", chart.title())}
                </button>
            }
        })
        .collect_view();
    view! {
        <details class="export" id="export-menu">
            <summary>"Export"</summary>
            <div class="export-items" role="group" aria-label="Export">
                {chart_buttons}
                <button id="export-csv" on:click=move |_| records("csv")>"All records — CSV"</button>
                <button id="export-json" on:click=move |_| records("json")>"All records — JSON"</button>
                <button id="export-hist" on:click=move |_| records("hist")>"Distributions — CSV"</button>
                <button id="copy-link" on:click=move |_| copy_link(status)>"Copy link"</button>
                <p id="export-status" class="export-status" role="status" aria-live="polite">{move || status.get()}</p>
            </div>
        </details>
    }
}
