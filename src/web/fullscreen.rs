//! The Fullscreen API, without unhandled promise rejections (a browser may refuse full screen,
//! e.g. without a user gesture; the app then simply stays in its window).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

pub fn is_on() -> bool {
    document().is_some_and(|d| d.fullscreen_element().is_some())
}

/// Calls `target.method()` and swallows a rejected promise.
fn call_quietly(target: &JsValue, method: &str) {
    let Ok(f) = js_sys::Reflect::get(target, &JsValue::from_str(method)) else {
        return;
    };
    let Some(f) = f.dyn_ref::<js_sys::Function>() else {
        return;
    };
    if let Ok(result) = f.call0(target) {
        // `promise.catch(() => {})`, through reflection (no typed promise needed).
        if let Ok(catch) = js_sys::Reflect::get(&result, &JsValue::from_str("catch")) {
            if let Some(catch) = catch.dyn_ref::<js_sys::Function>() {
                let _ = catch.call1(&result, &Closure::once_into_js(|_: JsValue| {}));
            }
        }
    }
}

pub fn enter() {
    if let Some(root) = document().and_then(|d| d.document_element()) {
        if !is_on() {
            call_quietly(&root, "requestFullscreen");
        }
    }
}

pub fn exit() {
    if let Some(d) = document() {
        if is_on() {
            call_quietly(&d, "exitFullscreen");
        }
    }
}

pub fn toggle() {
    if is_on() {
        exit()
    } else {
        enter()
    }
}
