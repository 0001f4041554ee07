//! Small browser helpers shared by the components: time, frames, focus, icons.

use leptos::prelude::*;

/// A named moment on the page's performance timeline (read by the benchmark: where load
/// time goes).
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// When `name` was first marked (ms from navigation start), if it was.
pub fn marked_at(name: &str) -> Option<f64> {
    let p = web_sys::window()?.performance()?;
    let first = p.get_entries_by_name(name).get(0);
    js_sys::Reflect::get(&first, &"startTime".into())
        .ok()?
        .as_f64()
}

/// Marks `name` unless it is already on the timeline (a first-time event).
pub fn mark_once(name: &str) {
    if marked_at(name).is_none() {
        mark(name);
    }
}

pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The page's query string, with its '?'.
pub fn query_string() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The page's fragment, with its '#' (a shared lesson travels in it).
pub fn hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Replaces the address bar's query (the same experiment, adjusted).
pub fn replace_query(query: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(query));
    }
}

/// Puts a new entry in the browser's history (another experiment: Back returns to this one).
pub fn push_query(query: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(query));
    }
}

/// Takes the keyboard focus off whatever has it, back to the page (Space then plays).
pub fn blur_focus() {
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    if let Some(el) =
        active.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        let _ = el.blur();
    }
}

/// Runs `f` `n` animation frames from now (charts draw in frames of their own).
pub fn after_frames(n: usize, f: impl FnOnce() + 'static) {
    if n == 0 {
        f();
    } else {
        request_animation_frame(move || after_frames(n - 1, f));
    }
}

/// A 24×24 SVG icon in the text colour.
pub fn icon(path: &'static str) -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
            <path d=path fill="currentColor"/>
        </svg>
    }
}

/// Writes text to the clipboard, then calls `done` with whether the browser accepted it (a
/// page without the Clipboard API, or a refusal, gives false).
pub fn copy_to_clipboard(text: &str, done: impl FnOnce(bool) + 'static) {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return done(false);
    };
    let has_clipboard =
        js_sys::Reflect::get(&navigator, &wasm_bindgen::JsValue::from_str("clipboard"))
            .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !has_clipboard {
        return done(false);
    }
    let promise = navigator.clipboard().write_text(text);
    leptos::task::spawn_local(async move {
        done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
    });
}
