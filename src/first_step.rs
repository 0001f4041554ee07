//! A run's first training step, written out so another framework can redo it: the initial
//! weights (Keras' layouts), the first batch the trainer trains on, and the loss and per-layer
//! figures the engine computes on it before any update (`gradscope train --dump-weights FILE`).

use serde::Serialize;

use crate::engine::batch_norm::Mode;
use crate::engine::config::{Config, ConfigError};
use crate::engine::matrix::{norm, Matrix};
use crate::engine::metrics::update_ratio as ratio;
use crate::engine::model::Model;
use crate::engine::network::Network;
use crate::engine::optim::Optimizer;
use crate::engine::param::ParamKind;
use crate::engine::trainer::{RunState, Trainer};

/// One Dense layer's initial variables, and its batch norm's when it has one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerWeights {
    /// inputs × units, as Keras stores a Dense kernel (PyTorch stores its transpose).
    pub kernel: Vec<Vec<f32>>,
    pub bias: Vec<f32>,
    /// The batch norm of this hidden block (none for the output layer).
    pub batch_norm: Option<BatchNormWeights>,
    /// A recurrent cell's U, units × units (Keras' `recurrent_kernel`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurrent_kernel: Option<Vec<Vec<f32>>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BatchNormWeights {
    pub gamma: Vec<f32>,
    pub beta: Vec<f32>,
    pub moving_mean: Vec<f32>,
    pub moving_variance: Vec<f32>,
}

/// The first training step. Every per-layer list has one entry per Dense layer (hidden layers,
/// then the output layer).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FirstStep {
    pub config: Config,
    /// The epoch the batch belongs to: 1 (the first shuffled epoch); 0 only when the
    /// measuring pass already diverged, in which case it is that pass's first batch.
    pub epoch: usize,
    /// Positions of the batch's samples in the training set.
    pub indices: Vec<usize>,
    pub x: Vec<Vec<f32>>,
    pub y: Vec<usize>,
    pub layers: Vec<LayerWeights>,
    /// Mean cross-entropy on the batch plus the L2 penalty (training mode: batch statistics).
    pub loss: f64,
    /// ‖∂L/∂W‖ of each kernel, before clipping: the app's `grad_norm` for this step.
    pub grad_norm: Vec<f64>,
    /// rms of ∂L/∂z over the batch and units: the app's `delta_rms` for this step.
    pub delta_rms: Vec<f64>,
    /// ‖W‖ of each initial kernel.
    pub weight_norm: Vec<f64>,
    /// ‖ΔW‖/‖W‖ of each kernel after the first update (clipping, then the optimizer): the
    /// app's `update_ratio` had this step been an epoch's last.
    pub update_ratio: Vec<Option<f64>>,
    /// ‖W₂ − W₀‖/‖W₀‖ after a second step on the same batch: momentum's and Adam's
    /// hyper-parameters show only from the second step on.
    pub two_step_ratio: Vec<Option<f64>>,
    /// A recurrent model's U: ‖∂L/∂U‖ before clipping, and ‖ΔU‖/‖U‖ after the first update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurrent_grad_norm: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurrent_update_ratio: Option<Option<f64>>,
    /// A recurrent model's rms of ∂L/∂z_t per time step t = 1..T.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub time_delta_rms: Vec<f64>,
}

fn rows(data: &[f32], cols: usize) -> Vec<Vec<f32>> {
    data.chunks(cols.max(1)).map(<[f32]>::to_vec).collect()
}

/// The initial weights of a model, layer by layer (a recurrent model: its cell, then the
/// output layer).
pub fn model_weights(model: &Model<f32>) -> Vec<LayerWeights> {
    match model {
        Model::Mlp(net) => layer_weights(net),
        Model::Rnn(net) => {
            let cell = &net.cell;
            let output = LayerWeights {
                kernel: rows(&net.output.kernel.value, net.output.units),
                bias: net.output.bias.value.clone(),
                batch_norm: None,
                recurrent_kernel: None,
            };
            let cell = LayerWeights {
                kernel: rows(&cell.kernel().value, cell.columns()),
                bias: cell.bias().value.clone(),
                batch_norm: None,
                recurrent_kernel: Some(rows(&cell.recurrent().value, cell.columns())),
            };
            vec![cell, output]
        }
    }
}

/// The initial weights of `net`, layer by layer.
pub fn layer_weights(net: &Network<f32>) -> Vec<LayerWeights> {
    (0..net.dense_count())
        .map(|l| {
            let dense = net.dense(l);
            LayerWeights {
                kernel: rows(&dense.kernel.value, dense.units),
                bias: dense.bias.value.clone(),
                batch_norm: net.hidden.get(l).and_then(|h| h.bn.as_ref()).map(|bn| {
                    BatchNormWeights {
                        gamma: bn.gamma.value.clone(),
                        beta: bn.beta.value.clone(),
                        moving_mean: bn.moving_mean.clone(),
                        moving_variance: bn.moving_var.clone(),
                    }
                }),
                recurrent_kernel: None,
            }
        })
        .collect()
}

