//! The experiment as code: the selected run as a Keras 3 script or a PyTorch script, kept in
//! step with every control, with a copy button. The scripts come from `crate::codegen`, which
//! the tests run with Keras (and compare with the engine's first step).

use leptos::prelude::*;

use crate::codegen;
use crate::web::dom::copy_to_clipboard;
use crate::web::state::AppState;

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

#[component]
pub fn CodePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = RwSignal::new(Lang::Keras);
    let status = RwSignal::new(String::new());
    // The scripts are written only while the panel is open (it starts closed: nothing to do
    // before the first chart, nor on every change of a control nobody is reading).
    let open = RwSignal::new(false);
    let config = Memo::new(move |_| state.store.with(|s| s.selected_run().config.clone()));
    let script = move |write: fn(&crate::engine::config::Config) -> String| {
        Memo::new(move |_| {
            if open.get() {
                config.with(write)
            } else {
                String::new()
            }
        })
    };
    let keras = script(codegen::keras);
    let pytorch = script(codegen::pytorch);
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
