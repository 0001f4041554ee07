//! One line per run: its colour and marker, what sets it apart, its epoch, validation
//! accuracy and verdict; a click selects the run for editing, × removes it.

use leptos::prelude::*;

use crate::engine::diagnose::{diagnose, Verdict};
use crate::web::run_style::run_style;
use crate::web::state::AppState;

#[derive(Clone, PartialEq)]
struct Summary {
    index: usize,
    colour: usize,
    label: String,
    epoch: Option<usize>,
    val_acc: Option<f64>,
    verdict: Verdict,
    /// The diagnosis in one line (shown while presenting, where the diagnosis card folds away).
    headline: String,
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
                    let diagnosis = diagnose(&r.config, r.records());
                    Summary {
                        index: i,
                        colour: r.colour,
                        label: labels[i].clone(),
                        epoch: last.map(|l| l.epoch),
                        val_acc: last
                            .filter(|l| l.epoch >= 1 && l.val_loss.is_finite())
                            .map(|l| l.val_accuracy),
                        verdict: diagnosis.verdict,
                        headline: diagnosis.headline,
                        selected: s.is_comparing() && i == s.selected(),
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let comparing = Signal::derive(move || summaries.with(|s| s.len() > 1));
    // One line per run position, made once: its figures update in place (a line remade every
    // epoch would leave its click handlers behind).
    let count = Memo::new(move |_| summaries.with(Vec::len));
    view! {
        <section class="runs" class:comparing=comparing aria-label="Runs">
            <For each=move || 0..count.get() key=|i| *i let:index>
                <RunLine index=index summaries=summaries comparing=comparing/>
            </For>
        </section>
    }
}

#[component]
fn RunLine(index: usize, summaries: Memo<Vec<Summary>>, comparing: Signal<bool>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let s = Memo::new(move |_| summaries.with(|v| v.get(index).cloned()));
    let field =
        move |f: fn(&Summary) -> String| move || s.with(|s| s.as_ref().map(f).unwrap_or_default());
    let colour = move || s.with(|s| s.as_ref().map_or(0, |s| s.colour));
    view! {
        <div class="run-line" class:selected=move || s.with(|s| s.as_ref().is_some_and(|s| s.selected))
            data-run-summary=index.to_string()
            data-epoch=field(|s| s.epoch.map_or(String::new(), |e| e.to_string()))
            data-val-acc=field(|s| s.val_acc.map_or(String::new(), |a| format!("{a:.4}")))
            data-verdict=field(|s| s.verdict.id().to_string())>
            <button class="run-pick" title="Edit this run's settings"
                on:click=move |_| state.select(index)>
                <span class=move || format!("swatch {}", run_style(colour()).class) aria-hidden="true">{move || run_style(colour()).glyph}</span>
                <b>{format!("Run {}", index + 1)}</b>
                <mark class="differs">{field(|s| s.label.clone())}</mark>
            </button>
            <span class="run-fig run-epoch">"epoch " <b>{field(|s| s.epoch.map_or("–".to_string(), |e| e.to_string()))}</b></span>
            <span class="run-fig">"val acc " <b>{field(|s| s.val_acc.map_or("—".to_string(), |a| format!("{:.1}\u{a0}%", 100.0 * a)))}</b></span>
            <span class=field(|s| format!("chip verdict-chip verdict-{}", s.verdict.id()))>{field(|s| s.verdict.label().to_string())}</span>
            <span class="run-headline" title=field(|s| s.headline.clone())>{field(|s| s.headline.clone())}</span>
            <button class="remove-run" class:hidden=move || !comparing.get() title="Remove this run"
                aria-label=format!("Remove run {}", index + 1)
                on:click=move |_| state.remove(index)>"×"</button>
        </div>
    }
}
