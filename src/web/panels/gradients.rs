//! The gradient bars of every run at the shown epoch (animated between epochs in log space),
//! the measure switch, and the epoch slider.

use leptos::html::Canvas;
use leptos::prelude::*;

use crate::chart_scale::{log10_point, LogPoint};
use crate::engine::history::RECENT;
use crate::store::Store;
use crate::url_state::{GradMetric, Theme};
pub use crate::web::charts::bar_data::shown_epoch;
use crate::web::charts::{bar_data, grad_bars};
use crate::web::dom::now_ms;
use crate::web::state::AppState;

/// One run's bars being animated from `from` to `to`.
#[derive(Clone, Default)]
struct RunBars {
    colour: usize,
    from: Vec<f64>,
    to: Vec<f64>,
    shown: Vec<f64>,
    theory: Option<Vec<f64>>,
}

#[derive(Clone, Default)]
struct BarAnim {
    runs: Vec<RunBars>,
    start: f64,
    epoch: usize,
    /// Epoch 0 over its first batches: (measured, in the epoch).
    partial: Option<(usize, usize)>,
    /// The bars are a recurrent run's time steps.
    through_time: bool,
    range: (f64, f64),
    metric: GradMetric,
    theme: Theme,
    frame_pending: bool,
}

const ANIM_MS: f64 = 280.0;

/// Interpolates in log space (what the axis shows); non-finite or zero values jump.
fn lerp_log(a: f64, b: f64, t: f64) -> f64 {
    match (log10_point(a), log10_point(b)) {
        (LogPoint::At(la), LogPoint::At(lb)) => 10f64.powf(la + (lb - la) * t),
        _ => b,
    }
}

/// Whether the user asked the system for less motion (`prefers-reduced-motion: reduce`).
fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

fn draw_bars(canvas: &web_sys::HtmlCanvasElement, anim: StoredValue<BarAnim>) {
    // Users who ask for less motion see each epoch's bars at once.
    let t = if reduced_motion() {
        1.0
    } else {
        anim.with_value(|a| ((now_ms() - a.start) / ANIM_MS).clamp(0.0, 1.0))
    };
    let eased = 1.0 - (1.0 - t).powi(3);
    anim.update_value(|a| {
        for r in &mut a.runs {
            r.shown = if r.from.len() == r.to.len() {
                r.from
                    .iter()
                    .zip(&r.to)
                    .map(|(&f, &g)| lerp_log(f, g, eased))
                    .collect()
            } else {
                r.to.clone()
            };
        }
    });
    let result = anim.with_value(|a| {
        let runs: Vec<grad_bars::BarRun> = a
            .runs
            .iter()
            .map(|r| grad_bars::BarRun {
                colour: r.colour,
                values: &r.shown,
                theory: r.theory.as_deref(),
            })
            .collect();
        grad_bars::draw(
            canvas,
            a.theme,
            &grad_bars::Bars {
                metric: a.metric,
                epoch: a.epoch,
                runs: &runs,
                range: a.range,
                partial: a.partial,
                through_time: a.through_time,
            },
        )
    });
    if let Err(e) = result {
        web_sys::console::warn_1(&format!("gradient chart: {e}").into());
    }
    if t < 1.0 {
        let canvas = canvas.clone();
        request_animation_frame(move || draw_bars(&canvas, anim));
    } else {
        anim.update_value(|a| a.frame_pending = false);
    }
}

/// log10 of each value as the charts place it, for the page's data attributes.
fn log10_json(values: &[f64]) -> String {
    let parts: Vec<String> = values
        .iter()
        .map(|v| match log10_point(*v) {
            LogPoint::At(l) => format!("{l:.4}"),
            LogPoint::Zero => "\"zero\"".into(),
            LogPoint::Inf => "\"inf\"".into(),
            _ => "\"nan\"".into(),
        })
        .collect();
    format!("[{}]", parts.join(","))
}

/// Marks the first chart drawn (its empty frame or bars) and the first bars on the page's
/// performance timeline, for the benchmark.
fn first_drawn(bars: bool) {
    crate::web::dom::mark_once("gradscope:first-frame");
    if bars {
        crate::web::dom::mark_once("gradscope:first-bars");
    }
}

