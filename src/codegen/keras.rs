//! The run as a Keras 3 script.

use super::{
    activation_comment, call, clip_comment, comment, constants, data_functions, docstring,
    drops_single_trailing_sample, init_comment, py_num,
};
use crate::engine::activation::{Activation, LEAKY_SLOPE};
use crate::engine::batch_norm;
use crate::engine::clip::Clipping;
use crate::engine::config::Config;
use crate::engine::init::Initializer;
use crate::engine::network::BatchNormPlacement;
use crate::engine::optim::{self, OptimizerKind};

/// A complete, runnable Keras 3 script for `config` (any backend; tested with JAX).
pub fn keras(config: &Config) -> String {
    if config.model.is_recurrent() {
        return super::keras_rnn::keras_rnn(config);
    }
    let mut out = preamble(config);
    out.push_str(&build_model(config));
    out.push_str("\n\n");
    out.push_str(&make_optimizer(config));
    out.push_str(&training(config, &layer_figures(config)));
    out
}

/// The docstring, the imports, the constants and the data.
pub(super) fn preamble(config: &Config) -> String {
    let mut out = docstring(
        config,
        "Keras 3",
        "keras",
        "pip install \"keras==3.*\" \"jax[cpu]\" scikit-learn",
    );
    out.push_str(
        "import os\n\n\
         # The per-layer figures below use JAX's gradients; the rest runs on any backend.\n\
         os.environ.setdefault(\"KERAS_BACKEND\", \"jax\")\n\n\
         import numpy as np\nimport keras\n\n",
    );
    out.push_str(&constants(config));
    out.push_str("\n\n");
    out.push_str(&data_functions(config));
    out.push_str("\n\n");
    out
}

/// The loss, compiling, the figures' code and `main()`.
pub(super) fn training(config: &Config, figures: &str) -> String {
    let mut out = String::from(
        "\n\n# Softmax cross-entropy of the logits, averaged over the batch; labels are integers.\n\
         LOSS = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n\n\n\
         def compile_model(model):\n\
         \x20   model.compile(optimizer=make_optimizer(), loss=LOSS, metrics=[\"accuracy\"])\n\
         \x20   return model\n\n\n",
    );
    out.push_str(figures);
    out.push_str(&main(config));
    out
}

/// The `kernel_initializer=` value.
pub(super) fn initializer(init: Initializer) -> String {
    match init {
        Initializer::Small => "keras.initializers.RandomNormal(mean=0.0, stddev=0.01)".into(),
        Initializer::Large => "keras.initializers.RandomNormal(mean=0.0, stddev=1.0)".into(),
        other => format!("\"{}\"", other.name()),
    }
}

/// The activation as a layer of its own.
fn activation_layer(activation: Activation) -> String {
    match activation {
        Activation::LeakyRelu => format!(
            "keras.layers.LeakyReLU(negative_slope={})",
            py_num(LEAKY_SLOPE)
        ),
        other => format!("keras.layers.Activation(\"{}\")", other.name()),
    }
}

fn build_model(config: &Config) -> String {
    let placement = config.batch_norm;
    let mut out = String::from(
        "def build_model():\n\
         \x20   \"\"\"DEPTH hidden blocks of WIDTH units, then a Dense layer of CLASSES logits.\"\"\"\n",
    );
    out.push_str(&init_comment(config.init, 4));
    out.push_str(&activation_comment(config.activation, 4));
    if config.l2 > 0.0 {
        out.push_str(&comment(
            "keras.regularizers.L2(L2) adds L2 * sum(w ** 2) of the layer's kernel to the loss \
             (biases and batch norm's gamma and beta are not penalized), as in the app.",
            4,
        ));
    }
    if placement != BatchNormPlacement::None {
        out.push_str(&comment(
            &format!(
                "Batch norm {} the activation normalizes each unit over the batch while \
                 training, and by moving averages when evaluating. momentum={} and epsilon={} \
                 are Keras' defaults and the app's; the Dense layer keeps its bias, as in the app.",
                placement.name(),
                py_num(batch_norm::MOMENTUM),
                py_num(batch_norm::EPSILON)
            ),
            4,
        ));
    }
    out.push_str(
        "    model = keras.Sequential(name=\"gradscope\")\n\
         \x20   model.add(keras.Input(shape=(INPUTS,)))\n\
         \x20   for _ in range(DEPTH):\n",
    );
    let mut dense = vec!["WIDTH".to_string()];
    // Keras' own activation strings, except leaky ReLU (its string form has slope 0.2).
    let fused =
        placement != BatchNormPlacement::Before && config.activation != Activation::LeakyRelu;
    if fused {
        dense.push(format!("activation=\"{}\"", config.activation.name()));
    }
    dense.push(format!("kernel_initializer={}", initializer(config.init)));
    if config.l2 > 0.0 {
        dense.push("kernel_regularizer=keras.regularizers.L2(L2)".into());
    }
    out.push_str(&call(8, "model.add(keras.layers.Dense", &dense, ")"));
    let bn = format!(
        "        model.add(keras.layers.BatchNormalization(momentum={}, epsilon={}))\n",
        py_num(batch_norm::MOMENTUM),
        py_num(batch_norm::EPSILON)
    );
    if placement == BatchNormPlacement::Before {
        out.push_str(&bn);
    }
    if !fused {
        out.push_str(&format!(
            "        model.add({})\n",
            activation_layer(config.activation)
        ));
    }
    if placement == BatchNormPlacement::After {
        out.push_str(&bn);
    }
    out.push_str(
        "    # The output layer gives logits: the softmax is part of the loss. Same initializer.\n",
    );
    let mut last = vec![
        "CLASSES".to_string(),
        format!("kernel_initializer={}", initializer(config.init)),
    ];
    if config.l2 > 0.0 {
        last.push("kernel_regularizer=keras.regularizers.L2(L2)".into());
    }
    out.push_str(&call(4, "model.add(keras.layers.Dense", &last, ")"));
    out.push_str("    return model\n");
    out
}

