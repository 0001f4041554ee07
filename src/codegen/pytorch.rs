//! The run as a PyTorch script.

use super::{
    activation_comment, call, clip_comment, comment, constants, data_functions, docstring,
    drops_single_trailing_sample, init_comment, py_num,
};
use crate::engine::activation::{Activation, LEAKY_SLOPE};
use crate::engine::batch_norm;
use crate::engine::clip::Clipping;
use crate::engine::config::Config;
use crate::engine::init::{Initializer, TRUNCATION_STD};
use crate::engine::network::BatchNormPlacement;
use crate::engine::optim::{self, OptimizerKind};

/// A complete, runnable PyTorch script for `config`.
pub fn pytorch(config: &Config) -> String {
    if config.model.is_recurrent() {
        return super::pytorch_rnn::pytorch_rnn(config);
    }
    let mut out = preamble(config, is_truncated(config.init));
    out.push_str(&init_weights(config.init));
    out.push_str("\n\n");
    out.push_str(&build_model(config));
    out.push_str("\n\n");
    out.push_str(&optimizer_and_loss(config));
    if config.l2 > 0.0 {
        out.push_str(
            "def l2_penalty(model):\n\
             \x20   \"\"\"L2 * sum(w ** 2) over the kernels (the Linear weights), added to the loss. Not the\n\
             \x20   optimizer's weight_decay: that adds weight_decay * w to every gradient, so it would\n\
             \x20   have to be 2 * L2, and it would shrink the biases (and batch norm's weights) too.\"\"\"\n\
             \x20   kernels = [layer.weight for layer in model if isinstance(layer, nn.Linear)]\n\
             \x20   return L2 * sum((w**2).sum() for w in kernels)\n\n\n",
        );
    }
    if config.clipping != Clipping::Off {
        out.push_str(&clip_gradients(config.clipping));
        out.push_str("\n\n");
    }
    out.push_str(&training(config, layer_figures()));
    out
}

/// The docstring, the imports, the constants, the data, and (`truncated`) Keras' truncated
/// normal for the initializers that need it.
pub(super) fn preamble(config: &Config, truncated: bool) -> String {
    let mut out = docstring(
        config,
        "PyTorch",
        "pytorch",
        "pip install torch numpy scikit-learn",
    );
    out.push_str(
        "import copy\nimport os\n\nimport numpy as np\nimport torch\nfrom torch import nn\n\n",
    );
    out.push_str(&constants(config));
    out.push_str("\n\n");
    out.push_str(&data_functions(config));
    out.push_str("\n\n");
    if truncated {
        out.push_str(&format!(
            "def truncated_normal_(weight, variance):\n\
             \x20   \"\"\"Keras' truncated normal: N(0, sd^2) with draws beyond 2 sd redrawn, and sd\n\
             \x20   enlarged so that the cut draw has the given variance. (PyTorch's kaiming_normal_\n\
             \x20   and xavier_normal_ do not cut.)\"\"\"\n\
             \x20   sd = variance**0.5 / {}\n\
             \x20   nn.init.trunc_normal_(weight, mean=0.0, std=sd, a=-2 * sd, b=2 * sd)\n\n\n",
            py_num(TRUNCATION_STD)
        ));
    }
    out
}

pub(super) fn is_truncated(init: Initializer) -> bool {
    matches!(
        init,
        Initializer::GlorotNormal | Initializer::HeNormal | Initializer::LecunNormal
    )
}

pub(super) fn init_weights(init: Initializer) -> String {
    let draw = match init {
        Initializer::GlorotUniform => "nn.init.xavier_uniform_(linear.weight)".to_string(),
        Initializer::GlorotNormal => {
            "truncated_normal_(linear.weight, 2.0 / (linear.in_features + linear.out_features))"
                .into()
        }
        // kaiming_uniform_'s bound is gain * sqrt(3 / fan_in): gain sqrt(2) for "relu", 1 for
        // "linear" (LeCun).
        Initializer::HeUniform => {
            "nn.init.kaiming_uniform_(linear.weight, nonlinearity=\"relu\")".into()
        }
        Initializer::HeNormal => {
            "truncated_normal_(linear.weight, 2.0 / linear.in_features)".into()
        }
        Initializer::LecunUniform => {
            "nn.init.kaiming_uniform_(linear.weight, nonlinearity=\"linear\")".into()
        }
        Initializer::LecunNormal => {
            "truncated_normal_(linear.weight, 1.0 / linear.in_features)".into()
        }
        Initializer::Small => "nn.init.normal_(linear.weight, mean=0.0, std=0.01)".into(),
        Initializer::Large => "nn.init.normal_(linear.weight, mean=0.0, std=1.0)".into(),
        Initializer::Zeros => "nn.init.zeros_(linear.weight)".into(),
    };
    format!(
        "def init_weights(linear):\n\
         \x20   \"\"\"The app's '{name}' for the kernel (PyTorch stores it as (out, in)), zero bias.\"\"\"\n\
         {why}\
         \x20   {draw}\n\
         \x20   # Biases start at 0 as in Keras and the app (PyTorch's own default is uniform).\n\
         \x20   nn.init.zeros_(linear.bias)\n",
        name = init.name(),
        why = init_comment(init, 4),
    )
}

