//! The configuration panel: the lesson picker, then every setting of the selected run, each
//! with a line on what it does to the gradients. Labels, hints and limits come from the
//! settings table.

use leptos::prelude::*;

use super::fields::{
    capitalized, live_badge, set_text, show_value_in_force, value_text, SettingChoice, SettingWhole,
};
use super::state::AppState;
use crate::engine::activation::LEAKY_SLOPE;
use crate::engine::config::setting;
use crate::engine::settings::Value;
use crate::format::{num, parse_number};
use crate::protocol::Speed;
use crate::web::run_style::run_style;

fn init_label(name: &str) -> String {
    match name {
        "glorot_uniform" | "glorot_normal" => format!("{name} (Xavier)"),
        "small" => "small (normal, sd 0.01)".into(),
        "large" => "large (normal, sd 1)".into(),
        other => other.into(),
    }
}

fn activation_label(name: &str) -> String {
    match name {
        "leaky_relu" => format!("leaky_relu (slope {LEAKY_SLOPE})"),
        other => other.into(),
    }
}

fn model_label(name: &str) -> String {
    match name {
        "mlp" => "mlp (layers stacked in depth)".into(),
        "rnn" => "rnn (SimpleRNN: one layer through time)".into(),
        "lstm" => "lstm (gated, with a cell state)".into(),
        other => other.into(),
    }
}

fn batch_norm_label(name: &str) -> String {
    match name {
        "none" => "off".into(),
        where_ => format!("{where_} the activation"),
    }
}

fn optimizer_label(name: &str) -> String {
    match name {
        "sgd" => "SGD".into(),
        "momentum" => "SGD + momentum 0.9".into(),
        "adam" => "Adam".into(),
        other => other.into(),
    }
}

/// The built-in lessons as menu options, numbered as the keys 1–9 pick them.
fn lesson_options(lesson: Memo<Option<&'static str>>) -> impl IntoView {
    crate::lesson::builtin::BUILT_IN
        .iter()
        .enumerate()
        .map(move |(i, b)| {
            let key = if i < 9 { format!("{}. ", i + 1) } else { String::new() };
            let title = format!("{key}{}", b.title());
            view! { <option value=b.id selected=move || lesson.get() == Some(b.id)>{title}</option> }
        })
        .collect_view()
}

/// A setting on a slider: position = the value, or log10 of it (`log`); the value is rounded
/// to two significant digits so links and labels stay readable.
#[component]
fn SettingSlider(key: &'static str, log: bool, step: f64) -> impl IntoView {
    let state = expect_context::<AppState>();
    let s = setting(key);
    let (lo, hi) = s.range();
    let to_pos = move |x: f64| if log { x.log10() } else { x };
    // A memo, so a slider being dragged is not reset each time a record arrives.
    let value = Memo::new(move |_| state.store.with(|st| (s.get)(&st.selected_run().config)));
    let number = move || match value.get() {
        Value::Number(x) => x,
        _ => f64::NAN,
    };
    let id = format!("ctl-{}", key.replace('_', "-"));
    let on_change = move |ev| {
        if let Some(p) = parse_number(&event_target_value(&ev)) {
            let x = if log { 10f64.powf(p) } else { p };
            let x = parse_number(&format!("{x:.1e}")).unwrap_or(x);
            let v = s.clamp(x);
            state.change(|c| (s.set)(c, v));
        }
    };
    view! {
        <div class="control">
            <label for=id.clone()>
                {s.label()} " " <span class="value" id=format!("{key}-value")>{move || num(number())}</span>
                {live_badge(s)}
            </label>
            <input id=id type="range" min=to_pos(lo) max=to_pos(hi) step=step
                prop:value=move || to_pos(number()).to_string() on:change=on_change />
            <p class="hint">{capitalized(s.help())} {log.then(|| format!(" ({} to {}, log scale)", num(lo), num(hi)))}</p>
        </div>
    }
}

