//! The page's side of the worker: spawn it, queue commands until it is ready, and hand its
//! messages to the app.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use crate::protocol::{FromWorker, ToWorker};

/// Trunk's loader shim for the worker binary (classic worker, `importScripts`).
const WORKER_URL: &str = "./gradscope-worker_loader.js";

thread_local! {
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
    static READY: RefCell<bool> = const { RefCell::new(false) };
    static PENDING: RefCell<Vec<ToWorker>> = const { RefCell::new(Vec::new()) };
}

/// The worker `index.html` started before the page's WebAssembly loaded, and the messages it
/// has sent since, and its load error if it already failed (None if the page was loaded
/// without that script).
fn early_worker() -> Option<(Worker, Vec<JsValue>, Option<String>)> {
    let global = js_sys::global();
    let early = js_sys::Reflect::get(&global, &JsValue::from_str("gradscopeWorker")).ok()?;
    let worker: Worker = js_sys::Reflect::get(&early, &JsValue::from_str("worker"))
        .ok()?
        .dyn_into()
        .ok()?;
    let messages: js_sys::Array = js_sys::Reflect::get(&early, &JsValue::from_str("early"))
        .ok()?
        .dyn_into()
        .ok()?;
    let failed = js_sys::Reflect::get(&early, &JsValue::from_str("failed"))
        .ok()
        .and_then(|f| f.as_string());
    Some((worker, messages.iter().collect(), failed))
}

/// Starts the worker (or adopts the one `index.html` started); `on_message` receives
/// everything it says.
pub fn spawn(on_message: impl Fn(FromWorker) + 'static) -> Result<(), String> {
    let (worker, early, failed) = match early_worker() {
        Some(found) => found,
        None => (
            Worker::new(WORKER_URL)
                .map_err(|e| format!("cannot start the training worker: {e:?}"))?,
            Vec::new(),
            None,
        ),
    };
    let on_message = std::rc::Rc::new(on_message);
    let report = on_message.clone();
    let receive = move |data: JsValue| match serde_wasm_bindgen::from_value::<FromWorker>(data) {
        Ok(FromWorker::Ready) => {
            super::dom::mark("gradscope:worker-ready");
            READY.with_borrow_mut(|r| *r = true);
            for cmd in PENDING.with_borrow_mut(std::mem::take) {
                post(&cmd);
            }
            on_message(FromWorker::Ready);
        }
        Ok(msg) => on_message(msg),
        Err(e) => on_message(FromWorker::Error {
            message: format!("unreadable message from the worker: {e}"),
        }),
    };
    // Nothing can arrive between the replay and the new handler: the page is single-threaded.
    WORKER.with_borrow_mut(|w| *w = Some(worker.clone()));
    for data in early {
        receive(data);
    }
    let handler =
        Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| receive(ev.data()));
    worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    // A worker that cannot load (a missing file, a page opened from file://) must say so.
    let stopped = move |why: String| {
        report(FromWorker::Error {
            message: format!(
                "The training worker stopped or could not start ({why}). Serve the app over http (see README) and reload."
            ),
        })
    };
    if let Some(why) = failed {
        stopped(why);
    }
    let on_error =
        Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
            stopped(ev.message())
        });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Ok(())
}

/// Sends a command (queued until the worker has loaded).
pub fn send(cmd: ToWorker) {
    if READY.with_borrow(|r| *r) {
        post(&cmd);
    } else {
        PENDING.with_borrow_mut(|p| p.push(cmd));
    }
}

fn post(cmd: &ToWorker) {
    let Ok(value) = super::to_js(cmd) else {
        return;
    };
    WORKER.with_borrow(|w| {
        if let Some(w) = w {
            let _ = w.post_message(&value);
        }
    });
}
