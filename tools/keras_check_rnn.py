"""The recurrent half of tools/keras_check.py: the Keras scripts that `gradscope train
--model rnn --code keras` (and `--model lstm`) writes, against the engine.

(a) Execution: the script runs one epoch and logs, for epoch 0 and 1, the two layers'
    grad_norm and delta_rms, recurrent_grad_norm, one time_delta_rms per time step and
    sigma_max, all finite; the PyTorch script parses. The temporal-order script's data follow
    the engine's rules (B first, E last, two marks where order_positions puts them, the class
    their order, balanced).
(b) Equivalence: Keras' SimpleRNN and LSTM (float64) given the engine's initial W, U, b and output
    layer, on the engine's first batch, must compute the engine's loss, ||dL/dW|| and ||dL/dU||,
    delta_rms per layer and per time step (the script's layer_figures, which reads dL/dz_t off
    a twin layer with zero probes; an LSTM's z_t holds its four gates), and the first update's ||dW||/||W|| of W, U and the
    output kernel under each clipping mode and optimizer, to a relative 1e-4.
"""
import ast
import json
import os
import subprocess
import sys
import time

import numpy as np

SMALL = ["--model", "rnn", "--seq-len", "12", "--width", "16"]
LSTM = ["--model", "lstm", "--seq-len", "12", "--width", "16"]
EXECUTION = [
    ["--activation", "tanh", "--optimizer", "adam", "--lr", "0.005", "--clipnorm", "1"],
    ["--dataset", "temporal_order", "--optimizer", "adam", "--lr", "0.01"],
    ["--model", "lstm", "--optimizer", "adam", "--lr", "0.005"],
]
EQUIVALENCE = [
    ("tanh, orthogonal (Keras' defaults), sgd", SMALL),
    ("relu, identity gain 1 (IRNN), clipnorm, momentum",
     SMALL + ["--activation", "relu", "--recurrent-init", "identity", "--clipnorm", "0.05",
              "--optimizer", "momentum", "--init", "he_normal"]),
    ("sigmoid, glorot_normal U, global_clipnorm, L2, adam",
     SMALL + ["--activation", "sigmoid", "--recurrent-init", "glorot_normal",
              "--global-clipnorm", "0.1", "--l2", "0.001", "--optimizer", "adam", "--lr", "0.01"]),
    ("leaky_relu, he_uniform U gain 1.5, clipvalue",
     SMALL + ["--activation", "leaky_relu", "--recurrent-init", "he_uniform",
              "--recurrent-gain", "1.5", "--clipvalue", "0.001", "--lr", "0.1"]),
    ("linear, orthogonal gain 0.9, 50 steps",
     ["--model", "rnn", "--seq-len", "50", "--width", "32", "--activation", "linear",
      "--recurrent-gain", "0.9", "--batch-size", "8"]),
    ("selu, lecun_normal W, 30 steps, gain 1.2",
     ["--model", "rnn", "--seq-len", "30", "--width", "24", "--activation", "selu",
      "--init", "lecun_normal", "--recurrent-init", "orthogonal", "--recurrent-gain", "1.2"]),
    ("LSTM: tanh, orthogonal, unit forget bias (Keras' defaults), sgd", LSTM),
    ("LSTM: relu, identity gain 1, clipnorm, momentum, L2",
     LSTM + ["--activation", "relu", "--recurrent-init", "identity", "--clipnorm", "0.05",
             "--optimizer", "momentum", "--l2", "0.001"]),
    ("LSTM: selu, glorot_normal U gain 1.3, global_clipnorm, adam",
     LSTM + ["--activation", "selu", "--recurrent-init", "glorot_normal", "--recurrent-gain",
             "1.3", "--global-clipnorm", "0.1", "--optimizer", "adam", "--lr", "0.01"]),
    ("LSTM: sigmoid, he_uniform W, 40 steps, clipvalue",
     ["--model", "lstm", "--seq-len", "40", "--width", "24", "--activation", "sigmoid",
      "--init", "he_uniform", "--clipvalue", "0.001", "--lr", "0.1", "--batch-size", "8"]),
]


