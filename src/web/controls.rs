//! The configuration panel: every control labelled, each with a line on what it does to
//! the gradients.

use leptos::prelude::*;

use super::app::AppState;
use crate::engine::activation::{Activation, LEAKY_SLOPE};
use crate::engine::clip::Clipping;
use crate::engine::config::{Config, LR_RANGE};
use crate::engine::data::DatasetKind;
use crate::engine::init::Initializer;
use crate::engine::network::BatchNormPlacement;
use crate::engine::optim::OptimizerKind;
use crate::format::num;
use crate::presets::PRESETS;
use crate::protocol::{Speed, ToWorker};

/// A labelled drop-down.
#[component]
fn Choice(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    options: Vec<(String, String)>,
    #[prop(into)] value: Signal<String>,
    on_pick: Callback<String>,
    #[prop(optional)] live: bool,
) -> impl IntoView {
    view! {
        <div class="control">
            <label for=id>
                {label}
                {live.then(|| view! { <span class="live" title="changes the running network">"live"</span> })}
            </label>
            <select
                id=id
                on:change=move |ev| on_pick.run(event_target_value(&ev))
                prop:value=move || value.get()
            >
                {options
                    .into_iter()
                    .map(|(v, text)| {
                        let v2 = v.clone();
                        view! {
                            <option value=v selected=move || value.get() == v2>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="hint">{hint}</p>
        </div>
    }
}

/// A labelled whole-number field; out-of-range input is refused with a message.
#[component]
fn Whole(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    min: usize,
    max: usize,
    #[prop(into)] value: Signal<usize>,
    on_set: Callback<usize>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <div class="control">
            <label for=id>{label}</label>
            <input
                id=id
                type="number"
                min=min
                max=max
                step="1"
                inputmode="numeric"
                prop:value=move || value.get().to_string()
                on:change=move |ev| {
                    let text = event_target_value(&ev);
                    match text.trim().parse::<f64>() {
                        Ok(v) if v.is_finite() => {
                            // Out of range: take the nearest allowed value, and say so.
                            let clamped = v.round().clamp(min as f64, max as f64) as usize;
                            on_set.run(clamped);
                            state.config.update(|_| {});
                            // After the change (which clears old messages), say what happened.
                            if clamped as f64 != v {
                                state.error.set(Some(format!(
                                    "{label} takes a whole number from {min} to {max}: using {clamped}."
                                )));
                            }
                        }
                        _ => {
                            state.error.set(Some(format!(
                                "{label}: '{text}' is not a number; enter one from {min} to {max}."
                            )));
                            // Show the value still in force.
                            state.config.update(|_| {});
                        }
                    }
                }
            />
            <p class="hint">{hint}</p>
        </div>
    }
}

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter()
        .map(|&v| (name(v).to_string(), name(v).to_string()))
        .collect()
}

/// The usual batch sizes, plus the one in force if a link asked for another.
fn batch_options(current: usize) -> Vec<(String, String)> {
    let mut sizes = vec![1usize, 8, 16, 32, 64, 128, 256, 512];
    if !sizes.contains(&current) {
        sizes.push(current);
        sizes.sort_unstable();
    }
    sizes
        .iter()
        .map(|b| (b.to_string(), b.to_string()))
        .collect()
}

fn init_label(i: Initializer) -> String {
    match i {
        Initializer::GlorotUniform => "glorot_uniform (Xavier)".into(),
        Initializer::GlorotNormal => "glorot_normal (Xavier)".into(),
        Initializer::Small => "small (normal, sd 0.01)".into(),
        Initializer::Large => "large (normal, sd 1)".into(),
        other => other.name().to_string(),
    }
}

fn activation_label(a: Activation) -> String {
    match a {
        Activation::LeakyRelu => format!("leaky_relu (slope {LEAKY_SLOPE})"),
        other => other.name().to_string(),
    }
}

#[component]
pub fn Controls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let cfg = state.config;
    let get = move |f: fn(&Config) -> String| Signal::derive(move || cfg.with(f));
    let set =
        move |f: fn(&mut Config, &str)| Callback::new(move |v: String| state.change(|c| f(c, &v)));

    let preset = state.lesson;
    let pick_preset = Callback::new(move |id: String| {
        if let Some(p) = crate::presets::find(&id) {
            preset.set(id);
            // A lesson is always a fresh run with exactly its settings, even when only
            // "live" settings differ from the run on screen.
            state.load((p.config)());
        }
    });
    let preset_watch = move || {
        crate::presets::find(&preset.get())
            .map(|p| p.watch)
            .unwrap_or("")
    };

    // Learning rate on a log slider: position = log10(lr).
    let lr_pos = move || cfg.with(|c| c.lr.log10()).to_string();
    let on_lr = move |ev| {
        if let Ok(p) = event_target_value(&ev).parse::<f64>() {
            let lr = 10f64.powf(p);
            // Round to 2 significant digits so links and labels stay readable.
            let lr = format!("{lr:.1e}").parse::<f64>().unwrap_or(lr);
            state.change(|c| c.lr = lr.clamp(LR_RANGE.0, LR_RANGE.1));
        }
    };

    let clip_value = move || {
        cfg.with(|c| c.clipping.threshold().unwrap_or(1.0))
            .to_string()
    };
    let on_clip_at = move |ev| match event_target_value(&ev).trim().parse::<f64>() {
        Ok(t) if t.is_finite() && t > 0.0 && t <= 1e6 => state.change(|c| {
            c.clipping = Clipping::from_parts(c.clipping.mode_name(), t).unwrap_or_default()
        }),
        _ => {
            state.error.set(Some(
                "Clipping threshold: enter a number above 0 (at most 1e6).".into(),
            ));
            cfg.update(|_| {});
        }
    };

    let is_toy = move || cfg.with(|c| c.dataset.is_toy());
    let clipping_on = move || cfg.with(|c| c.clipping != Clipping::Off);

    view! {
        <h2 class="panel-title">"Experiment"</h2>
        <Choice
            id="ctl-preset"
            label="Lesson"
            hint="Load a ready-made experiment; then change one thing at a time."
            options=std::iter::once((String::new(), "— choose a lesson —".to_string()))
                .chain(PRESETS.iter().map(|p| (p.id.to_string(), p.title.to_string())))
                .collect()
            value=Signal::derive(move || preset.get())
            on_pick=pick_preset
        />
        <p class="watch" class:hidden=move || preset_watch().is_empty()>
            "Watch: " {preset_watch}
        </p>

        <h2 class="panel-title">"Network"</h2>
        <Whole
            id="ctl-depth"
            label="Depth (hidden layers)"
            hint="Each layer multiplies the gradient once more on its way back."
            min=1
            max=100
            value=Signal::derive(move || cfg.with(|c| c.depth))
            on_set=Callback::new(move |v| state.change(|c| c.depth = v))
        />
        <Whole
            id="ctl-width"
            label="Width (units per layer)"
            hint="Sets the fan-in and fan-out that scale the initial weights."
            min=2
            max=512
            value=Signal::derive(move || cfg.with(|c| c.width))
            on_set=Callback::new(move |v| state.change(|c| c.width = v))
        />
        <Choice
            id="ctl-init"
            label="Weight initializer"
            hint="The starting weight variance: too small shrinks the signal layer by layer, too large amplifies it."
            options=Initializer::ALL.iter().map(|&i| (i.name().to_string(), init_label(i))).collect()
            value=get(|c| c.init.name().into())
            on_pick=set(|c, v| c.init = Initializer::from_name(v).unwrap_or(c.init))
        />
        <Choice
            id="ctl-activation"
            label="Activation"
            hint="Its slope multiplies the gradient at every layer (sigmoid's is at most 0.25)."
            options=Activation::ALL.iter().map(|&a| (a.name().to_string(), activation_label(a))).collect()
            value=get(|c| c.activation.name().into())
            on_pick=set(|c, v| c.activation = Activation::from_name(v).unwrap_or(c.activation))
        />
        <Choice
            id="ctl-bn"
            label="Batch normalization"
            hint="Re-centres and re-scales every layer's values on each batch, before or after the activation."
            options=vec![
                ("none".into(), "off".into()),
                ("before".into(), "before the activation".into()),
                ("after".into(), "after the activation".into()),
            ]
            value=get(|c| c.batch_norm.name().into())
            on_pick=set(|c, v| c.batch_norm = BatchNormPlacement::from_name(v).unwrap_or(c.batch_norm))
        />

        <h2 class="panel-title">"Training"</h2>
        <div class="control">
            <label for="ctl-lr">
                "Learning rate " <span class="value" id="lr-value">{move || num(cfg.with(|c| c.lr))}</span>
                <span class="live" title="changes the running network">"live"</span>
            </label>
            <input id="ctl-lr" type="range" min="-4" max="1" step="0.1"
                prop:value=lr_pos on:change=on_lr />
            <p class="hint">"The step size, 1e-4 to 10 on a log scale. Too large and the weights overshoot."</p>
        </div>
        <Choice
            id="ctl-clip"
            label="Gradient clipping"
            hint="Caps the gradient before each update: each element (clipvalue), each variable's norm, or all together."
            options=Clipping::MODES.iter().map(|m| (m.to_string(), m.to_string())).collect()
            value=get(|c| c.clipping.mode_name().into())
            on_pick=set(|c, v| {
                let t = c.clipping.threshold().unwrap_or(1.0);
                c.clipping = Clipping::from_parts(v, t).unwrap_or(c.clipping);
            })
            live=true
        />
        <div class="control" class:hidden=move || !clipping_on()>
            <label for="ctl-clip-at">"Clipping threshold"</label>
            <input id="ctl-clip-at" type="number" min="0" step="any"
                prop:value=clip_value on:change=on_clip_at />
        </div>
        <Choice
            id="ctl-optimizer"
            label="Optimizer"
            hint="SGD follows the gradient; momentum (0.9) and Adam smooth and rescale it."
            options=vec![
                ("sgd".into(), "SGD".into()),
                ("momentum".into(), "SGD + momentum 0.9".into()),
                ("adam".into(), "Adam".into()),
            ]
            value=get(|c| c.optimizer.name().into())
            on_pick=set(|c, v| c.optimizer = OptimizerKind::from_name(v).unwrap_or(c.optimizer))
        />
        <Choice
            id="ctl-batch"
            label="Batch size"
            hint="Samples per step; smaller batches give noisier gradients."
            options=batch_options(cfg.with_untracked(|c| c.batch_size))
            value=get(|c| c.batch_size.to_string())
            on_pick=set(|c, v| c.batch_size = v.parse().unwrap_or(c.batch_size))
        />
        <Choice
            id="ctl-l2"
            label="L2 penalty λ"
            hint="Adds λ·Σw² to the loss, pulling weights toward zero."
            options=["0", "1e-5", "1e-4", "1e-3", "1e-2"].iter().map(|v| (v.to_string(), v.to_string())).collect()
            value=get(|c| if c.l2 == 0.0 { "0".into() } else { format!("{:e}", c.l2) })
            on_pick=set(|c, v| c.l2 = v.parse().unwrap_or(c.l2))
        />
        <Whole
            id="ctl-epochs"
            label="Epochs"
            hint="Passes over the training set; epoch 0 is the network as initialized."
            min=0
            max=1000
            value=Signal::derive(move || cfg.with(|c| c.epochs))
            on_set=Callback::new(move |v| state.change(|c| c.epochs = v))
        />
        <h2 class="panel-title">"Data"</h2>
        <Choice
            id="ctl-dataset"
            label="Dataset"
            hint="digits: 8×8 handwritten digits, 10 classes. The others: two-class 2-D puzzles."
            options=names(&DatasetKind::ALL, DatasetKind::name)
            value=get(|c| c.dataset.name().into())
            on_pick=set(|c, v| c.dataset = DatasetKind::from_name(v).unwrap_or(c.dataset))
        />
        <div class="control" class:hidden=move || !is_toy()>
            <label for="ctl-noise">"Noise " <span class="value">{move || num(cfg.with(|c| c.noise))}</span></label>
            <input id="ctl-noise" type="range" min="0" max="1" step="0.05"
                prop:value=move || cfg.with(|c| c.noise).to_string()
                on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                        state.change(|c| c.noise = v.clamp(0.0, 1.0));
                    }
                }
            />
            <p class="hint">"Jitter added to the 2-D points: harder to separate."</p>
        </div>

        <h2 class="panel-title">"Run"</h2>
        <Whole
            id="ctl-seed"
            label="Seed"
            hint="Fixes the initial weights and the data order: the same seed replays the same run."
            min=0
            max=1_000_000_000
            value=Signal::derive(move || cfg.with(|c| c.seed as usize))
            on_set=Callback::new(move |v| state.change(|c| {
                c.seed = v as u64;
                c.init_seed = v as u64;
            }))
        />
        <Choice
            id="ctl-speed"
            label="Speed"
            hint="Slow shows each step; fast trains as quickly as this machine can."
            options=Speed::ALL.iter().map(|s| (s.name().to_string(), s.name().to_string())).collect()
            value=Signal::derive(move || state.speed.get().name().to_string())
            on_pick=Callback::new(move |v: String| {
                if let Some(speed) = Speed::from_name(&v) {
                    state.speed.set(speed);
                    super::client::send(ToWorker::SetSpeed { speed });
                    state.sync_url();
                }
            })
        />
    }
}
