//! Keyboard: Space play/pause, → or S one step, E one epoch, R reset, N new weights,
//! M switch the gradient measure, C compare. They act on every run. Ignored while typing in a
//! field.

use leptos::prelude::*;

use super::state::AppState;
use crate::url_state::GradMetric;

pub fn on_key(state: AppState, ev: web_sys::KeyboardEvent) {
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return;
    }
    let tag = ev
        .target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        .map(|el| el.tag_name())
        .unwrap_or_default();
    // Typing in a field, or Space/Enter on a focused button (the button handles it itself).
    let key = ev.key();
    if matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA")
        || (tag == "BUTTON" && matches!(key.as_str(), " " | "Enter"))
    {
        return;
    }
    let handled = match key.as_str() {
        " " | "k" => {
            state.play_pause();
            true
        }
        "ArrowRight" | "s" => {
            state.step();
            true
        }
        "e" => {
            state.epoch();
            true
        }
        "r" => {
            state.reset(false);
            true
        }
        "n" => {
            state.reset(true);
            true
        }
        "c" => {
            state.compare();
            true
        }
        "m" => {
            state.metric.update(|m| {
                *m = match m {
                    GradMetric::GradNorm => GradMetric::DeltaRms,
                    GradMetric::DeltaRms => GradMetric::GradNorm,
                }
            });
            true
        }
        _ => false,
    };
    if handled {
        ev.prevent_default();
    }
}
