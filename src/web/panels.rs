//! The panels around the controls: transport bar, notices, the gradient charts, the
//! diagnosis, the loss/accuracy curves and the credits.

use leptos::html::Canvas;
use leptos::prelude::*;

use super::app::AppState;
use super::charts::{self, curves, grad_bars, heatmap, metric_value};
use crate::chart_scale::{decade_range, log10_point, LogPoint};
use crate::engine::diagnose::{diagnose, Verdict};
use crate::format::num;
use crate::protocol::Phase;
use crate::url_state::{GradMetric, Theme};

use super::app::now_ms;

fn icon(path: &'static str) -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
            <path d=path fill="currentColor"/>
        </svg>
    }
}

/// Gives focus back to the page after a click, so Space keeps meaning play/pause.
fn blur(ev: &leptos::ev::MouseEvent) {
    if let Some(el) = ev
        .current_target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok())
    {
        let _ = el.blur();
    }
}

const ICON_PLAY: &str = "M7 4.5v15l13-7.5z";
const ICON_PAUSE: &str = "M6 4h4.5v16H6zM13.5 4H18v16h-4.5z";
const ICON_STEP: &str = "M5 5v14l10-7zM16 5h3v14h-3z";
const ICON_RESET: &str = "M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z";
const ICON_DICE: &str = "M5 3h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm2.5 3a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm9 9a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zM12 10.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z";

#[component]
pub fn Transport() -> impl IntoView {
    let state = expect_context::<AppState>();
    let playing = state.playing;
    let progress = state.progress;
    let cfg = state.config;
    let epoch_text = move || {
        let total = cfg.with(|c| c.epochs);
        match state.records.with(|r| r.last().map(|r| r.epoch)) {
            Some(shown) => format!("{shown} / {total}"),
            None => format!("– / {total}"),
        }
    };
    let step_text = move || {
        progress.get().map_or(String::new(), |p| match p.phase {
            Phase::Finished | Phase::Diverged => String::new(),
            _ if p.epoch == 0 => format!(
                "epoch 0 (the network as initialized): step {}/{}",
                p.step, p.steps_per_epoch
            ),
            _ => format!(
                "in epoch {}: step {}/{}",
                p.epoch, p.step, p.steps_per_epoch
            ),
        })
    };
    let speed_text = move || {
        progress
            .get()
            .filter(|p| p.samples_per_second > 0.0 && p.phase == Phase::Playing)
            .map_or(String::new(), |p| {
                format!("{} samples/s", num(p.samples_per_second.round()))
            })
    };
    let phase_chip = move || {
        let p = progress.get().map(|p| p.phase);
        match (p, playing.get()) {
            (Some(Phase::Diverged), _) => ("chip chip-alarm", "diverged"),
            (Some(Phase::Finished), _) => ("chip chip-done", "finished"),
            (_, true) => ("chip chip-live", "training"),
            // Measuring epoch 0, a step or an epoch asked for: busy without play.
            (Some(Phase::Playing), false) => ("chip chip-live", "working"),
            (None, _) => ("chip", "starting"),
            _ => ("chip", "paused"),
        }
    };
    view! {
        <header class="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">"∇"</span>
                <span class="name">"gradscope"</span>
                <span class="tagline">"watch gradients vanish or explode"</span>
            </div>
            <div class="transport" role="toolbar" aria-label="Training">
                <button id="btn-reset" class="icon-btn" title="Reset: replay from the same initial weights (R)"
                    on:click=move |ev| { blur(&ev); state.reset(false); }>{icon(ICON_RESET)}<span class="btn-label">"reset"</span></button>
                <button id="btn-play" class="play-btn"
                    title=move || if playing.get() { "Pause (Space)" } else { "Play (Space)" }
                    aria-pressed=move || playing.get().to_string()
                    on:click=move |ev| { blur(&ev); state.play_pause(); }>
                    {move || if playing.get() { icon(ICON_PAUSE).into_any() } else { icon(ICON_PLAY).into_any() }}
                </button>
                <button id="btn-step" class="icon-btn" title="One mini-batch step (→)"
                    on:click=move |ev| { blur(&ev); state.step(); }>{icon(ICON_STEP)}<span class="btn-label">"step"</span></button>
                <button id="btn-epoch" class="text-btn" title="Train to the end of this epoch (E)"
                    on:click=move |ev| { blur(&ev); state.epoch(); }>"+1 epoch"</button>
                <button id="btn-reinit" class="icon-btn" title="Re-initialize: draw new initial weights (N)"
                    on:click=move |ev| { blur(&ev); state.reset(true); }>{icon(ICON_DICE)}<span class="btn-label">"new weights"</span></button>
            </div>
            <div class="status" aria-live="polite">
                <div class="epoch">"Epoch " <b id="epoch-counter">{epoch_text}</b></div>
                <div class="sub">
                    <span class=move || phase_chip().0 id="phase-chip">{move || phase_chip().1}</span>
                    " " <span>{step_text}</span> " " <span class="muted">{speed_text}</span>
                </div>
            </div>
            <div class="view-opts">
                <label for="ctl-theme" class="sr-only">"Theme"</label>
                <select id="ctl-theme"
                    on:change=move |ev| {
                        if let Some(t) = Theme::from_name(&event_target_value(&ev)) {
                            state.theme.set(t);
                            state.sync_url();
                        }
                    }
                    prop:value=move || state.theme.get().name().to_string()>
                    {Theme::ALL.iter().map(|t| {
                        let t = *t;
                        view! { <option value=t.name() selected=move || state.theme.get() == t>{t.name()} " theme"</option> }
                    }).collect_view()}
                </select>
            </div>
        </header>
    }
}

