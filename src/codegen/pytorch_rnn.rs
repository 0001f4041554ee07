//! The recurrent run as a PyTorch script: Keras' SimpleRNN or LSTM written out as a module (one
//! bias, any activation, Keras' initializers), its mapping to `torch.nn.RNN` / `torch.nn.LSTM`
//! in a comment.

use super::pytorch::{
    activation_module, clip_gradients, init_weights, is_truncated, optimizer_and_loss, preamble,
    training,
};
use super::{comment, py_num};
use crate::engine::clip::Clipping;
use crate::engine::config::Config;
use crate::engine::model::ModelKind;
use crate::engine::recurrent::RecurrentInit;

/// A complete, runnable PyTorch script for a recurrent `config`.
pub fn pytorch_rnn(config: &Config) -> String {
    let truncated = is_truncated(config.init)
        || matches!(config.recurrent_init, RecurrentInit::Scaled(i) if is_truncated(i));
    let mut out = preamble(config, truncated);
    out.push_str(&init_weights(config.init));
    out.push_str("\n\n");
    out.push_str(&recurrent_init(config));
    out.push_str("\n\n");
    out.push_str(&module(config));
    out.push_str("\n\n");
    out.push_str(&optimizer_and_loss(config));
    if config.l2 > 0.0 {
        out.push_str(
            "def l2_penalty(model):\n\
             \x20   \"\"\"L2 * sum(w ** 2) over the kernels W, U and the output layer's, added to the loss.\"\"\"\n\
             \x20   rnn, output = model\n\
             \x20   kernels = [rnn.input.weight, rnn.recurrent.weight, output.weight]\n\
             \x20   return L2 * sum((w**2).sum() for w in kernels)\n\n\n",
        );
    }
    if config.clipping != Clipping::Off {
        out.push_str(&clip_gradients(config.clipping));
        out.push_str("\n\n");
    }
    out.push_str(&training(config, FIGURES));
    out
}

/// `init_recurrent(weight)`: U from the run's recurrent initializer, times the gain.
fn recurrent_init(config: &Config) -> String {
    let gain = py_num(config.recurrent_gain);
    // PyTorch stores U transposed: (WIDTH, WIDTH), or an LSTM's (4 * WIDTH, WIDTH).
    let rows = if config.model == ModelKind::Lstm {
        "4 * WIDTH"
    } else {
        "WIDTH"
    };
    let draw = match config.recurrent_init {
        RecurrentInit::Orthogonal => format!(
            "    # PyTorch's orthogonal_ is Keras' Orthogonal: Q of the QR decomposition of a normal\n\
             \x20   # matrix, signs fixed by R's diagonal, times the gain.\n\
             \x20   nn.init.orthogonal_(weight, gain={gain})\n"
        ),
        RecurrentInit::Identity => format!(
            "    with torch.no_grad():\n\
             \x20       weight.copy_({gain} * torch.eye({rows}, WIDTH))\n"
        ),
        RecurrentInit::Scaled(i) => format!(
            "    # The input kernel's family ({}) with fan-in WIDTH, times the gain.\n\
             \x20   linear = nn.Linear(WIDTH, {rows})\n\
             \x20   init_weights(linear)\n\
             \x20   with torch.no_grad():\n\
             \x20       weight.copy_({gain} * linear.weight)\n",
            i.name()
        ),
    };
    format!(
        "def init_recurrent(weight):\n\
         \x20   \"\"\"The app's recurrent kernel U: '{}' with gain {gain}.\"\"\"\n{draw}",
        config.recurrent_init.name()
    )
}

