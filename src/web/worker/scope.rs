//! The worker's global scope: its clock and its one way out, the message to the page.

use wasm_bindgen::JsCast;
use web_sys::DedicatedWorkerGlobalScope;

use crate::protocol::FromWorker;

pub fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Milliseconds on the worker's clock.
pub fn now_ms() -> f64 {
    scope()
        .performance()
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// Sends a message to the page.
pub fn post(msg: &FromWorker) {
    match crate::web::to_js(msg) {
        Ok(v) => {
            let _ = scope().post_message(&v);
        }
        Err(e) => web_sys::console::error_1(&format!("gradscope worker: {e}").into()),
    }
}