#[component]
pub fn Notices() -> impl IntoView {
    let state = expect_context::<AppState>();
    let diverged = move || {
        state
            .progress
            .get()
            .is_some_and(|p| p.phase == Phase::Diverged)
    };
    view! {
        <div class="notices">
            <Show when=move || !state.notices.with(|n| n.is_empty())>
                <div class="notice notice-url" id="url-notice" role="status">
                    <b>"Some settings in this link could not be used; defaults stand in: "</b>
                    {move || state.notices.get().join(" · ")}
                    <button class="dismiss" on:click=move |_| state.notices.set(Vec::new())>"dismiss"</button>
                </div>
            </Show>
            <Show when=move || state.error.with(|e| e.is_some())>
                <div class="notice notice-error" id="error-notice" role="alert">
                    {move || state.error.get().unwrap_or_default()}
                    <button class="dismiss" on:click=move |_| state.error.set(None)>"dismiss"</button>
                </div>
            </Show>
            <Show when=diverged>
                <div class="notice notice-diverged" id="diverged-banner" role="alert">
                    <b>"Diverged."</b>
                    " The numbers became NaN or infinite and training stopped. Pick a smaller initializer, turn on clipping or lower the learning rate, then press play to start again from the same initial weights."
                </div>
            </Show>
        </div>
    }
}

/// Runs `f` `n` animation frames from now.
fn after_frames(n: usize, f: impl FnOnce() + 'static) {
    if n == 0 {
        f();
    } else {
        request_animation_frame(move || after_frames(n - 1, f));
    }
}

