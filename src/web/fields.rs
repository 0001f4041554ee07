//! Form fields bound to a row of the settings table: the label, the hint, the choices and the
//! limits all come from the table, and the value is the selected run's.

use leptos::prelude::*;

use super::state::AppState;
use crate::engine::config::setting;
use crate::engine::settings::{Setting, Value};

/// The selected run's value of a setting, as text. A memo: it changes only when the value
/// does, so a field being typed into is not overwritten each time a record arrives.
pub fn value_text(state: AppState, key: &'static str) -> Signal<String> {
    let s = setting(key);
    Memo::new(move |_| state.store.with(|st| s.text(&st.selected_run().config))).into()
}

/// Sets a setting of the selected run from text; what the table refuses is reported.
pub fn set_text(state: AppState, key: &'static str, text: &str) {
    let s = setting(key);
    match s.parse(text) {
        Ok(v) => state.change(|c| (s.set)(c, v)),
        Err(e) => state.error.set(Some(format!("{}: {e}", s.label()))),
    }
}

/// "live" beside a setting that changes the running network.
pub fn live_badge(s: &Setting) -> impl IntoView {
    s.live
        .then(|| view! { <span class="live" title="changes the running network">"live"</span> })
}

/// A labelled drop-down over a choice setting; `label_of` names each choice on screen.
#[component]
pub fn SettingChoice(
    key: &'static str,
    #[prop(optional)] label_of: Option<fn(&str) -> String>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let s = setting(key);
    let value = value_text(state, key);
    let id = format!("ctl-{}", key.replace('_', "-"));
    let options = s
        .choices()
        .into_iter()
        .map(|v| {
            let text = label_of.map_or_else(|| v.to_string(), |f| f(v));
            view! { <option value=v selected=move || value.get() == v>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="control">
            <label for=id.clone()>{s.label()} {live_badge(s)}</label>
            <select id=id
                on:change=move |ev| set_text(state, key, &event_target_value(&ev))
                prop:value=move || value.get()>
                {options}
            </select>
            <p class="hint">{capitalized(s.help())}</p>
        </div>
    }
}

/// A labelled whole-number field: out-of-range input takes the nearest allowed value (and
/// says so); text that is not a number is refused.
#[component]
pub fn SettingWhole(key: &'static str) -> impl IntoView {
    let state = expect_context::<AppState>();
    let s = setting(key);
    let (min, max) = s.range();
    let value = value_text(state, key);
    let id = format!("ctl-{}", key.replace('_', "-"));
    let on_change = move |ev| {
        let text = event_target_value(&ev);
        // A whole number in range is taken exactly (a seed may need all 64 bits); only other
        // numbers go through f64 to be clamped.
        if let Ok(v) = s.parse(&text) {
            state.change(|c| (s.set)(c, v));
            show_value_in_force(&ev, value);
            return;
        }
        match crate::format::parse_number(text.trim()) {
            Some(v) if v.is_finite() => {
                let clamped = s.clamp(v);
                state.change(|c| (s.set)(c, clamped));
                if let Value::Whole(n) = clamped {
                    if n as f64 != v {
                        state.error.set(Some(format!(
                            "{} takes {}: using {n}.",
                            s.label(),
                            s.allowed()
                        )));
                    }
                }
            }
            _ => state.error.set(Some(format!(
                "{}: '{text}' is not a number; enter {}.",
                s.label(),
                s.allowed()
            ))),
        }
        show_value_in_force(&ev, value);
    };
    view! {
        <div class="control">
            <label for=id.clone()>{s.label()} {live_badge(s)}</label>
            <input id=id type="number" min=min max=max step="1" inputmode="numeric"
                prop:value=move || value.get() on:change=on_change />
            <p class="hint">{capitalized(s.help())}</p>
        </div>
    }
}

/// Puts the value in force back into the field (a refused or clamped entry is replaced; the
/// memo behind `prop:value` does not fire when the value did not change).
pub fn show_value_in_force(ev: &leptos::ev::Event, value: Signal<String>) {
    let input = event_target::<web_sys::HtmlInputElement>(ev);
    input.set_value(&value.get_untracked());
}

/// The table's help lines start in lower case (they follow a flag in `--help`).
pub fn capitalized(text: &str) -> String {
    // ASCII only: the help lines are English, and Unicode case tables would add ~12 KB.
    let mut c = text.chars();
    c.next()
        .map(|f| std::iter::once(f.to_ascii_uppercase()).chain(c).collect())
        .unwrap_or_default()
}