fn module(config: &Config) -> String {
    if config.model == ModelKind::Lstm {
        return lstm_module(config);
    }
    let mut out = String::from(
        "class SimpleRNN(nn.Module):\n\
         \x20   \"\"\"Keras' SimpleRNN: h_t = f(x_t W + h_(t-1) U + b) with h_0 = 0; returns h_STEPS.\"\"\"\n\n",
    );
    out.push_str(&comment(
        "torch.nn.RNN(INPUTS, WIDTH, nonlinearity=..., batch_first=True) computes the same \
         recursion, with three differences written out here: it offers tanh and relu only; it \
         has two biases, b_ih + b_hh (both trained, so their sum moves twice as fast as Keras' \
         one bias under SGD); and it draws every weight and both biases from \
         U(-1/sqrt(WIDTH), 1/sqrt(WIDTH)), where Keras starts W from the kernel initializer, U \
         orthogonal and b at 0. Its weight_ih_l0 is W transposed, weight_hh_l0 is U transposed.",
        4,
    ));
    out.push_str(&format!(
        "    def __init__(self):\n\
         \x20       super().__init__()\n\
         \x20       self.input = nn.Linear(INPUTS, WIDTH)  # W (stored as (out, in)) and b\n\
         \x20       self.recurrent = nn.Linear(WIDTH, WIDTH, bias=False)  # U\n\
         \x20       self.f = {}\n\
         \x20       init_weights(self.input)\n\
         \x20       init_recurrent(self.recurrent.weight)\n\
         \x20       self.z = []  # each step's z_t, kept for the figures\n\n\
         \x20   def forward(self, x):\n\
         \x20       h = x.new_zeros(x.shape[0], WIDTH)\n\
         \x20       self.z = []\n\
         \x20       for t in range(x.shape[1]):\n\
         \x20           z = self.input(x[:, t]) + self.recurrent(h)\n\
         \x20           if z.requires_grad:\n\
         \x20               z.retain_grad()\n\
         \x20           self.z.append(z)\n\
         \x20           h = self.f(z)\n\
         \x20       return h\n\n\n",
        activation_module(config.activation)
    ));
    out.push_str(&build_model("SimpleRNN"));
    out
}

fn lstm_module(config: &Config) -> String {
    let mut out = String::from(
        "class LSTM(nn.Module):\n\
         \x20   \"\"\"Keras' LSTM: z_t = x_t W + h_(t-1) U + b split into gates i, f, c, o;\n\
         \x20   c_t = sigmoid(z_f) c_(t-1) + sigmoid(z_i) f(z_c), h_t = sigmoid(z_o) f(c_t), with\n\
         \x20   h_0 = c_0 = 0; returns h_STEPS.\"\"\"\n\n",
    );
    out.push_str(&comment(
        "torch.nn.LSTM(INPUTS, WIDTH, batch_first=True) computes the same recursion with its \
         gates in the same order (i, f, g, o), with four differences written out here: its \
         activation is always tanh; it has two biases, b_ih + b_hh; it draws every weight and \
         both biases from U(-1/sqrt(WIDTH), 1/sqrt(WIDTH)), where Keras starts W from the kernel \
         initializer, U orthogonal and b at 0; and it has no unit_forget_bias, the forget gate's \
         bias that Keras starts at 1. Its weight_ih_l0 is W transposed, weight_hh_l0 is U \
         transposed.",
        4,
    ));
    out.push_str(&format!(
        "    def __init__(self):\n\
         \x20       super().__init__()\n\
         \x20       self.input = nn.Linear(INPUTS, 4 * WIDTH)  # W (stored as (out, in)) and b\n\
         \x20       self.recurrent = nn.Linear(WIDTH, 4 * WIDTH, bias=False)  # U\n\
         \x20       self.f = {}\n\
         \x20       init_weights(self.input)\n\
         \x20       init_recurrent(self.recurrent.weight)\n\
         \x20       with torch.no_grad():\n\
         \x20           self.input.bias[WIDTH : 2 * WIDTH] = 1.0  # Keras' unit_forget_bias\n\
         \x20       self.z = []  # each step's z_t, kept for the figures\n\n\
         \x20   def forward(self, x):\n\
         \x20       h = x.new_zeros(x.shape[0], WIDTH)\n\
         \x20       c = x.new_zeros(x.shape[0], WIDTH)\n\
         \x20       self.z = []\n\
         \x20       for t in range(x.shape[1]):\n\
         \x20           z = self.input(x[:, t]) + self.recurrent(h)\n\
         \x20           if z.requires_grad:\n\
         \x20               z.retain_grad()\n\
         \x20           self.z.append(z)\n\
         \x20           i, f, g, o = z.chunk(4, dim=1)\n\
         \x20           c = torch.sigmoid(f) * c + torch.sigmoid(i) * self.f(g)\n\
         \x20           h = torch.sigmoid(o) * self.f(c)\n\
         \x20       return h\n\n\n",
        activation_module(config.activation)
    ));
    out.push_str(&build_model("LSTM"));
    out
}