pub(super) fn make_optimizer(config: &Config) -> String {
    let mut out = String::from("def make_optimizer():\n");
    let mut args = vec![format!("learning_rate={}", py_num(config.lr))];
    let head = match config.optimizer {
        OptimizerKind::Sgd => {
            out.push_str("    # Plain SGD: w <- w - learning_rate * gradient.\n");
            "keras.optimizers.SGD"
        }
        OptimizerKind::Momentum => {
            out.push_str(&comment(
                "SGD with momentum: a velocity v <- momentum * v - learning_rate * gradient \
                 accumulates past steps, and w <- w + v.",
                4,
            ));
            args.push(format!("momentum={}", py_num(optim::MOMENTUM)));
            "keras.optimizers.SGD"
        }
        OptimizerKind::Adam => {
            out.push_str(&comment(
                "Adam: each weight's step is the running mean of its gradient divided by the \
                 root of the running mean of its square. Keras' defaults, written out.",
                4,
            ));
            args.push(format!("beta_1={}", py_num(optim::ADAM_BETA1)));
            args.push(format!("beta_2={}", py_num(optim::ADAM_BETA2)));
            args.push(format!("epsilon={}", py_num(optim::ADAM_EPSILON)));
            "keras.optimizers.Adam"
        }
    };
    out.push_str(&clip_comment(config.clipping, 4));
    if let Some(at) = config.clipping.threshold() {
        let name = match config.clipping {
            Clipping::Value(_) => "clipvalue",
            Clipping::Norm(_) => "clipnorm",
            _ => "global_clipnorm",
        };
        args.push(format!("{name}={}", py_num(at)));
    }
    out.push_str(&call(4, &format!("return {head}"), &args, ""));
    out
}

/// The app's per-layer figures for one batch, and a callback that prints them per epoch.
fn layer_figures(config: &Config) -> String {
    let penalty = if config.l2 > 0.0 {
        "\x20           # The L2 penalty's gradient 2 * L2 * W is part of the kernel's gradient.\n\
         \x20           loss = loss + L2 * sum(keras.ops.sum(w * w) for w in kernels)\n"
    } else {
        ""
    };
    let batch_norm = if config.batch_norm == BatchNormPlacement::None {
        ""
    } else {
        "\x20                   elif isinstance(layer, keras.layers.BatchNormalization):\n\
         \x20                       # Training mode: the batch's own mean and variance (the\n\
         \x20                       # moving averages are left as they are).\n\
         \x20                       h, _ = layer.stateless_call(\n\
         \x20                           [v.value for v in layer.trainable_variables],\n\
         \x20                           [v.value for v in layer.non_trainable_variables],\n\
         \x20                           h,\n\
         \x20                           training=True,\n\
         \x20                       )\n"
    };
    format!(
        "# One compiled gradient function per model (compiling takes a moment; running is fast).\n\
         _FIGURES = dict()\n\n\n\
         def layer_figures(model, x, y):\n\
         \x20   \"\"\"The app's bar-chart figures for one batch, in training mode, per Dense layer:\n\
         \x20   grad_norm, the norm ||dL/dW|| of the kernel's gradient (before clipping), and\n\
         \x20   delta_rms, the root mean square of dL/dz, z = the Dense output (before batch\n\
         \x20   norm and activation), over the batch and the units. Needs the JAX backend.\"\"\"\n\
         \x20   import jax\n\n\
         \x20   dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]\n\
         \x20   if id(model) not in _FIGURES:\n\n\
         \x20       def loss_of(kernels, probes, values, x, y):\n\
         \x20           # The forward pass layer by layer with the variables' current `values`,\n\
         \x20           # each kernel taken from `kernels`, and a zero probe added to each z:\n\
         \x20           # the gradient with respect to a probe is dL/dz.\n\
         \x20           with keras.StatelessScope(state_mapping=list(zip(model.variables, values))):\n\
         \x20               h, k = x, 0\n\
         \x20               for layer in model.layers:\n\
         \x20                   if isinstance(layer, keras.layers.Dense):\n\
         \x20                       z = keras.ops.matmul(h, kernels[k]) + layer.bias.value + probes[k]\n\
         \x20                       h, k = layer.activation(z), k + 1\n\
         {batch_norm}\
         \x20                   else:\n\
         \x20                       h = layer(h)\n\
         \x20               loss = LOSS(y, h)\n\
         {penalty}\
         \x20           return loss\n\n\
         \x20       _FIGURES[id(model)] = jax.jit(jax.grad(loss_of, argnums=(0, 1)))\n\
         \x20   kernels = [layer.kernel.value for layer in dense]\n\
         \x20   probes = [keras.ops.zeros((len(y), layer.units)) for layer in dense]\n\
         \x20   values = [v.value for v in model.variables]\n\
         \x20   d_kernels, d_z = _FIGURES[id(model)](kernels, probes, values, x, y)\n\
         \x20   grad_norm = [float(np.linalg.norm(g)) for g in d_kernels]\n\
         \x20   delta_rms = [float(np.sqrt(np.mean(np.square(d)))) for d in d_z]\n\
         \x20   return grad_norm, delta_rms\n\n\n\
         {callback}",
        callback = callback(
            "Prints each Dense layer's grad_norm and delta_rms (layer 1 first, the output\n\
             \x20   layer last), averaged over the training batches in order: before training, as the\n\
             \x20   app's epoch 0 (the network as initialized, nothing updated), and after each epoch.\n\
             \x20   After an epoch they are measured with its final weights, where the app averages\n\
             \x20   over the epoch's steps while the weights move: they follow the app's bars in\n\
             \x20   trend, not digit for digit.",
            "\x20       for name, which in [(\"grad_norm\", 0), (\"delta_rms\", 1)]:\n\
             \x20           mean = np.mean([figures[which] for figures in batches], axis=0)\n\
             \x20           print(\"epoch %d  %s  %s\" % (epoch, name, \" \".join(\"%.3e\" % v for v in mean)))\n",
        )
    )
}