pub(super) fn activation_module(activation: Activation) -> String {
    match activation {
        Activation::Linear => "nn.Identity()".into(),
        Activation::Sigmoid => "nn.Sigmoid()".into(),
        Activation::Tanh => "nn.Tanh()".into(),
        Activation::Relu => "nn.ReLU()".into(),
        Activation::LeakyRelu => format!("nn.LeakyReLU(negative_slope={})", py_num(LEAKY_SLOPE)),
        Activation::Elu => "nn.ELU(alpha=1.0)".into(),
        Activation::Selu => "nn.SELU()".into(),
    }
}

/// 1 − x written as the decimal it is meant to be (1 − 0.99 = 0.01, not 0.010000000000000009).
fn complement(x: f64) -> String {
    let c = crate::format::parse_number(&format!("{:.12}", 1.0 - x)).unwrap_or(1.0 - x);
    py_num(c)
}

fn build_model(config: &Config) -> String {
    let placement = config.batch_norm;
    let mut out = String::from(
        "def build_model():\n\
         \x20   \"\"\"DEPTH hidden blocks of WIDTH units, then a Linear layer of CLASSES logits.\"\"\"\n",
    );
    out.push_str(&activation_comment(config.activation, 4));
    if placement != BatchNormPlacement::None {
        out.push_str(&comment(
            &format!(
                "Batch norm {} the activation. PyTorch's momentum is the weight of the new batch, \
                 Keras' (and the app's) the weight of the old average: {} here is Keras' {}. \
                 eps={} is Keras' epsilon. One small difference: PyTorch's moving variance \
                 averages the unbiased batch variance (divided by n - 1), Keras' the biased one \
                 (divided by n); the batch's own normalization is the same.",
                placement.name(),
                complement(batch_norm::MOMENTUM),
                py_num(batch_norm::MOMENTUM),
                py_num(batch_norm::EPSILON)
            ),
            4,
        ));
    }
    out.push_str(
        "    layers = []\n\
         \x20   fan_in = INPUTS\n\
         \x20   for _ in range(DEPTH):\n\
         \x20       layers.append(nn.Linear(fan_in, WIDTH))\n",
    );
    let bn = format!(
        "        layers.append(nn.BatchNorm1d(WIDTH, momentum={}, eps={}))\n",
        complement(batch_norm::MOMENTUM),
        py_num(batch_norm::EPSILON)
    );
    if placement == BatchNormPlacement::Before {
        out.push_str(&bn);
    }
    out.push_str(&format!(
        "        layers.append({})\n",
        activation_module(config.activation)
    ));
    if placement == BatchNormPlacement::After {
        out.push_str(&bn);
    }
    out.push_str(
        "        fan_in = WIDTH\n\
         \x20   layers.append(nn.Linear(fan_in, CLASSES))  # logits: the softmax is part of the loss\n\
         \x20   model = nn.Sequential(*layers)\n\
         \x20   for layer in model:\n\
         \x20       if isinstance(layer, nn.Linear):\n\
         \x20           init_weights(layer)\n\
         \x20   return model\n",
    );
    out
}

/// `make_optimizer` and the loss.
pub(super) fn optimizer_and_loss(config: &Config) -> String {
    make_optimizer(config)
        + "\n\n# Softmax cross-entropy of the logits, averaged over the batch; labels are integers.\n\
           LOSS = nn.CrossEntropyLoss()\n\n\n"
}