/// `build_model()`: the cell's module, then the output layer.
fn build_model(cell: &str) -> String {
    format!(
        "def build_model():\n\
         \x20   \"\"\"The {cell}, then a Linear layer of CLASSES logits (the softmax is in the loss).\"\"\"\n\
         \x20   output = nn.Linear(WIDTH, CLASSES)\n\
         \x20   init_weights(output)\n\
         \x20   return nn.Sequential({cell}(), output)\n"
    )
}

/// The app's figures for the recurrent model, averaged over an epoch's steps.
const FIGURES: &str = "class LayerFigures:\n\
    \x20   \"\"\"The app's figures averaged over an epoch's steps: grad_norm (||dL/dW||, then the\n\
    \x20   output layer's), delta_rms (rms of dL/dz over every time step, then of the logits),\n\
    \x20   recurrent_grad_norm (||dL/dU||) and time_delta_rms (rms of dL/dz_t, t = 1..STEPS).\"\"\"\n\n\
    \x20   def __init__(self, model):\n\
    \x20       self.rnn, self.output = model\n\
    \x20       self.logits = None\n\
    \x20       self.output.register_forward_hook(self.keep)\n\
    \x20       self.start()\n\n\
    \x20   def keep(self, module, inputs, output):\n\
    \x20       if output.requires_grad:\n\
    \x20           output.retain_grad()\n\
    \x20       self.logits = output\n\n\
    \x20   def start(self):\n\
    \x20       self.sums, self.steps = {}, 0\n\n\
    \x20   def add(self):\n\
    \x20       \"\"\"After loss.backward(), before clipping.\"\"\"\n\
    \x20       z = torch.stack([z.grad for z in self.rnn.z], dim=1)\n\
    \x20       figures = {\n\
    \x20           \"grad_norm\": [self.rnn.input.weight.grad.norm().item(), self.output.weight.grad.norm().item()],\n\
    \x20           \"delta_rms\": [z.pow(2).mean().sqrt().item(), self.logits.grad.pow(2).mean().sqrt().item()],\n\
    \x20           \"recurrent_grad_norm\": [self.rnn.recurrent.weight.grad.norm().item()],\n\
    \x20           \"time_delta_rms\": z.pow(2).mean(dim=(0, 2)).sqrt().tolist(),\n\
    \x20       }\n\
    \x20       for name, values in figures.items():\n\
    \x20           self.sums[name] = self.sums.get(name, 0) + np.array(values)\n\
    \x20       self.steps += 1\n\n\
    \x20   def report(self, epoch):\n\
    \x20       for name, total in self.sums.items():\n\
    \x20           values = total / max(self.steps, 1)\n\
    \x20           print(\"epoch %d  %s  %s\" % (epoch, name, \" \".join(\"%.3e\" % v for v in values)))\n\
    \x20       u = self.rnn.recurrent.weight.detach()\n\
    \x20       print(\"epoch %d  sigma_max  %.3e\" % (epoch, torch.linalg.matrix_norm(u, ord=2).item()))\n\
    \x20       self.start()\n\n\n";