/// Runs the trainer up to its first training step and redoes that step on a copy of the
/// initial network, measuring it.
pub fn first_step(config: &Config) -> Result<FirstStep, ConfigError> {
    let mut trainer = Trainer::new(config.clone())?;
    trainer.set_epochs(config.epochs.max(1));
    let initial = trainer.model().clone();
    // Epoch 0 measures the initial network without changing it (batch norm's moving averages
    // included); epoch 1's first step shuffles the order, then trains on its first batch.
    trainer.run_epoch();
    let batch = config.batch_size.min(trainer.samples_per_epoch());
    let epoch = if trainer.state() == RunState::Running {
        trainer.step();
        1
    } else {
        0
    };
    let indices: Vec<usize> = if epoch == 1 {
        trainer.data_order()[..batch].to_vec()
    } else {
        (0..batch).collect()
    };
    let train = &trainer.dataset().train;
    let (mut x, mut y) = (Matrix::<f32>::zeros(0, 0), Vec::new());
    train.gather(&indices, &mut x, &mut y);

    let mut net = initial.clone();
    let step = net.compute_gradients(&x, &y, Mode::Train, config.l2);
    // Every weight matrix in variable order (an RNN: W, U, then the output layer's).
    let kinds: Vec<ParamKind> = net
        .params_mut()
        .iter()
        .map(|p| p.kind)
        .filter(|k| k.is_matrix())
        .collect();
    let matrix_norms = |net: &mut Model<f32>, grad: bool| -> Vec<f64> {
        net.params_mut()
            .iter()
            .filter(|p| p.kind.is_matrix())
            .map(|p| norm(if grad { &p.grad } else { &p.value }))
            .collect()
    };
    let grad_norm = matrix_norms(&mut net, true);
    let weight_norm = matrix_norms(&mut net, false);
    let mut optimizer = Optimizer::new(config.optimizer);
    let mut params = net.params_mut();
    config.clipping.apply(&mut params);
    let steps = optimizer.step(&mut params, config.lr, true);
    let update_ratio: Vec<Option<f64>> = params
        .iter()
        .zip(&steps)
        .filter(|(p, _)| p.kind.is_matrix())
        .zip(&weight_norm)
        .map(|((_, s), w)| ratio(s.sqrt(), *w))
        .collect();
    drop(params);
    net.compute_gradients(&x, &y, Mode::Train, config.l2);
    let mut params = net.params_mut();
    config.clipping.apply(&mut params);
    optimizer.step(&mut params, config.lr, false);
    drop(params);
    let initial_values: Vec<Vec<f32>> = initial
        .clone()
        .params_mut()
        .iter()
        .filter(|p| p.kind.is_matrix())
        .map(|p| p.value.clone())
        .collect();
    let two_step_ratio: Vec<Option<f64>> = net
        .params_mut()
        .iter()
        .filter(|p| p.kind.is_matrix())
        .zip(&initial_values)
        .zip(&weight_norm)
        .map(|((p, then), w)| {
            let moved: Vec<f32> = p.value.iter().zip(then).map(|(a, b)| a - b).collect();
            ratio(norm(&moved), *w)
        })
        .collect();
    // The layers' kernels, and a recurrent cell's U apart (it is not a layer's).
    let layers = |all: &[Option<f64>]| -> Vec<Option<f64>> {
        all.iter()
            .zip(&kinds)
            .filter(|(_, k)| **k == ParamKind::Kernel)
            .map(|(v, _)| *v)
            .collect()
    };
    let recurrent = |all: &[Option<f64>]| -> Option<Option<f64>> {
        all.iter()
            .zip(&kinds)
            .find(|(_, k)| **k == ParamKind::RecurrentKernel)
            .map(|(v, _)| *v)
    };
    let some = |all: &[f64]| -> Vec<Option<f64>> { all.iter().copied().map(Some).collect() };
    let recurrent_update_ratio = recurrent(&update_ratio);
    let recurrent_grad_norm = recurrent(&some(&grad_norm)).flatten();
    let plain = |all: &[f64]| -> Vec<f64> { layers(&some(all)).into_iter().flatten().collect() };
    Ok(FirstStep {
        config: config.clone(),
        epoch,
        indices,
        x: rows(&x.data, x.cols),
        y,
        layers: model_weights(&initial),
        loss: step.loss,
        grad_norm: plain(&grad_norm),
        delta_rms: step.delta_rms,
        weight_norm: plain(&weight_norm),
        update_ratio: layers(&update_ratio),
        two_step_ratio: layers(&two_step_ratio),
        recurrent_grad_norm,
        recurrent_update_ratio,
        time_delta_rms: step.time_delta_rms,
    })
}