/// The `LayerFigures` callback: before training (the app's epoch 0) and after each epoch, the
/// figures of `layer_figures` over the training batches in order, printed by `print`.
pub(super) fn callback(doc: &str, print: &str) -> String {
    format!(
        "class LayerFigures(keras.callbacks.Callback):\n\
         \x20   \"\"\"{doc}\"\"\"\n\n\
         \x20   def __init__(self, x, y):\n\
         \x20       super().__init__()\n\
         \x20       self.x, self.y = x, y\n\n\
         \x20   def report(self, epoch):\n\
         \x20       if keras.backend.backend() != \"jax\":\n\
         \x20           return\n\
         \x20       batches = [\n\
         \x20           layer_figures(self.model, self.x[i : i + BATCH_SIZE], self.y[i : i + BATCH_SIZE])\n\
         \x20           for i in range(0, len(self.y), BATCH_SIZE)\n\
         \x20       ]\n\
         {print}\n\
         \x20   def on_train_begin(self, logs=None):\n\
         \x20       self.report(0)\n\n\
         \x20   def on_epoch_end(self, epoch, logs=None):\n\
         \x20       self.report(epoch + 1)\n\n\n"
    )
}

fn main(config: &Config) -> String {
    let drop = if drops_single_trailing_sample(config) {
        "    # With batch norm the app never trains on a last batch of a single sample (one\n\
         \x20   # sample normalizes to all zeros); here too: one sample fewer (the app drops a\n\
         \x20   # different one each epoch).\n\
         \x20   x_train, y_train = x_train[:-1], y_train[:-1]\n"
    } else {
        ""
    };
    format!(
        "def main():\n\
         \x20   (x_train, y_train), (x_val, y_val) = load_data()\n\
         {drop}\
         \x20   keras.utils.set_random_seed(INIT_SEED)\n\
         \x20   model = compile_model(build_model())\n\
         \x20   keras.utils.set_random_seed(SEED)\n\
         \x20   report = keras.callbacks.LambdaCallback(\n\
         \x20       on_epoch_end=lambda epoch, logs: print(\n\
         \x20           \"epoch %d  loss %.4f  val_loss %.4f  val_accuracy %.4f\"\n\
         \x20           % (epoch + 1, logs[\"loss\"], logs[\"val_loss\"], logs[\"val_accuracy\"])\n\
         \x20       )\n\
         \x20   )\n\
         \x20   model.fit(\n\
         \x20       x_train,\n\
         \x20       y_train,\n\
         \x20       batch_size=BATCH_SIZE,\n\
         \x20       epochs=EPOCHS,\n\
         \x20       shuffle=True,  # a new order of the training samples every epoch\n\
         \x20       validation_data=(x_val, y_val),\n\
         \x20       callbacks=[LayerFigures(x_train, y_train), report],\n\
         \x20       verbose=0,\n\
         \x20   )\n\n\n\
         if __name__ == \"__main__\":\n\
         \x20   main()\n"
    )
}
