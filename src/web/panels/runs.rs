//! One line per run: its colour and marker, what sets it apart, its epoch, validation
//! accuracy and verdict; a click selects the run for editing, × removes it.

use leptos::prelude::*;

use crate::engine::diagnose::{diagnose, Verdict};
use crate::web::state::AppState;

/// The marker each run's curves carry, as text for the legend.
pub const MARKER_GLYPHS: [&str; 4] = ["●", "■", "▲", "✚"];

#[derive(Clone, PartialEq)]
struct Summary {
    index: usize,
    colour: usize,
    label: String,
    epoch: Option<usize>,
    val_acc: Option<f64>,
    verdict: Verdict,
    selected: bool,
}

#[component]
pub fn RunSummaries() -> impl IntoView {
    let state = expect_context::<AppState>();
    let summaries = Memo::new(move |_| {
        state.redraw.track();
        state.store.with(|s| {
            let labels = s.labels();
            s.runs()
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let last = r.records().last();
                    Summary {
                        index: i,
                        colour: r.colour,
                        label: labels[i].clone(),
                        epoch: last.map(|l| l.epoch),
                        val_acc: last
                            .filter(|l| l.epoch >= 1 && l.val_loss.is_finite())
                            .map(|l| l.val_accuracy),
                        verdict: diagnose(&r.config, r.records()).verdict,
                        selected: s.is_comparing() && i == s.selected(),
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let comparing = move || summaries.with(|s| s.len() > 1);
    view! {
        <section class="runs" class:comparing=comparing aria-label="Runs">
            <For each=move || summaries.get() key=|s| format!("{}|{}|{:?}|{:?}|{}|{:?}", s.index, s.label, s.epoch, s.val_acc, s.selected, s.verdict) let:s>
                <RunLine s=s comparing=Signal::derive(comparing)/>
            </For>
        </section>
    }
}

#[component]
fn RunLine(s: Summary, comparing: Signal<bool>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let index = s.index;
    let acc_text = s
        .val_acc
        .map_or("—".to_string(), |a| format!("{:.1} %", 100.0 * a));
    let epoch_text = s.epoch.map_or("–".to_string(), |e| e.to_string());
    let label = s.label.clone();
    view! {
        <div class="run-line" class:selected=s.selected
            data-run-summary=index.to_string()
            data-epoch=s.epoch.map_or(String::new(), |e| e.to_string())
            data-val-acc=s.val_acc.map_or(String::new(), |a| format!("{a:.4}"))
            data-verdict=s.verdict.id()>
            <button class="run-pick" title="Edit this run's settings"
                on:click=move |_| state.select(index)>
                <span class=format!("swatch run-{}", s.colour) aria-hidden="true">{MARKER_GLYPHS[s.colour % 4]}</span>
                <b>{format!("Run {}", index + 1)}</b>
                <mark class="differs">{label}</mark>
            </button>
            <span class="run-fig">"epoch " <b>{epoch_text}</b></span>
            <span class="run-fig">"val acc " <b>{acc_text}</b></span>
            <span class=format!("chip verdict-chip verdict-{}", s.verdict.id())>{s.verdict.label()}</span>
            <Show when=move || comparing.get()>
                <button class="remove-run" title="Remove this run" aria-label=format!("Remove run {}", index + 1)
                    on:click=move |_| state.remove(index)>"×"</button>
            </Show>
        </div>
    }
}