fn make_optimizer(config: &Config) -> String {
    let mut out = String::from("def make_optimizer(model):\n");
    let mut args = vec![
        "model.parameters()".to_string(),
        format!("lr={}", py_num(config.lr)),
    ];
    let head = match config.optimizer {
        OptimizerKind::Sgd => {
            out.push_str("    # Plain SGD: w <- w - lr * gradient.\n");
            "torch.optim.SGD"
        }
        OptimizerKind::Momentum => {
            out.push_str(&comment(
                "SGD with momentum. PyTorch keeps b <- momentum * b + gradient and steps \
                 w <- w - lr * b; Keras keeps v = -lr * b: the same steps while lr stays fixed.",
                4,
            ));
            args.push(format!("momentum={}", py_num(optim::MOMENTUM)));
            "torch.optim.SGD"
        }
        OptimizerKind::Adam => {
            out.push_str(&comment(
                &format!(
                    "Adam with Keras' hyper-parameters (PyTorch's default eps is 1e-8). Keras adds \
                     epsilon to sqrt(v) before correcting v's bias, PyTorch after, so Keras' \
                     epsilon {eps} acts as a PyTorch eps of {eps} / sqrt(1 - beta_2^t) (larger in \
                     the first steps): it matters only for gradients about as small as epsilon.",
                    eps = py_num(optim::ADAM_EPSILON)
                ),
                4,
            ));
            args.push(format!(
                "betas=({}, {})",
                py_num(optim::ADAM_BETA1),
                py_num(optim::ADAM_BETA2)
            ));
            args.push(format!("eps={}", py_num(optim::ADAM_EPSILON)));
            "torch.optim.Adam"
        }
    };
    out.push_str(&call(4, &format!("return {head}"), &args, ""));
    out
}

pub(super) fn clip_gradients(clipping: Clipping) -> String {
    let at = py_num(clipping.threshold().unwrap_or(0.0));
    let body = match clipping {
        Clipping::Value(_) => format!("    nn.utils.clip_grad_value_(model.parameters(), {at})\n"),
        Clipping::Norm(_) => format!(
            "    # PyTorch has no per-variable clipnorm: each parameter tensor is clipped on its own.\n\
             \x20   for parameter in model.parameters():\n\
             \x20       nn.utils.clip_grad_norm_([parameter], max_norm={at})\n"
        ),
        _ => format!("    nn.utils.clip_grad_norm_(model.parameters(), max_norm={at})\n"),
    };
    let mut out = String::from("def clip_gradients(model):\n");
    out.push_str(&clip_comment(clipping, 4));
    if matches!(clipping, Clipping::Norm(_) | Clipping::GlobalNorm(_)) {
        out.push_str(&comment(
            "(clip_grad_norm_ divides by the norm + 1e-6, Keras by the norm: negligible.)",
            4,
        ));
    }
    out + &body
}