/// Bar values being animated from `from` to `to`.
#[derive(Clone, Default)]
struct BarAnim {
    from: Vec<f64>,
    to: Vec<f64>,
    shown: Vec<f64>,
    start: f64,
    epoch: usize,
    range: (f64, f64),
    metric: GradMetric,
    theme: Theme,
    /// The theory overlay (δ view only).
    theory: Option<Vec<f64>>,
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

fn draw_bars(canvas: &web_sys::HtmlCanvasElement, anim: StoredValue<BarAnim>) {
    let t = anim.with_value(|a| ((now_ms() - a.start) / ANIM_MS).clamp(0.0, 1.0));
    let eased = 1.0 - (1.0 - t).powi(3);
    anim.update_value(|a| {
        a.shown = if a.from.len() == a.to.len() {
            a.from
                .iter()
                .zip(&a.to)
                .map(|(&f, &g)| lerp_log(f, g, eased))
                .collect()
        } else {
            a.to.clone()
        };
    });
    let result = anim.with_value(|a| {
        grad_bars::draw(
            canvas,
            &grad_bars::Bars {
                theme: a.theme,
                metric: a.metric,
                epoch: a.epoch,
                values: &a.shown,
                range: a.range,
                theory: a.theory.as_deref(),
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

#[component]
pub fn Charts() -> impl IntoView {
    let state = expect_context::<AppState>();
    let bars_ref = NodeRef::<Canvas>::new();
    let heat_ref = NodeRef::<Canvas>::new();
    let anim = StoredValue::new(BarAnim::default());

    Effect::new(move |_| {
        let metric = state.metric.get();
        let theme = state.theme.get();
        state.resize.track();
        state.redraw.track();
        let view = state.view_epoch.get();
        let Some(canvas) = bars_ref.get() else { return };
        state.records.with_untracked(|records| {
            let shown = view.and_then(|e| records.iter().find(|r| r.epoch == e));
            let Some(last) = shown.or(records.last()) else {
                charts::placeholder(
                    &canvas,
                    |dpr| charts::Style::new(theme, dpr),
                    "Measuring the network as initialized…",
                );
                return;
            };
            let to: Vec<f64> = last
                .layers
                .iter()
                .map(|l| metric_value(metric, l))
                .collect();
            let theory = (metric == GradMetric::DeltaRms)
                .then(|| state.theory.get_untracked())
                .flatten();
            let range = decade_range(
                records
                    .iter()
                    .flat_map(|r| r.layers.iter().map(|l| metric_value(metric, l)))
                    .chain(theory.iter().flatten().copied()),
                2.0,
            );
            let values_attr = to
                .iter()
                .map(|v| match log10_point(*v) {
                    LogPoint::At(l) => format!("{l:.4}"),
                    LogPoint::Zero => "\"zero\"".into(),
                    LogPoint::Inf => "\"inf\"".into(),
                    _ => "\"nan\"".into(),
                })
                .collect::<Vec<_>>()
                .join(",");
            let _ = canvas.set_attribute("data-log10", &format!("[{values_attr}]"));
            let _ = canvas.set_attribute("data-epoch", &last.epoch.to_string());
            let theory_attr = theory.as_ref().map_or(String::new(), |t| {
                let logs: Vec<String> = t.iter().map(|v| format!("{:.4}", v.log10())).collect();
                format!("[{}]", logs.join(","))
            });
            let _ = canvas.set_attribute("data-theory-log10", &theory_attr);
            let same_view = anim
                .with_value(|a| a.metric == metric && a.theme == theme && a.epoch != last.epoch);
            let pending = anim.with_value(|a| a.frame_pending);
            anim.update_value(|a| {
                a.from = if same_view && !a.shown.is_empty() {
                    a.shown.clone()
                } else {
                    to.clone()
                };
                a.to = to;
                a.start = now_ms();
                a.epoch = last.epoch;
                a.range = range;
                a.metric = metric;
                a.theme = theme;
                a.theory = theory;
                a.frame_pending = true;
            });
            if !pending {
                draw_bars(&canvas, anim);
            }
            if state.first_chart_ms.get_untracked().is_none() {
                state.first_chart_ms.set(Some(now_ms()));
            }
        });
    });

    Effect::new(move |_| {
        let metric = state.metric.get();
        let theme = state.theme.get();
        state.resize.track();
        state.redraw.track();
        state.view_epoch.track();
        let Some(canvas) = heat_ref.get() else { return };
        // Each chart draws in a frame of its own, so no frame carries all four.
        after_frames(1, move || {
            state.records.with_untracked(|records| {
                if records.is_empty() {
                    charts::placeholder(
                        &canvas,
                        |dpr| charts::Style::new(theme, dpr),
                        "The layer × epoch map fills in as epochs complete.",
                    );
                    return;
                }
                let range = decade_range(
                    records
                        .iter()
                        .flat_map(|r| r.layers.iter().map(|l| metric_value(metric, l))),
                    2.0,
                );
                let highlight = state.view_epoch.get_untracked();
                if let Err(e) = heatmap::draw(&canvas, theme, metric, records, range, highlight) {
                    web_sys::console::warn_1(&format!("heatmap: {e}").into());
                }
            })
        });
    });

    let set_metric = move |m: GradMetric| {
        state.metric.set(m);
        state.sync_url();
    };
    view! {
        <div class="card chart-card main-chart">
            <div class="chart-head">
                <div class="segmented" role="group" aria-label="Gradient measure">
                    <button id="metric-grad" class:active=move || state.metric.get() == GradMetric::GradNorm
                        title="Frobenius norm of each layer's kernel gradient"
                        on:click=move |_| set_metric(GradMetric::GradNorm)>"‖∂L/∂W‖ weights"</button>
                    <button id="metric-delta" class:active=move || state.metric.get() == GradMetric::DeltaRms
                        title="RMS of the gradient flowing back into each layer's pre-activations (Glorot & Bengio 2010)"
                        on:click=move |_| set_metric(GradMetric::DeltaRms)>"δ back-propagated"</button>
                </div>
                <p class="chart-note">{move || match state.metric.get() {
                    GradMetric::GradNorm => "How large each layer's weight update signal is. In ReLU nets it can look flat even when δ vanishes: compare with δ.",
                    GradMetric::DeltaRms => "The gradient signal as it flows back through the layers: this is what vanishes or explodes. Black ticks: what mean-field theory predicts for the initial network.",
                }}</p>
            </div>
            <canvas id="chart-bars" node_ref=bars_ref class="chart tall"></canvas>
            <div class="scrub">
                <label for="epoch-view">"Show epoch"</label>
                <input id="epoch-view" type="range" min="0" step="1"
                    prop:max=move || { state.redraw.track(); state.records.with_untracked(|r| r.last().map_or(0, |r| r.epoch)).to_string() }
                    prop:value=move || { state.redraw.track(); state.view_epoch.get().unwrap_or_else(|| state.records.with_untracked(|r| r.last().map_or(0, |r| r.epoch))).to_string() }
                    on:input=move |ev| {
                        if let Ok(e) = event_target_value(&ev).parse::<usize>() {
                            let last = state.records.with_untracked(|r| r.last().map_or(0, |r| r.epoch));
                            state.view_epoch.set((e < last).then_some(e));
                        }
                    }
                />
                <button id="epoch-follow" class:active=move || state.view_epoch.get().is_none()
                    title="Follow the latest epoch"
                    on:click=move |_| state.view_epoch.set(None)>"latest"</button>
            </div>
        </div>
        <div class="card chart-card">
            <canvas id="chart-heatmap" node_ref=heat_ref class="chart medium"></canvas>
        </div>
        <LayerTable/>
    }
}

/// Every figure of every layer for the shown epoch, as numbers (DESIGN §3).
#[component]
fn LayerTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let shown = move || {
        state.redraw.track();
        let view = state.view_epoch.get();
        state.records.with_untracked(|records| {
            view.and_then(|e| records.iter().find(|r| r.epoch == e))
                .or(records.last())
                .cloned()
        })
    };
    let title = move || {
        shown().map_or("Numbers for every layer".to_string(), |r| {
            format!("Numbers for every layer — epoch {}", r.epoch)
        })
    };
    let rows = move || {
        shown().map(|r| {
            let depth = r.layers.len().saturating_sub(1);
            r.layers
                .iter()
                .map(|l| {
                    let name = if l.layer > depth {
                        "out".to_string()
                    } else {
                        l.layer.to_string()
                    };
                    let pct = |x: f64| {
                        if x.is_finite() {
                            format!("{:.0} %", 100.0 * x)
                        } else {
                            num(x)
                        }
                    };
                    view! {
                        <tr>
                            <td>{name}</td>
                            <td>{num(l.grad_norm)}</td>
                            <td>{num(l.delta_rms)}</td>
                            <td>{num(l.weight_norm)}</td>
                            <td>{num(l.update_ratio)}</td>
                            <td>{num(l.act_mean)}</td>
                            <td>{num(l.act_std)}</td>
                            <td>{pct(l.saturated)}</td>
                            <td>{pct(l.dead)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <details class="card layer-table" id="layer-table">
            <summary>{title}</summary>
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th title="layer, input side first">"layer"</th>
                            <th title="Frobenius norm of the kernel gradient, before clipping, mean over the epoch's steps">"‖∂L/∂W‖"</th>
                            <th title="RMS of the back-propagated gradient ∂L/∂z, mean over the epoch's steps">"δ rms"</th>
                            <th title="Frobenius norm of the kernel at the end of the epoch">"‖W‖"</th>
                            <th title="‖ΔW‖ / ‖W‖ of the epoch's last step (healthy: often around 1e-3)">"update / weight"</th>
                            <th title="mean of the layer's activations on the validation set (logits for the output layer)">"act mean"</th>
                            <th title="standard deviation of the layer's activations on the validation set">"act sd"</th>
                            <th title="sigmoid/tanh outputs whose slope is under 5 % of its peak">"saturated"</th>
                            <th title="units that output 0 for every validation sample">"dead"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
}

#[component]
pub fn DiagnosisPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let diagnosis = Memo::new(move |_| {
        let config = state.config.get();
        state.redraw.track();
        state.records.with_untracked(|r| diagnose(&config, r))
    });
    let class = move || {
        let v = diagnosis.with(|d| d.verdict);
        let kind = match v {
            Verdict::Waiting => "waiting",
            Verdict::Healthy => "healthy",
            Verdict::Vanishing => "vanishing",
            Verdict::Exploding => "exploding",
            Verdict::Diverged => "diverged",
        };
        format!("card diagnosis verdict-{kind}")
    };
    let latest = move || {
        state.redraw.track();
        state.records.with_untracked(|r| {
            r.last().map(|r| {
                let accuracy = if r.val_loss.is_finite() {
                    format!("{:.1} %", 100.0 * r.val_accuracy)
                } else {
                    "—".into()
                };
                format!(
                    "epoch {} · train loss {} · val loss {} · val accuracy {accuracy}",
                    r.epoch,
                    num(r.train_loss),
                    num(r.val_loss),
                )
            })
        })
    };
    view! {
        <div class=class id="diagnosis">
            <div class="verdict" id="verdict">{move || diagnosis.with(|d| d.verdict.label())}</div>
            <p class="headline">{move || diagnosis.with(|d| d.headline.clone())}</p>
            <p class="latest muted">{latest}</p>
            <ul class="evidence">
                {move || diagnosis.with(|d| d.evidence.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view())}
            </ul>
            <Show when=move || diagnosis.with(|d| !d.advice.is_empty())>
                <h3>"Try"</h3>
                <ul class="advice">
                    {move || diagnosis.with(|d| d.advice.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view())}
                </ul>
            </Show>
        </div>
    }
}

#[component]
pub fn ResultsCharts() -> impl IntoView {
    let state = expect_context::<AppState>();
    let loss_ref = NodeRef::<Canvas>::new();
    let acc_ref = NodeRef::<Canvas>::new();
    for (frames, node, which) in [
        (2, loss_ref, curves::Curve::Loss),
        (3, acc_ref, curves::Curve::Accuracy),
    ] {
        Effect::new(move |_| {
            let theme = state.theme.get();
            state.resize.track();
            state.redraw.track();
            let Some(canvas) = node.get() else { return };
            after_frames(frames, move || {
                state.records.with_untracked(|records| {
                    if records.is_empty() {
                        charts::placeholder(
                            &canvas,
                            |dpr| charts::Style::new(theme, dpr),
                            "Curves appear after epoch 0.",
                        );
                    } else if let Err(e) = curves::draw(&canvas, theme, which, records) {
                        web_sys::console::warn_1(&format!("curve: {e}").into());
                    }
                })
            });
        });
    }
    view! {
        <div class="curve-legend" aria-hidden="true">
            <span class="key key-train">"━ train"</span>
            <span class="key key-val">"━● validation"</span>
        </div>
        <div class="card chart-card"><canvas id="chart-loss" node_ref=loss_ref class="chart small"></canvas></div>
        <div class="card chart-card"><canvas id="chart-accuracy" node_ref=acc_ref class="chart small"></canvas></div>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="footer">
            <p>
                <b>"Keys: "</b> "Space play/pause · → step · E epoch · R reset · N new weights · M switch measure. "
                "The address bar always holds a link that replays this exact run."
            </p>
            <p class="credits">
                "Digits data: Optical Recognition of Handwritten Digits, E. Alpaydin and C. Kaynak (1998), "
                "UCI Machine Learning Repository, CC BY 4.0 (as distributed with scikit-learn). "
                "Every number on this page is computed by the network training in your browser."
            </p>
        </footer>
    }
}
