//! The list of keyboard shortcuts (opened with ? or the Keys button; closed with Esc, ?, the
//! close button or a click outside). Generated from the shortcut table, so it never drifts.

use leptos::html::Button;
use leptos::prelude::*;

use crate::web::keys::SHORTCUTS;
use crate::web::state::AppState;

#[component]
pub fn ShortcutHelp() -> impl IntoView {
    let state = expect_context::<AppState>();
    let close_ref = NodeRef::<Button>::new();
    // Focus moves into the dialog when it opens, and back to the page itself when it closes
    // (not to the ? button, where the next Space would open the list again instead of playing).
    Effect::new(move |was_open: Option<bool>| {
        let open = state.help_open.get();
        if open {
            if let Some(button) = close_ref.get() {
                let _ = button.focus();
            }
        } else if was_open == Some(true) {
            crate::web::dom::blur_focus();
        }
        open
    });
    view! {
        <div class="overlay" class:hidden=move || !state.help_open.get()
            on:click=move |ev| {
                // A click on the backdrop (not inside the dialog) closes it.
                if ev.target() == ev.current_target() {
                    state.help_open.set(false);
                }
            }>
            <div class="dialog card" id="shortcut-help" role="dialog" aria-modal="true" aria-labelledby="shortcut-title"
                on:keydown=move |ev| {
                    // The close button is the dialog's only stop: Tab stays on it.
                    if ev.key() == "Tab" {
                        ev.prevent_default();
                    }
                }>
                <div class="dialog-head">
                    <h2 id="shortcut-title">"Keyboard shortcuts"</h2>
                    <button id="help-close" node_ref=close_ref aria-label="Close the list of keys"
                        on:click=move |_| state.help_open.set(false)>"Close (Esc)"</button>
                </div>
                <p class="muted">"They act on every run, from anywhere on the page — except while you type in a field."</p>
                <table class="keys">
                    <tbody>
                        {SHORTCUTS.iter().map(|s| view! {
                            <tr data-action=format!("{:?}", s.action)>
                                <th scope="row"><kbd>{s.shown}</kbd></th>
                                <td>{s.what}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}