def temporal_order_rules(path, steps):
    """Why the script's temporal-order data break the engine's rules, or None."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gradscope_order_data", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (x_train, y_train), (x_val, y_val) = module.load_data()
    x, y = np.concatenate([x_train, x_val]), np.concatenate([y_train, y_val])
    if x.shape != (2000, steps, 8) or not np.all(x.sum(axis=2) == 1):
        return f"shape {x.shape}, or a step that is not one-hot"
    symbols = x.argmax(axis=2)
    # Engine (order_positions): the first mark in [T/10, T/5], the second in [T/2, 3T/5].
    first_lo = max(steps // 10, 1)
    first_hi = max(steps // 5, first_lo)
    second_lo = max(steps // 2, first_hi + 1)
    second_hi = max(steps * 3 // 5, second_lo)
    for s, label in zip(symbols, y):
        marks = np.flatnonzero((s == 4) | (s == 5))
        if (s[0], s[-1]) != (6, 7) or len(marks) != 2:
            return f"sequence {s}"
        if not (first_lo <= marks[0] <= first_hi and second_lo <= marks[1] <= second_hi):
            return f"marks at {marks}"
        if label != 2 * (s[marks[0]] - 4) + (s[marks[1]] - 4):
            return f"label {label} for {s[marks]}"
    if list(np.bincount(y)) != [500] * 4:
        return f"classes {np.bincount(y)}"
    return None


def execution(tmp, gradscope):
    failures = []
    env = dict(os.environ, GRADSCOPE_EPOCHS="1", KERAS_BACKEND="jax")
    env.pop("JAX_ENABLE_X64", None)
    for i, args in enumerate(EXECUTION):
        args = (args if "--model" in args else SMALL + args)
        args = (SMALL[2:] + args) if args[:2] == ["--model", "lstm"] else args
        name = " ".join(args)
        path = os.path.join(tmp, f"rnn_run_{i}.py")
        with open(path, "w") as f:
            f.write(gradscope(args + ["--code", "keras"]))
        try:
            ast.parse(gradscope(args + ["--code", "pytorch"]))
        except SyntaxError as e:
            failures.append(f"{name}: the PyTorch script does not parse: {e}")
        start = time.time()
        done = subprocess.run([sys.executable, path], capture_output=True, text=True, env=env,
                              cwd=tmp, timeout=600)
        lines = [line.split() for line in done.stdout.splitlines()]
        counts = {"grad_norm": 2, "delta_rms": 2, "recurrent_grad_norm": 1, "time_delta_rms": 12,
                  "sigma_max": 1}
        logged = [l for l in lines if len(l) > 2 and l[2] in counts]
        figures_ok = (len(logged) == 2 * len(counts)
                      and all(len(l) == 3 + counts[l[2]]
                              and all(np.isfinite(float(v)) and float(v) >= 0 for v in l[3:])
                              for l in logged))
        accuracies = [float(l[-1]) for l in lines if "val_accuracy" in l]
        ok = done.returncode == 0 and len(accuracies) == 1 and figures_ok
        print(f"  {'ok  ' if ok else 'FAIL'} {time.time() - start:5.1f}s  "
              f"val_accuracy {accuracies[0] if accuracies else '—'}  {name}", flush=True)
        if not ok:
            failures.append(f"{name}: exit {done.returncode}, printed {done.stdout!r}\n"
                            f"{done.stderr[-2000:]}")
        if "temporal_order" in args:
            broken = temporal_order_rules(path, int(args[args.index("--seq-len") + 1]))
            print(f"  {'ok  ' if broken is None else 'FAIL'} the temporal-order data follow "
                  f"the engine's rules{'' if broken is None else ': ' + broken}")
            if broken is not None:
                failures.append(f"{name}: temporal-order data: {broken}")
    return failures


def keras_figures(module, dump):
    """The first step by Keras on the engine's initial weights and first batch."""
    import jax
    import keras

    model = module.build_model()
    rnn, dense = model.layers
    # Keras 3.15's SimpleRNN over jax.lax.scan returns float32 states from float64 inputs
    # (scan then refuses the mixed carry); the unrolled loop runs the same cell step by step
    # in float64.
    rnn.unroll = True
    cell, (w_in, w_out) = rnn.cell, dump["layers"]
    cell.kernel.assign(np.array(w_in["kernel"], dtype="float64"))
    cell.recurrent_kernel.assign(np.array(w_in["recurrent_kernel"], dtype="float64"))
    cell.bias.assign(np.array(w_in["bias"], dtype="float64"))
    dense.kernel.assign(np.array(w_out["kernel"], dtype="float64"))
    dense.bias.assign(np.array(w_out["bias"], dtype="float64"))
    y = np.array(dump["y"], dtype="int64")
    x = np.array(dump["x"], dtype="float64").reshape(len(y), module.STEPS, module.INPUTS)
    figures = module.layer_figures(model, x, y)
    trainable = [v.value for v in model.trainable_variables]
    non_trainable = [v.value for v in model.non_trainable_variables]

    def total_loss(values):
        logits, _, losses = model.stateless_call(values, non_trainable, x, training=True,
                                                 return_losses=True)
        return module.LOSS(y, logits) + sum(losses)

    loss, grads = jax.value_and_grad(total_loss)(trainable)
    position = {id(v): i for i, v in enumerate(model.trainable_variables)}
    kernels = [cell.kernel, cell.recurrent_kernel, dense.kernel]
    norms = [float(np.linalg.norm(grads[position[id(k)]])) for k in kernels]

    def moved():
        return [float(np.linalg.norm(np.array(k.value) - b) / np.linalg.norm(b))
                for k, b in zip(kernels, before)]

    before = [np.array(k.value) for k in kernels]
    optimizer = module.make_optimizer()
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    first = moved()
    _, grads = jax.value_and_grad(total_loss)([v.value for v in model.trainable_variables])
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    second = moved()
    return {
        "loss": float(loss),
        "grad_norm": [norms[0], norms[2]],
        "recurrent_grad_norm": [norms[1]],
        "logged grad_norm": figures["grad_norm"],
        "logged recurrent_grad_norm": [figures["recurrent_grad_norm"]],
        "delta_rms": figures["delta_rms"],
        "time_delta_rms": figures["time_delta_rms"],
        "update_ratio": [first[0], first[2]],
        "recurrent_update_ratio": [first[1]],
        "two_step_ratio": [second[0], second[2]],
    }


