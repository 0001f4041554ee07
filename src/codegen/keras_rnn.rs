//! The recurrent run as a Keras 3 script: `SimpleRNN` or `LSTM` into a `Dense` output layer,
//! and the app's figures for a batch (per layer, and δ per time step) computed by Keras' own
//! layer.

use super::keras::{callback, initializer, make_optimizer, preamble, training};
use super::{call, comment, py_num};
use crate::engine::activation::{Activation, LEAKY_SLOPE};
use crate::engine::config::Config;
use crate::engine::init::{Initializer, TRUNCATION_STD};
use crate::engine::model::ModelKind;
use crate::engine::recurrent::RecurrentInit;

/// Keras' layer for the run's cell, and the width of its z_t in the script's names (an LSTM's
/// holds the four gates' pre-activations side by side).
fn layer(config: &Config) -> (&'static str, &'static str) {
    if config.model == ModelKind::Lstm {
        ("LSTM", "4 * WIDTH")
    } else {
        ("SimpleRNN", "WIDTH")
    }
}

/// A complete, runnable Keras 3 script for a recurrent `config`.
pub fn keras_rnn(config: &Config) -> String {
    let mut out = preamble(config);
    out.push_str(&build_model(config));
    out.push_str("\n\n");
    out.push_str(&make_optimizer(config));
    out.push_str(&training(config, &figures(config)));
    out
}

/// `activation=` of the SimpleRNN: Keras' own names, except leaky ReLU (its string form has
/// slope 0.2; the app's is 0.01).
fn activation(a: Activation) -> String {
    match a {
        Activation::LeakyRelu => format!(
            "lambda z: keras.activations.leaky_relu(z, negative_slope={})",
            py_num(LEAKY_SLOPE)
        ),
        other => format!("\"{}\"", other.name()),
    }
}

/// `recurrent_initializer=`: Orthogonal / Identity with their gain; a variance-scaling one
/// multiplied by the gain is the same family with its variance scale times gain².
pub fn recurrent_initializer(init: RecurrentInit, gain: f64) -> String {
    let g = py_num(gain);
    let scaled = |scale: f64, mode: &str, distribution: &str| {
        format!(
            "keras.initializers.VarianceScaling(scale={}, mode=\"{mode}\", distribution=\"{distribution}\")",
            py_num(scale * gain * gain)
        )
    };
    match init {
        RecurrentInit::Orthogonal => format!("keras.initializers.Orthogonal(gain={g})"),
        RecurrentInit::Identity => format!("keras.initializers.Identity(gain={g})"),
        RecurrentInit::Scaled(i) => match i {
            Initializer::GlorotUniform => scaled(1.0, "fan_avg", "uniform"),
            Initializer::GlorotNormal => scaled(1.0, "fan_avg", "truncated_normal"),
            Initializer::HeUniform => scaled(2.0, "fan_in", "uniform"),
            Initializer::HeNormal => scaled(2.0, "fan_in", "truncated_normal"),
            Initializer::LecunUniform => scaled(1.0, "fan_in", "uniform"),
            Initializer::LecunNormal => scaled(1.0, "fan_in", "truncated_normal"),
            Initializer::Small => format!(
                "keras.initializers.RandomNormal(mean=0.0, stddev={})",
                py_num(0.01 * gain)
            ),
            Initializer::Large => format!(
                "keras.initializers.RandomNormal(mean=0.0, stddev={})",
                py_num(gain)
            ),
            Initializer::Zeros => "\"zeros\"".into(),
        },
    }
}

fn build_model(config: &Config) -> String {
    let (name, _) = layer(config);
    let recursion = if config.model == ModelKind::Lstm {
        "z_t = x_t W + h_(t-1) U + b split into gates [i f c o];\n\
         \x20   c_t = sigmoid(z_f) c_(t-1) + sigmoid(z_i) f(z_c), h_t = sigmoid(z_o) f(c_t),\n\
         \x20   h_0 = c_0 = 0"
    } else {
        "h_t = f(x_t W + h_(t-1) U + b) with h_0 = 0"
    };
    let mut out = format!(
        "def build_model():\n\
         \x20   \"\"\"A {name} of WIDTH units over STEPS time steps of INPUTS values,\n\
         \x20   {recursion}; its last state h_STEPS goes into a\n\
         \x20   Dense layer of CLASSES logits.\"\"\"\n",
    );
    out.push_str(&comment(
        &format!(
            "W (the input kernel) and the output layer start from {}; U (the recurrent kernel) \
             from {} with gain {}: every singular value of an orthogonal or identity U equals \
             the gain, and the gradient back through one step is multiplied by U's transpose \
             and the activation's slope. The bias starts at 0. Truncated normals are cut at two \
             sd (Keras divides the sd by {:.4} so that the cut draw has the intended variance).{}",
            config.init.name(),
            config.recurrent_init.name(),
            py_num(config.recurrent_gain),
            TRUNCATION_STD,
            if config.model == ModelKind::Lstm {
                " The LSTM's kernels hold the four gates side by side (W: INPUTS x 4 WIDTH, U: \
                 WIDTH x 4 WIDTH); Keras' defaults, kept here, are sigmoid gates and a forget \
                 gate bias starting at 1 (unit_forget_bias), so that the cell state is mostly \
                 kept at first."
            } else {
                ""
            }
        ),
        4,
    ));
    out.push_str(
        "    model = keras.Sequential(name=\"gradscope\")\n\
         \x20   model.add(keras.Input(shape=(STEPS, INPUTS)))\n",
    );
    let mut args = vec![
        "WIDTH".to_string(),
        format!("activation={}", activation(config.activation)),
        format!("kernel_initializer={}", initializer(config.init)),
        format!(
            "recurrent_initializer={}",
            recurrent_initializer(config.recurrent_init, config.recurrent_gain)
        ),
    ];
    if config.l2 > 0.0 {
        args.push("kernel_regularizer=keras.regularizers.L2(L2)".into());
        args.push("recurrent_regularizer=keras.regularizers.L2(L2)".into());
    }
    out.push_str(&call(
        4,
        &format!("model.add(keras.layers.{name}"),
        &args,
        ")",
    ));
    let mut last = vec![
        "CLASSES".to_string(),
        format!("kernel_initializer={}", initializer(config.init)),
    ];
    if config.l2 > 0.0 {
        last.push("kernel_regularizer=keras.regularizers.L2(L2)".into());
    }
    out.push_str("    # The output layer gives logits: the softmax is part of the loss.\n");
    out.push_str(&call(4, "model.add(keras.layers.Dense", &last, ")"));
    out.push_str("    return model\n");
    out
}