#[component]
pub fn Gradients() -> impl IntoView {
    let state = expect_context::<AppState>();
    let bars_ref = NodeRef::<Canvas>::new();
    let anim = StoredValue::new(BarAnim::default());

    Effect::new(move |_| {
        let metric = state.metric.get();
        let theme = state.theme.get();
        state.resize.track();
        state.redraw.track();
        let view = state.view_epoch.get();
        let Some(canvas) = bars_ref.get() else { return };
        state.store.with_untracked(|store| {
            let Some(data) = bar_data::data(store, metric, view) else {
                // Until the first batches are measured: the chart's labelled frame, at once.
                // (A recurrent run's δ bars are its time steps and the output layer.)
                let bars = |c: &crate::engine::config::Config| match c.model.is_recurrent() {
                    false => c.depth + 1,
                    true if metric == GradMetric::DeltaRms => c.seq_len + 1,
                    true => 2,
                };
                let layers = store.runs().iter().map(|r| bars(&r.config)).max();
                let frame = grad_bars::EmptyFrame {
                    metric,
                    layers: layers.unwrap_or(1),
                    message: "Measuring the network as initialized…",
                };
                if let Err(e) = grad_bars::draw_empty(&canvas, theme, &frame) {
                    web_sys::console::warn_1(&format!("gradient chart: {e}").into());
                }
                let _ = canvas.set_attribute("data-epoch", "");
                let _ = canvas.set_attribute("data-partial", "");
                first_drawn(false);
                return;
            };
            let first = data.targets.first();
            let _ = canvas.set_attribute(
                "data-log10",
                &first.map_or("[]".into(), |t| log10_json(&t.values)),
            );
            let all: Vec<String> = data.targets.iter().map(|t| log10_json(&t.values)).collect();
            let _ = canvas.set_attribute("data-runs-log10", &format!("[{}]", all.join(",")));
            // The epoch of a record drawn; empty while epoch 0 is drawn over its first batches
            // (no record is shown yet).
            let epoch_attr = match data.partial {
                Some(_) => String::new(),
                None => data.min_epoch.to_string(),
            };
            let _ = canvas.set_attribute("data-epoch", &epoch_attr);
            // Epoch 0 drawn over its first batches: "measured/total" (empty once complete).
            let partial = data
                .partial
                .map_or(String::new(), |(d, of)| format!("{d}/{of}"));
            let _ = canvas.set_attribute("data-partial", &partial);
            let theory_attr = first
                .and_then(|t| t.theory.as_ref())
                .map_or(String::new(), |t| {
                    let logs: Vec<String> = t.iter().map(|v| format!("{:.4}", v.log10())).collect();
                    format!("[{}]", logs.join(","))
                });
            let _ = canvas.set_attribute("data-theory-log10", &theory_attr);
            let (max_epoch, range, partial_steps) = (data.epoch, data.range, data.partial);
            let pending = anim.with_value(|a| a.frame_pending);
            anim.update_value(|a| {
                let same_view = a.metric == metric && a.theme == theme && a.epoch != max_epoch;
                let old = std::mem::take(&mut a.runs);
                a.runs = data
                    .targets
                    .into_iter()
                    .map(
                        |bar_data::Target {
                             colour,
                             values: to,
                             theory,
                             ..
                         }| {
                            let before = old.iter().find(|o| o.colour == colour);
                            let from = match before {
                                Some(o) if same_view && o.shown.len() == to.len() => {
                                    o.shown.clone()
                                }
                                _ => to.clone(),
                            };
                            RunBars {
                                colour,
                                from,
                                shown: to.clone(),
                                to,
                                theory,
                            }
                        },
                    )
                    .collect();
                a.start = now_ms();
                a.epoch = max_epoch;
                a.partial = partial_steps;
                a.through_time = data.through_time;
                a.range = range;
                a.metric = metric;
                a.theme = theme;
                a.frame_pending = true;
            });
            if !pending {
                draw_bars(&canvas, anim);
            }
            first_drawn(true);
        });
    });

    let latest = move || {
        state.redraw.track();
        state
            .store
            .with_untracked(|s| s.runs().iter().filter_map(|r| r.epoch()).max().unwrap_or(0))
    };
    // How sparsely the oldest epochs are kept (None while every epoch is).
    let thinned = move || {
        state.redraw.track();
        state
            .store
            .with_untracked(|s| s.runs().iter().map(|r| r.history.stride()).max())
            .filter(|k| *k > 1)
    };
    let clipping = move || {
        state.store.with(|s| {
            s.runs()
                .iter()
                .any(|r| r.config.clipping.threshold().is_some())
        })
    };
    view! {
        <div class="card chart-card main-chart card-bars">
            <div class="chart-head">
                <div class="segmented" role="group" aria-label="Gradient measure">
                    <button id="metric-grad" class:active=move || state.metric.get() == GradMetric::GradNorm
                        title="Frobenius norm of each layer's kernel gradient"
                        on:click=move |_| state.metric.set(GradMetric::GradNorm)>"‖∂L/∂W‖ weights"</button>
                    <button id="metric-delta" class:active=move || state.metric.get() == GradMetric::DeltaRms
                        title="RMS of the gradient flowing back into each layer's pre-activations (Glorot & Bengio 2010)"
                        on:click=move |_| state.metric.set(GradMetric::DeltaRms)>"δ back-propagated"</button>
                    <Show when=clipping>
                        <button id="metric-clipped" class:active=move || state.metric.get() == GradMetric::ClippedGradNorm
                            title="Each kernel's gradient after clipping: what the optimizer is given"
                            on:click=move |_| state.metric.set(GradMetric::ClippedGradNorm)>"after clipping"</button>
                    </Show>
                </div>
                <p class="chart-note">{move || match state.metric.get() {
                    GradMetric::DeltaRms if state.store.with(Store::has_recurrent) => "The gradient signal as it flows back through time, from the last time step (right, beside the output) to the first (left): U and the activation's slope multiply it once per step. Black ticks: what mean-field theory predicts for the initial network (exact for a linear one).",
                    GradMetric::GradNorm => "How large each layer's weight update signal is. In ReLU nets it can look flat even when δ vanishes: compare with δ.",
                    GradMetric::DeltaRms => "The gradient signal as it flows back through the layers: this is what vanishes or explodes. Black ticks: what mean-field theory predicts for the initial network.",
                    GradMetric::ClippedGradNorm => "The kernel gradients after clipping. clipnorm cuts each bar to the threshold; global_clipnorm scales all bars by one factor; clipvalue caps each element, which shortens a bar and can turn its direction.",
                }}</p>
            </div>
            <canvas id="chart-bars" node_ref=bars_ref class="chart tall" role="img"
                aria-label="Bar chart: how much gradient reaches each layer, input side to output side, one bar per run, on a log scale. The same numbers are in the per-layer table below; the diagnosis says what they mean."></canvas>
            <div class="scrub">
                <label for="epoch-view">"Show epoch"</label>
                <input id="epoch-view" type="range" min="0" step="1"
                    prop:max=move || latest().to_string()
                    prop:value=move || state.view_epoch.get().unwrap_or_else(latest).to_string()
                    on:input=move |ev| {
                        if let Ok(e) = event_target_value(&ev).parse::<usize>() {
                            state.view_epoch.set((e < latest()).then_some(e));
                        }
                    }
                />
                <button id="epoch-follow" class:active=move || state.view_epoch.get().is_none()
                    title="Follow the latest epoch"
                    on:click=move |_| state.view_epoch.set(None)>"latest"</button>
            </div>
            <p class="thinned hint" id="thinned" class:hidden=move || thinned().is_none()>
                {move || thinned().map(|k| format!(
                    "A long run: to keep memory bounded, epochs before the latest {RECENT} are kept every {k}th; the slider shows the nearest kept epoch."
                ))}
            </p>
        </div>
    }
}