#[component]
pub fn Controls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lesson = Memo::new(move |_| {
        state
            .player
            .with(|p| p.as_ref().and_then(|p| p.id))
            .or(state.store.with(|s| s.lesson()))
    });
    let pick_lesson = move |ev| state.open_builtin(&event_target_value(&ev), 0);
    let (copied, set_copied) = signal(None::<&'static str>);
    let copy_step = move |_| {
        let text = crate::web::lesson::step_text(state);
        crate::web::dom::copy_to_clipboard(&text, move |ok| {
            set_copied.set(Some(if ok {
                "Copied: paste it into your lesson file and write the question."
            } else {
                "The clipboard is not available here."
            }))
        });
    };
    let config = move || state.store.with(|s| s.selected_run().config.clone());
    let is_toy = move || config().dataset.is_toy();
    let clipping_on = move || config().clipping.threshold().is_some();
    let recurrent = move || config().model.is_recurrent();
    let editing = move || {
        state.store.with(|s| {
            s.is_comparing().then(|| {
                let i = s.selected();
                let label = s.labels()[i].clone();
                let colour = s.runs()[i].colour;
                view! {
                    <p class="editing" id="editing-run">
                        <span class=format!("swatch {}", run_style(colour).class)>{run_style(colour).glyph}</span>
                        {format!("Editing run {} — {label}", i + 1)}
                    </p>
                }
            })
        })
    };
    let l2_value = value_text(state, "l2");
    let l2_options = move || {
        let current = l2_value.get();
        let mut values: Vec<String> = ["0", "0.00001", "0.0001", "0.001", "0.01"]
            .iter()
            .map(|v| v.to_string())
            .collect();
        if !values.contains(&current) {
            values.push(current.clone());
        }
        values
            .into_iter()
            .map(|v| {
                let x: f64 = parse_number(&v).unwrap_or(f64::NAN);
                let text = if x == 0.0 {
                    "0 (off)".to_string()
                } else {
                    format!("{x:e}")
                };
                let selected = v == current;
                view! { <option value=v selected=selected>{text}</option> }
            })
            .collect_view()
    };
    let l2 = setting("l2");
    let clip_at = setting("clip_at");
    let clip_at_text = value_text(state, "clip_at");
    view! {
        <div class="lesson-block">
        <h2 class="panel-title">"Experiment"</h2>
        <div class="control">
            <label for="ctl-preset">"Lesson"</label>
            <select id="ctl-preset" on:change=pick_lesson prop:value=move || lesson.get().unwrap_or("").to_string()>
                <option value="" selected=move || lesson.get().is_none()>"— choose a lesson —"</option>
                {lesson_options(lesson)}
            </select>
            <p class="hint">"Each step asks you to predict, then shows the runs. Or explore: change one thing at a time, or press Compare."</p>
            <label class="file-button">"Open a lesson file…"
                <input type="file" data-lesson-file aria-label="Open a lesson file" accept=".md,.txt,text/markdown,text/plain"
                    on:change=move |ev| {
                        let input = event_target::<web_sys::HtmlInputElement>(&ev);
                        state.open_file_list(js_sys::Reflect::get(&input, &"files".into()).unwrap_or_default());
                        input.set_value("");
                    } />
            </label>
            <button class="link-button" id="copy-lesson-step" on:click=copy_step
                title="The runs on screen as a step of a lesson file, ready for your question">"Copy as a lesson step"</button>
            {move || copied.get().map(|t| view! { <p class="hint" role="status">{t}</p> })}
            {move || state.lesson_error.get().map(|e| view! { <p class="lesson-error" data-lesson-error role="alert">{e}</p> })}
        </div>
        {editing}
        </div>

        <div class="settings-block">
        <h2 class="panel-title">"Network"</h2>
        <SettingChoice key="model" label_of=model_label/>
        <div class:hidden=recurrent>
            <SettingWhole key="depth"/>
        </div>
        <div class:hidden=move || !recurrent()>
            <SettingWhole key="seq_len"/>
        </div>
        <SettingWhole key="width"/>
        <SettingChoice key="init" label_of=init_label/>
        <div class:hidden=move || !recurrent()>
            <SettingChoice key="recurrent_init" label_of=init_label/>
            <SettingSlider key="recurrent_gain" log=false step=0.05/>
        </div>
        <SettingChoice key="activation" label_of=activation_label/>
        <div class:hidden=recurrent>
            <SettingChoice key="batch_norm" label_of=batch_norm_label/>
        </div>
        <p class="hint not-applying" class:hidden=move || !recurrent() data-not-applying>
            "Depth and batch norm do not apply here: a recurrent network has one layer, applied
            once per time step (its depth is the sequence length)."
        </p>

        <h2 class="panel-title">"Training"</h2>
        <SettingSlider key="lr" log=true step=0.1/>
        <SettingChoice key="clip"/>
        <button id="open-clip-explainer" class="link-button" on:click=move |_| state.clip_explainer.set(true)>
            "What does clipping do to a gradient?"</button>
        <div class="control" class:hidden=move || !clipping_on()>
            <label for="ctl-clip-at">{clip_at.label()} {live_badge(clip_at)}</label>
            <input id="ctl-clip-at" type="number" step="any"
                prop:value=clip_at_text
                on:change=move |ev| {
                    set_text(state, "clip_at", &event_target_value(&ev));
                    show_value_in_force(&ev, clip_at_text);
                } />
            <p class="hint">{capitalized(clip_at.help())} " (" {clip_at.allowed()} ")"</p>
        </div>
        <SettingChoice key="optimizer" label_of=optimizer_label/>
        <SettingWhole key="batch_size"/>
        <div class="control">
            <label for="ctl-l2">{l2.label()}</label>
            <select id="ctl-l2" on:change=move |ev| set_text(state, "l2", &event_target_value(&ev))
                prop:value=move || l2_value.get()>
                {l2_options}
            </select>
            <p class="hint">{capitalized(l2.help())}</p>
        </div>
        <SettingWhole key="epochs"/>

        <h2 class="panel-title">"Data"</h2>
        <SettingChoice key="dataset"/>
        <div class:hidden=move || !is_toy()>
            <SettingSlider key="noise" log=false step=0.05/>
        </div>

        <h2 class="panel-title">"Run"</h2>
        <SettingWhole key="seed"/>
        <div class="control">
            <label for="ctl-speed">"Speed"</label>
            <select id="ctl-speed"
                on:change=move |ev| {
                    if let Some(speed) = Speed::from_name(&event_target_value(&ev)) {
                        state.set_speed(speed);
                    }
                }
                prop:value=move || state.speed().name().to_string()>
                {Speed::ALL.iter().map(|&s| view! {
                    <option value=s.name() selected=move || state.speed() == s>{s.name()}</option>
                }).collect_view()}
            </select>
            <p class="hint">"Slow shows each step; fast trains as quickly as this machine can."</p>
        </div>
        </div>
    }
}
