//! The script writer: a worker of its own, loaded the first time the code panel opens. The
//! Keras and PyTorch generators are about 17 KB gzipped that most visits never use, so the
//! page does not carry them.
//!
//! A request is `[id, settings text]` (a run's `settings::diff_text` from the default, as the
//! training worker gets it); the reply `[id, keras script, pytorch script]`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::codegen::{keras, pytorch};
use crate::protocol::RunJob;

pub fn start() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let out = scope.clone();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let request = js_sys::Array::from(&ev.data());
        let job = RunJob {
            id: 0,
            config: request.get(1).as_string().unwrap_or_default(),
        };
        let (k, p) = match job.config() {
            Ok(config) => (keras(&config), pytorch(&config)),
            Err(e) => {
                let why = format!("# No script: {e}\n");
                (why.clone(), why)
            }
        };
        let reply = js_sys::Array::of3(&request.get(0), &k.into(), &p.into());
        let _ = out.post_message(&reply);
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    // Messages sent before this handler existed are lost: the page waits for this word.
    let _ = scope.post_message(&JsValue::from_str("ready"));
}
