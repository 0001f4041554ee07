//! The page's side of the worker: spawn it, queue commands until it is ready, and hand its
//! messages to the app.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use crate::protocol::{FromWorker, ToWorker};

/// Trunk's loader shim for the worker binary (classic worker, `importScripts`).
const WORKER_URL: &str = "./gradscope-worker_loader.js";

/// The page's end of the line to the worker.
struct Line {
    worker: Option<Worker>,
    /// The worker has loaded and takes commands.
    ready: bool,
    /// Commands sent before it had loaded, in order.
    pending: Vec<ToWorker>,
}

thread_local! {
    static LINE: RefCell<Line> = const {
        RefCell::new(Line {
            worker: None,
            ready: false,
            pending: Vec::new(),
        })
    };
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
            let pending = LINE.with_borrow_mut(|l| {
                l.ready = true;
                std::mem::take(&mut l.pending)
            });
            for cmd in pending {
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
    LINE.with_borrow_mut(|l| l.worker = Some(worker.clone()));
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
    let queued = LINE.with_borrow_mut(|l| {
        if l.ready {
            Some(cmd)
        } else {
            l.pending.push(cmd);
            None
        }
    });
    if let Some(cmd) = queued {
        post(&cmd);
    }
}

fn post(cmd: &ToWorker) {
    let Ok(value) = super::to_js(cmd) else {
        return;
    };
    LINE.with_borrow(|l| {
        if let Some(w) = &l.worker {
            let _ = w.post_message(&value);
        }
    });
}
