"""Computes reference values with Keras (TensorFlow backend, float64) for tests/keras_reference.rs.

For small networks with fixed weights and a fixed batch, records what Keras computes: the loss,
every gradient, the batch-norm moving statistics after a training call, the weights after two
optimizer steps with each clipping mode (and with an L2 penalty on the kernels combined with
clipping), and the logits in evaluation mode after those steps (batch norm then uses its moving
statistics). The Rust test rebuilds the same networks in gradscope's
engine and must agree.

Run (needs tensorflow-cpu, not a dependency of the project; CI only reads the JSON):
    python3 -m venv /tmp/tfenv && /tmp/tfenv/bin/pip install tensorflow-cpu==2.21.0
    /tmp/tfenv/bin/python tools/keras_reference.py > tests/data/keras_reference.json
"""
import json
import sys

import numpy as np
import tensorflow as tf
import keras

keras.backend.set_floatx("float64")

INPUTS, WIDTH, DEPTH, CLASSES, BATCH = 5, 6, 3, 4, 7


def activation(name):
    if name == "leaky_relu":
        return lambda x: keras.activations.leaky_relu(x, negative_slope=0.01)
    return keras.activations.get(name)


def build(act, bn, l2):
    reg = keras.regularizers.L2(l2) if l2 else None  # l2 · Σw², as the engine's λ·Σw²
    x = inp = keras.Input((INPUTS,))
    for _ in range(DEPTH):
        x = keras.layers.Dense(WIDTH, kernel_regularizer=reg)(x)
        if bn == "before":
            x = keras.layers.BatchNormalization()(x)
        x = keras.layers.Activation(activation(act))(x)
        if bn == "after":
            x = keras.layers.BatchNormalization()(x)
    out = keras.layers.Dense(CLASSES, kernel_regularizer=reg)(x)  # logits; softmax in the loss
    return keras.Model(inp, out)


def params_in_engine_order(model):
    """kernel, bias, [gamma, beta] per hidden layer, then the output kernel and bias."""
    ordered = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            ordered += [layer.kernel, layer.bias]
        elif isinstance(layer, keras.layers.BatchNormalization):
            ordered += [layer.gamma, layer.beta]
    # BN "after" sits after the Dense it belongs to; "before" too: the order above is the
    # order of appearance, which is the engine's order in both placements.
    return ordered


def moving_stats(model):
    return [
        [layer.moving_mean.numpy().tolist(), layer.moving_variance.numpy().tolist()]
        for layer in model.layers
        if isinstance(layer, keras.layers.BatchNormalization)
    ]


def case(act, bn, optimizer, clip, seed, l2=0.0):
    rng = np.random.default_rng(seed)
    model = build(act, bn, l2)
    variables = params_in_engine_order(model)
    for v in variables:
        v.assign(rng.uniform(-0.8, 0.8, v.shape) + (1.0 if "gamma" in v.path else 0.0))
    start = [v.numpy().tolist() for v in variables]
    x = rng.uniform(-1.5, 1.5, (BATCH, INPUTS))
    y = rng.integers(0, CLASSES, BATCH)
    cross_entropy = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    def loss_fn(y, logits):
        penalty = tf.add_n(model.losses) if model.losses else 0.0
        return cross_entropy(y, logits) + penalty

    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, variables)
    stats_after_one_call = moving_stats(model)

    kwargs = {}
    if clip is not None:
        kwargs[clip[0]] = clip[1]
    opt = {
        "sgd": lambda: keras.optimizers.SGD(learning_rate=0.1, **kwargs),
        "momentum": lambda: keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, **kwargs),
        "adam": lambda: keras.optimizers.Adam(learning_rate=0.01, **kwargs),
    }[optimizer]()
    opt.apply_gradients(zip(grads, variables))
    with tf.GradientTape() as tape:
        loss2 = loss_fn(y, model(x, training=True))
    opt.apply_gradients(zip(tape.gradient(loss2, variables), variables))

    return {
        "activation": act,
        "batch_norm": bn,
        "optimizer": optimizer,
        "clipping": None if clip is None else {"mode": clip[0], "threshold": clip[1]},
        "x": x.tolist(),
        "y": y.tolist(),
        "start": start,
        "loss": float(loss),
        "grads": [g.numpy().tolist() for g in grads],
        "moving_after_one_call": stats_after_one_call,
        "l2": l2,
        "after_two_steps": [v.numpy().tolist() for v in variables],
        "eval_logits_after_two_steps": model(x, training=False).numpy().tolist(),
    }


def main():
    cases = []
    seed = 0
    for act in ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu"]:
        for bn in ["none", "before", "after"]:
            seed += 1
            cases.append(case(act, bn, "sgd", None, seed))
    for optimizer in ["sgd", "momentum", "adam"]:
        for clip in [None, ("clipvalue", 0.05), ("clipnorm", 0.1), ("global_clipnorm", 0.2)]:
            seed += 1
            cases.append(case("tanh", "before", optimizer, clip, seed))
    # The L2 penalty's gradient is clipped with the rest, as Keras does it.
    for act, bn, optimizer, clip, l2 in [
        ("tanh", "before", "sgd", ("clipnorm", 0.1), 0.01),
        ("relu", "none", "momentum", ("clipvalue", 0.05), 0.01),
        ("sigmoid", "after", "adam", ("global_clipnorm", 0.2), 0.001),
    ]:
        seed += 1
        cases.append(case(act, bn, optimizer, clip, seed, l2))
    json.dump(
        {
            "generator": "tools/keras_reference.py",
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "shape": {"inputs": INPUTS, "width": WIDTH, "depth": DEPTH, "classes": CLASSES},
            "cases": cases,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