/// `layer_figures(model, x, y)`: the app's figures for one batch.
fn figures(config: &Config) -> String {
    let (name, z_width) = layer(config);
    let penalty = if config.l2 > 0.0 {
        "\x20           loss = loss + L2 * (keras.ops.sum(w * w) + keras.ops.sum(u * u) + keras.ops.sum(v * v))\n"
    } else {
        ""
    };
    format!(
        "# One compiled gradient function per model (compiling takes a moment; running is fast).\n\
         _FIGURES = dict()\n\n\n\
         def layer_figures(model, x, y):\n\
         \x20   \"\"\"The app's figures for one batch: grad_norm (||dL/dW|| of the {name}'s input\n\
         \x20   kernel, then of the output kernel), delta_rms (rms of dL/dz over every time step,\n\
         \x20   sample and unit, then of the logits), recurrent_grad_norm (||dL/dU||) and\n\
         \x20   time_delta_rms (rms of dL/dz_t for t = 1..STEPS, z_t = x_t W + h_(t-1) U + b).\n\
         \x20   Needs the JAX backend.\"\"\"\n\
         \x20   import jax\n\n\
         \x20   rnn, dense = model.layers\n\
         \x20   if id(model) not in _FIGURES:\n\
         \x20       # A twin of the {name} that also reads {z_width} zero probes p_t per step through\n\
         \x20       # an identity block of its input kernel: z_t = x_t W + p_t + h_(t-1) U + b, so\n\
         \x20       # the gradient with respect to p_t is dL/dz_t, computed by Keras' own layer.\n\
         \x20       twin = keras.layers.{name}(WIDTH, activation=rnn.activation, unroll=rnn.unroll)\n\
         \x20       twin.build((None, STEPS, INPUTS + {z_width}))\n\
         \x20       state = [v.value for v in twin.non_trainable_variables]  # its dropout seed\n\n\
         \x20       def loss_of(w, u, v, probes, out_probe, b, c, x, y):\n\
         \x20           kernel = keras.ops.concatenate([w, keras.ops.eye({z_width}, dtype=w.dtype)], axis=0)\n\
         \x20           xp = keras.ops.concatenate([x, probes], axis=-1)\n\
         \x20           h, _ = twin.stateless_call([kernel, u, b], state, xp)\n\
         \x20           loss = LOSS(y, keras.ops.matmul(h, v) + c + out_probe)\n\
         {penalty}\
         \x20           return loss\n\n\
         \x20       _FIGURES[id(model)] = jax.jit(jax.grad(loss_of, argnums=(0, 1, 2, 3, 4)))\n\
         \x20   cell = rnn.cell\n\
         \x20   w, u, b = cell.kernel.value, cell.recurrent_kernel.value, cell.bias.value\n\
         \x20   probes = keras.ops.zeros((len(y), STEPS, {z_width}), dtype=w.dtype)\n\
         \x20   out_probe = keras.ops.zeros((len(y), CLASSES), dtype=w.dtype)\n\
         \x20   d_w, d_u, d_v, d_z, d_out = _FIGURES[id(model)](\n\
         \x20       w, u, dense.kernel.value, probes, out_probe, b, dense.bias.value, x, y\n\
         \x20   )\n\
         \x20   rms = lambda d: float(np.sqrt(np.mean(np.square(d))))\n\
         \x20   d_z = np.asarray(d_z)\n\
         \x20   return {{\n\
         \x20       \"grad_norm\": [float(np.linalg.norm(d_w)), float(np.linalg.norm(d_v))],\n\
         \x20       \"delta_rms\": [rms(d_z), rms(d_out)],\n\
         \x20       \"recurrent_grad_norm\": float(np.linalg.norm(d_u)),\n\
         \x20       \"time_delta_rms\": [rms(d_z[:, t]) for t in range(STEPS)],\n\
         \x20   }}\n\n\n\
         {callback}",
        callback = callback(
            "Prints, before training (the app's epoch 0) and after each epoch, the figures\n\
             \x20   of layer_figures averaged over the training batches in order, and the largest\n\
             \x20   singular value of U. After an epoch they are measured with its final weights, where\n\
             \x20   the app averages over the epoch's steps while the weights move.",
            "\x20       for name in [\"grad_norm\", \"delta_rms\", \"recurrent_grad_norm\", \"time_delta_rms\"]:\n\
             \x20           mean = np.atleast_1d(np.mean([figures[name] for figures in batches], axis=0))\n\
             \x20           print(\"epoch %d  %s  %s\" % (epoch, name, \" \".join(\"%.3e\" % v for v in mean)))\n\
             \x20       u = np.asarray(self.model.layers[0].cell.recurrent_kernel.value)\n\
             \x20       print(\"epoch %d  sigma_max  %.3e\" % (epoch, np.linalg.norm(u, 2)))\n",
        )
    )
}