pub(super) fn training(config: &Config, figures: &str) -> String {
    let bn = config.batch_norm != BatchNormPlacement::None;
    let skip = if bn && drops_single_trailing_sample(config) {
        "        if len(batch) < 2:\n\
         \x20           continue  # one sample normalizes to all zeros: the app skips it too\n"
    } else {
        ""
    };
    let penalty = if config.l2 > 0.0 {
        " + l2_penalty(model)"
    } else {
        ""
    };
    let clip = if config.clipping != Clipping::Off {
        "        clip_gradients(model)\n"
    } else {
        ""
    };
    let (train_note, eval_note) = if bn {
        (
            "  # batch norm: batch statistics, moving averages updated",
            "  # batch norm: the moving averages",
        )
    } else {
        ("", "")
    };
    format!(
        "{figures}\
         def measure_epoch(model, figures, x, y):\n\
         \x20   \"\"\"The app's epoch 0: the network as initialized, every training batch in order,\n\
         \x20   in training mode, and no update.\"\"\"\n\
         \x20   saved = copy.deepcopy(model.state_dict())  # batch norm's running averages stay\n\
         \x20   model.train()\n\
         \x20   for start in range(0, len(y), BATCH_SIZE):\n\
         \x20       batch = torch.arange(start, min(start + BATCH_SIZE, len(y)))\n\
         {skip}\
         \x20       model.zero_grad()\n\
         \x20       loss = LOSS(model(x[batch]), y[batch]){penalty}\n\
         \x20       loss.backward()\n\
         \x20       figures.add()\n\
         \x20   model.zero_grad()\n\
         \x20   model.load_state_dict(saved)\n\
         \x20   figures.report(0)\n\n\n\
         def train_epoch(model, optimizer, x, y, generator, figures):\n\
         \x20   model.train(){train_note}\n\
         \x20   order = torch.randperm(len(y), generator=generator)  # a new order every epoch\n\
         \x20   total = 0.0\n\
         \x20   for start in range(0, len(y), BATCH_SIZE):\n\
         \x20       batch = order[start : start + BATCH_SIZE]\n\
         {skip}\
         \x20       loss = LOSS(model(x[batch]), y[batch]){penalty}\n\
         \x20       optimizer.zero_grad()\n\
         \x20       loss.backward()\n\
         \x20       figures.add()\n\
         {clip}\
         \x20       optimizer.step()\n\
         \x20       total += loss.item() * len(batch)\n\
         \x20   return total / len(y)\n\n\n\
         def evaluate(model, x, y):\n\
         \x20   model.eval(){eval_note}\n\
         \x20   with torch.no_grad():\n\
         \x20       logits = model(x)\n\
         \x20       loss = LOSS(logits, y){penalty}\n\
         \x20       accuracy = (logits.argmax(dim=1) == y).float().mean()\n\
         \x20   return loss.item(), accuracy.item()\n\n\n\
         def main():\n\
         \x20   (x_train, y_train), (x_val, y_val) = load_data()\n\
         \x20   x_train, y_train, x_val, y_val = map(torch.from_numpy, (x_train, y_train, x_val, y_val))\n\
         \x20   torch.manual_seed(INIT_SEED)\n\
         \x20   model = build_model()\n\
         \x20   optimizer = make_optimizer(model)\n\
         \x20   generator = torch.Generator().manual_seed(SEED)\n\
         \x20   figures = LayerFigures(model)\n\
         \x20   measure_epoch(model, figures, x_train, y_train)\n\
         \x20   for epoch in range(1, EPOCHS + 1):\n\
         \x20       loss = train_epoch(model, optimizer, x_train, y_train, generator, figures)\n\
         \x20       figures.report(epoch)\n\
         \x20       val_loss, val_accuracy = evaluate(model, x_val, y_val)\n\
         \x20       print(\n\
         \x20           \"epoch %d  loss %.4f  val_loss %.4f  val_accuracy %.4f\"\n\
         \x20           % (epoch, loss, val_loss, val_accuracy)\n\
         \x20       )\n\n\n\
         if __name__ == \"__main__\":\n\
         \x20   main()\n"
    )
}

/// The MLP's figures, per Linear layer.
fn layer_figures() -> &'static str {
    "class LayerFigures:\n\
         \x20   \"\"\"The app's bar-chart figures per Linear layer, averaged over an epoch's steps:\n\
         \x20   grad_norm, the norm ||dL/dW|| of the weight's gradient before clipping, and\n\
         \x20   delta_rms, the root mean square of dL/dz over the batch and the units, z = the\n\
         \x20   Linear layer's output (kept by a forward hook, its gradient retained).\"\"\"\n\n\
         \x20   def __init__(self, model):\n\
         \x20       self.linears = [m for m in model if isinstance(m, nn.Linear)]\n\
         \x20       self.outputs = [None] * len(self.linears)\n\
         \x20       for i, layer in enumerate(self.linears):\n\
         \x20           layer.register_forward_hook(self.keeper(i))\n\
         \x20       self.start()\n\n\
         \x20   def keeper(self, i):\n\
         \x20       def keep(module, inputs, output):\n\
         \x20           if output.requires_grad:\n\
         \x20               output.retain_grad()\n\
         \x20           self.outputs[i] = output\n\n\
         \x20       return keep\n\n\
         \x20   def start(self):\n\
         \x20       self.sums, self.steps = np.zeros((2, len(self.linears))), 0\n\n\
         \x20   def add(self):\n\
         \x20       \"\"\"After loss.backward(), before clipping.\"\"\"\n\
         \x20       for i, (layer, z) in enumerate(zip(self.linears, self.outputs)):\n\
         \x20           self.sums[0, i] += layer.weight.grad.norm().item()\n\
         \x20           self.sums[1, i] += z.grad.pow(2).mean().sqrt().item()\n\
         \x20       self.steps += 1\n\n\
         \x20   def report(self, epoch):\n\
         \x20       for name, row in zip([\"grad_norm\", \"delta_rms\"], self.sums / max(self.steps, 1)):\n\
         \x20           print(\"epoch %d  %s  %s\" % (epoch, name, \" \".join(\"%.3e\" % v for v in row)))\n\
         \x20       self.start()\n\n\n"
}
