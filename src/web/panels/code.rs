//! The experiment as code: the selected run as a Keras 3 script or a PyTorch script, kept in
//! step with every control, with a copy button. The scripts come from `crate::codegen` (which
//! the tests run with Keras and compare with the engine's first step), written by a worker of
//! their own that the page starts when the panel first opens (`crate::web::code_worker`).

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use crate::engine::config::Config;
use crate::web::dom::copy_to_clipboard;
use crate::web::state::AppState;

/// Trunk's loader shim for the script writer (`crate::web::code_worker`).
const WRITER_URL: &str = "./gradscope-code_loader.js";

/// The script writer, started when the panel first opens. It takes requests once it has
/// loaded (it says "ready"); until then the latest request waits here.
struct Writer {
    worker: Worker,
    ready: bool,
    waiting: Option<js_sys::Array>,
}

thread_local! {
    static WRITER: RefCell<Option<Writer>> = const { RefCell::new(None) };
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Keras,
    PyTorch,
}

impl Lang {
    fn id(self) -> &'static str {
        match self {
            Lang::Keras => "keras",
            Lang::PyTorch => "pytorch",
        }
    }
}

/// Asks the script writer (started on first use) for both scripts of `config`; `reply`
/// receives `[id, keras, pytorch]`.
fn request(
    id: u32,
    config: &Config,
    reply: impl Fn(js_sys::Array) + 'static,
) -> Result<(), String> {
    let text = crate::engine::settings::diff_text(&Config::default(), config);
    let message = js_sys::Array::of2(&JsValue::from(id), &JsValue::from_str(&text));
    WRITER.with_borrow_mut(|w| {
        match w {
            Some(Writer {
                worker,
                ready: true,
                ..
            }) => worker
                .post_message(&message)
                .map_err(|e| format!("{e:?}"))?,
            Some(writer) => writer.waiting = Some(message),
            None => {
                let worker = Worker::new(WRITER_URL).map_err(|e| format!("{e:?}"))?;
                let on_message =
                    Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
                        let data = ev.data();
                        if data.as_string().as_deref() == Some("ready") {
                            let waiting = WRITER.with_borrow_mut(|w| {
                                w.as_mut().and_then(|w| {
                                    w.ready = true;
                                    w.waiting.take().map(|m| (w.worker.clone(), m))
                                })
                            });
                            if let Some((worker, m)) = waiting {
                                let _ = worker.post_message(&m);
                            }
                        } else {
                            reply(js_sys::Array::from(&data))
                        }
                    });
                worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                on_message.forget();
                *w = Some(Writer {
                    worker,
                    ready: false,
                    waiting: Some(message),
                });
            }
        }
        Ok(())
    })
}

#[component]
pub fn CodePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = RwSignal::new(Lang::Keras);
    let status = RwSignal::new(String::new());
    // The scripts are written only while the panel is open (it starts closed: nothing to do
    // before the first chart, nor on every change of a control nobody is reading).
    let open = RwSignal::new(false);
    let config = Memo::new(move |_| state.store.with(|s| s.selected_run().config.clone()));
    let keras = RwSignal::new(String::new());
    let pytorch = RwSignal::new(String::new());
    // The latest request: an older reply that arrives late is dropped.
    let latest = StoredValue::new(0u32);
    Effect::new(move |_| {
        if !open.get() {
            return;
        }
        let id = latest.get_value().wrapping_add(1);
        latest.set_value(id);
        // Until the first reply (the writer loads on first use), say so rather than show
        // an empty box.
        for script in [keras, pytorch] {
            if script.with_untracked(String::is_empty) {
                script.set("# Writing the script…\n".into());
            }
        }
        let sent = config.with(|c| {
            request(id, c, move |reply| {
                if reply.get(0).as_f64() == Some(f64::from(latest.get_value())) {
                    keras.set(reply.get(1).as_string().unwrap_or_default());
                    pytorch.set(reply.get(2).as_string().unwrap_or_default());
                }
            })
        });
        if let Err(e) = sent {
            let why =
                format!("# The script writer could not start ({e}): serve the app over http.\n");
            keras.set(why.clone());
            pytorch.set(why);
        }
    });
    // A new script clears the last "Copied".
    Effect::new(move |_| {
        config.track();
        lang.track();
        status.set(String::new());
    });
    let whose = move || {
        state.store.with(|s| {
            s.is_comparing()
                .then(|| format!("Run {} — {}. ", s.selected() + 1, s.labels()[s.selected()]))
        })
    };
    let tab = move |l: Lang, text: &'static str| {
        view! {
            <button id=format!("code-tab-{}", l.id()) role="tab"
                aria-selected=move || (lang.get() == l).to_string()
                class:active=move || lang.get() == l
                on:click=move |_| lang.set(l)>{text}</button>
        }
    };
    view! {
        <details class="card code-panel" id="code-panel"
            on:toggle=move |ev| open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))>
            <summary>"The same experiment in Keras or PyTorch"</summary>
            <div class="chart-head">
                <div class="segmented" role="tablist" aria-label="Language">
                    {tab(Lang::Keras, "Keras 3")}
                    {tab(Lang::PyTorch, "PyTorch")}
                </div>
                <button id="code-copy" on:click=move |_| {
                    let text = match lang.get_untracked() {
                        Lang::Keras => keras.get_untracked(),
                        Lang::PyTorch => pytorch.get_untracked(),
                    };
                    copy_to_clipboard(&text, move |ok| status.set(if ok {
                        "Copied to the clipboard.".into()
                    } else {
                        "The browser refused the clipboard: select the code and copy it.".into()
                    }));
                }>"Copy code"</button>
                <span class="muted" id="code-status" role="status">{move || status.get()}</span>
            </div>
            <p class="hint">{whose} "This script builds and trains the network on screen: same layers, initializer, activation, batch norm, clipping, optimizer, L2, batch size and epochs. The data split and the shuffling use the library's random numbers, so its figures differ from the app's by chance, not by method."</p>
            <pre class="code" data-code="keras" tabindex="0" aria-label="Keras code" class:hidden=move || lang.get() != Lang::Keras><code>{move || keras.get()}</code></pre>
            <pre class="code" data-code="pytorch" tabindex="0" aria-label="PyTorch code" class:hidden=move || lang.get() != Lang::PyTorch><code>{move || pytorch.get()}</code></pre>
        </details>
    }
}
