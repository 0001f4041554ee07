//! The plain-language verdict on the selected run, with the numbers behind it and what to try.

use leptos::prelude::*;

use super::gradients::shown_epoch;
use crate::engine::diagnose::diagnose;
use crate::format::num;
use crate::store::{Run, Store};
use crate::web::state::AppState;

/// Text for HTML markup: `&`, `<`, `>` and `"` as entities.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[component]
pub fn DiagnosisPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The records up to the epoch on screen: the panel describes what the charts show.
    fn shown(s: &Store, view: Option<usize>) -> (&Run, usize) {
        let run = s.selected_run();
        let upto = shown_epoch(s, view).map_or(0, |e| run.records_upto(e).len());
        (run, upto)
    }
    let diagnosis = Memo::new(move |_| {
        state.redraw.track();
        state.store.with(|s| {
            let (run, upto) = shown(s, state.view_epoch.get());
            diagnose(&run.config, &run.records()[..upto])
        })
    });
    let class = move || {
        format!(
            "card diagnosis verdict-{}",
            diagnosis.with(|d| d.verdict.id())
        )
    };
    let whose = move || {
        state.store.with(|s| {
            s.is_comparing()
                .then(|| format!("Run {} — {}", s.selected() + 1, s.labels()[s.selected()]))
        })
    };
    let latest = move || {
        state.redraw.track();
        state.store.with(|s| {
            let (run, upto) = shown(s, state.view_epoch.get());
            upto.checked_sub(1).map(|i| &run.records()[i]).map(|r| {
                let accuracy = if r.val_loss.is_finite() {
                    format!("{:.1}\u{a0}%", 100.0 * r.val_accuracy)
                } else {
                    "—".into()
                };
                format!(
                    "epoch {} · train loss {} · val loss {} · val accuracy {accuracy}",
                    r.epoch,
                    num(r.train_loss),
                    num(r.val_loss),
                )
            })
        })
    };
    // Compare mode: every run's verdict in one line each, at the epoch on screen.
    let verdicts = Memo::new(move |_| {
        state.redraw.track();
        state.store.with(|s| {
            let labels = s.labels();
            let view = shown_epoch(s, state.view_epoch.get());
            s.runs()
                .iter()
                .enumerate()
                .filter(|_| s.is_comparing())
                .map(|(i, r)| {
                    let upto = view.map_or(0, |e| r.records_upto(e).len());
                    let d = diagnose(&r.config, &r.records()[..upto]);
                    (i, labels[i].clone(), d.verdict, d.headline)
                })
                .collect::<Vec<_>>()
        })
    });
    // One string of markup: far less code in the page than a view per line. Labels are the
    // settings' names and values, escaped all the same.
    let verdict_lines = move || {
        verdicts.with(|v| {
            v.iter()
                .map(|(i, label, verdict, headline)| {
                    format!(
                        "<li data-run-verdict=\"{i}\" data-verdict=\"{id}\" title=\"{}\">Run {} ({}): <span class=\"verdict-chip verdict-{id}\">{}</span></li>",
                        escape(headline),
                        i + 1,
                        escape(label),
                        verdict.label(),
                        id = verdict.id()
                    )
                })
                .collect::<String>()
        })
    };
    view! {
        <div class=class id="diagnosis">
            <ul class="run-verdicts" aria-label="Every run's verdict" inner_html=verdict_lines></ul>
            <p class="whose muted">{whose}</p>
            <div class="verdict" id="verdict">{move || diagnosis.with(|d| d.verdict.label())}</div>
            <p class="headline">{move || diagnosis.with(|d| d.headline.clone())}</p>
            <p class="latest muted">{latest}</p>
            <ul class="evidence">
                {move || diagnosis.with(|d| d.evidence.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view())}
            </ul>
            <Show when=move || diagnosis.with(|d| !d.advice.is_empty())>
                <h3>"Try"</h3>
                <ul class="advice">
                    {move || diagnosis.with(|d| d.advice.iter().map(|s| view! { <li data-setting=s.setting.clone()>{s.text.clone()}</li> }).collect_view())}
                </ul>
            </Show>
        </div>
    }
}