def equivalence(tmp, gradscope, import_script, relative, tolerance, tolerance_two_steps):
    """Returns (failures, worst (error, where), worst after two steps)."""
    import keras

    keras.config.set_floatx("float64")
    failures, worst, worst_two = [], (0.0, ""), (0.0, "")
    for i, (name, args) in enumerate(EQUIVALENCE):
        start = time.time()
        code_path = os.path.join(tmp, f"rnn_same_{i}.py")
        dump_path = os.path.join(tmp, f"rnn_same_{i}.json")
        with open(code_path, "w") as f:
            f.write(gradscope(args + ["--code", "keras"]))
        gradscope(args + ["--dump-weights", dump_path])
        with open(dump_path) as f:
            dump = json.load(f)
        dump["recurrent_grad_norm"] = [dump["recurrent_grad_norm"]]
        dump["recurrent_update_ratio"] = [dump["recurrent_update_ratio"]]
        dump["logged grad_norm"] = dump["grad_norm"]
        dump["logged recurrent_grad_norm"] = dump["recurrent_grad_norm"]
        keras.utils.set_random_seed(0)
        ours = keras_figures(import_script(code_path, f"gradscope_rnn_same_{i}"), dump)
        print(f"\n  {name}  ({' '.join(args)}; batch of {len(dump['y'])}, "
              f"{time.time() - start:.1f}s)")
        print(f"  {'':>5} {'engine':>13} {'keras':>13} {'rel. diff':>9}")
        rows = [("loss", "", dump["loss"], ours["loss"])]
        for key in ["grad_norm", "logged grad_norm", "recurrent_grad_norm",
                    "logged recurrent_grad_norm", "delta_rms", "time_delta_rms", "update_ratio",
                    "recurrent_update_ratio", "two_step_ratio"]:
            if len(dump[key]) != len(ours[key]):
                failures.append(f"{name}: {key}: engine {len(dump[key])} values, "
                                f"keras {len(ours[key])}")
            rows += [(key, j + 1, e, k) for j, (e, k) in enumerate(zip(dump[key], ours[key]))]
        last_key = None
        for key, where, e, k in rows:
            if key != last_key:
                print(f"  {key}" + (" (t = 1 .. T)" if key == "time_delta_rms" else ""))
                last_key = key
            err = relative(e, k) if e is not None else float("inf")
            limit = tolerance_two_steps if key == "two_step_ratio" else tolerance
            flag = "" if err <= limit else "  <-- off"
            # Long sequences: every fifth time step, the first and the last.
            if key != "time_delta_rms" or where in (1, len(dump[key])) or where % 5 == 0 or flag:
                print(f"  {where:>5} {e:13.6e} {k:13.6e} {err:9.1e}{flag}")
            if key == "two_step_ratio":
                if err > worst_two[0]:
                    worst_two = (err, f"{name}: {key} {where}")
            elif err > worst[0]:
                worst = (err, f"{name}: {key} {where}")
            if not err <= limit:
                failures.append(f"{name}: {key} {where}: engine {e}, keras {k} ({err:.1e})")
    return failures, worst, worst_two
