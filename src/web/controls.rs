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
use crate::format::num;
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

/// The lessons of one kind (comparisons or single runs) as menu options.
fn lesson_options(comparisons: bool, lesson: Memo<Option<&'static str>>) -> impl IntoView {
    // Numbered as the keys 1–9 pick them.
    crate::presets::menu()
        .into_iter()
        .enumerate()
        .filter(move |(_, p)| p.vs.is_empty() != comparisons)
        .map(move |(i, p)| {
            let runs = p.vs.len() + 1;
            let key = if i < 9 { format!("{}. ", i + 1) } else { String::new() };
            let title = if runs > 1 {
                format!("{key}{} ({runs} runs)", p.title)
            } else {
                format!("{key}{}", p.title)
            };
            view! { <option value=p.id selected=move || lesson.get() == Some(p.id)>{title}</option> }
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
        if let Ok(p) = event_target_value(&ev).parse::<f64>() {
            let x = if log { 10f64.powf(p) } else { p };
            let x = format!("{x:.1e}").parse::<f64>().unwrap_or(x);
            let v = s.clamp(x);
            state.change(|c| (s.set)(c, v));
        }
    };
    view! {
        <div class="control">
            <label for=id.clone()>
                {s.label} " " <span class="value" id=format!("{key}-value")>{move || num(number())}</span>
                {live_badge(s)}
            </label>
            <input id=id type="range" min=to_pos(lo) max=to_pos(hi) step=step
                prop:value=move || to_pos(number()).to_string() on:change=on_change />
            <p class="hint">{capitalized(s.help)} {log.then(|| format!(" ({} to {}, log scale)", num(lo), num(hi)))}</p>
        </div>
    }
}

#[component]
pub fn Controls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lesson = Memo::new(move |_| state.store.with(|s| s.lesson()));
    let pick_lesson = move |ev| {
        if let Some(p) = crate::presets::find(&event_target_value(&ev)) {
            state.load_lesson(p);
        }
    };
    let watch = move || lesson.get().and_then(crate::presets::find).map(|p| p.watch);
    let config = move || state.store.with(|s| s.selected_run().config.clone());
    let is_toy = move || config().dataset.is_toy();
    let clipping_on = move || config().clipping.threshold().is_some();
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
                let x: f64 = v.parse().unwrap_or(f64::NAN);
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
                <optgroup label="One run">{lesson_options(false, lesson)}</optgroup>
                <optgroup label="Comparisons (2–4 runs side by side)">{lesson_options(true, lesson)}</optgroup>
            </select>
            <p class="hint">"Load a ready-made experiment; then change one thing at a time, or press Compare."</p>
        </div>
        // The menu's closed box cuts long titles: the full one heads the lesson's note.
        <p class="watch" id="lesson-note" class:hidden=move || watch().is_none()>
            <b class="lesson-title">{move || lesson.get().and_then(crate::presets::find).map(|p| p.title)}</b>
            " Watch: " {move || watch().unwrap_or("")}
        </p>
        {editing}
        </div>

        <div class="settings-block">
        <h2 class="panel-title">"Network"</h2>
        <SettingWhole key="depth"/>
        <SettingWhole key="width"/>
        <SettingChoice key="init" label_of=init_label/>
        <SettingChoice key="activation" label_of=activation_label/>
        <SettingChoice key="batch_norm" label_of=batch_norm_label/>

        <h2 class="panel-title">"Training"</h2>
        <SettingSlider key="lr" log=true step=0.1/>
        <SettingChoice key="clip"/>
        <button id="open-clip-explainer" class="link-button" on:click=move |_| state.clip_explainer.set(true)>
            "What does clipping do to a gradient?"</button>
        <div class="control" class:hidden=move || !clipping_on()>
            <label for="ctl-clip-at">{clip_at.label} {live_badge(clip_at)}</label>
            <input id="ctl-clip-at" type="number" step="any"
                prop:value=clip_at_text
                on:change=move |ev| {
                    set_text(state, "clip_at", &event_target_value(&ev));
                    show_value_in_force(&ev, clip_at_text);
                } />
            <p class="hint">{capitalized(clip_at.help)} " (" {clip_at.allowed()} ")"</p>
        </div>
        <SettingChoice key="optimizer" label_of=optimizer_label/>
        <SettingWhole key="batch_size"/>
        <div class="control">
            <label for="ctl-l2">{l2.label}</label>
            <select id="ctl-l2" on:change=move |ev| set_text(state, "l2", &event_target_value(&ev))
                prop:value=move || l2_value.get()>
                {l2_options}
            </select>
            <p class="hint">{capitalized(l2.help)}</p>
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
