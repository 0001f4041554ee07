//! On a phone, the charts and the settings are two tabs at the bottom of the screen, one tap
//! apart (on wider screens they sit side by side and the tabs are not shown).

use leptos::prelude::*;

use crate::web::state::AppState;

#[component]
pub fn PhoneTabs() -> impl IntoView {
    let state = expect_context::<AppState>();
    let open = state.settings_open;
    let show = move |settings: bool| {
        move |_| {
            open.set(settings);
            if let Some(w) = web_sys::window() {
                w.scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
    };
    view! {
        <nav class="phone-tabs" aria-label="Show">
            <button id="tab-charts" class:active=move || !open.get() aria-pressed=move || (!open.get()).to_string()
                on:click=show(false)>"Charts"</button>
            <button id="tab-settings" class:active=move || open.get() aria-pressed=move || open.get().to_string()
                on:click=show(true)>"Settings"</button>
        </nav>
    }
}
