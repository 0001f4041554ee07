"""Checks the Keras scripts that `gradscope train --code keras` writes.

(a) Execution: for configurations that together use every option (each activation,
    initializer, batch-norm placement, clipping mode, optimizer, L2 on, each dataset), the
    script runs for one epoch (GRADSCOPE_EPOCHS=1, KERAS_BACKEND=jax), exits 0 and prints a
    validation accuracy in [0, 1]. The PyTorch script of each is parsed (not run: no torch).
(b) Equivalence: for the app's default configuration and others with batch norm, clipping,
    L2 and other activations, the script is imported as a module, its model built and given
    the engine's initial weights (`--dump-weights`); on the engine's first training batch,
    Keras (float64) must compute the engine's loss and, per layer, grad_norm (||dL/dW|| of
    the kernel), delta_rms (rms of dL/dz) and the first update's ||dW||/||W|| (clipping and
    optimizer included) to a relative 1e-4. The script's own logging of the bars
    (`layer_figures`, which its LayerFigures callback averages over an epoch's batches) must
    give the engine's grad_norm and delta_rms on that batch to the same 1e-4.

Run with the venv of scripts/setup.sh --keras:
    python tools/keras_check.py [path/to/gradscope]
The binary defaults to $GRADSCOPE_BIN, else target/release/gradscope under $CARGO_TARGET_DIR
or the repository. Exit status 0 when every check passes.
"""
import ast
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time

os.environ["KERAS_BACKEND"] = "jax"
os.environ["JAX_ENABLE_X64"] = "1"  # the equivalence runs in float64
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOLERANCE = 1e-4
# The movement after two steps is measured on the engine's float32 weights: a small movement
# carries their rounding, and Adam turns a gradient component at float32's noise level into a
# full step. Measured worst 6.5e-5; 1e-3 leaves room for that, not for a wrong
# hyper-parameter (momentum 0.8 instead of 0.9, or Adam's beta_2 0.99, moves it by percents).
TOLERANCE_TWO_STEPS = 1e-3
# Fresh Keras kernels against the engine's (other random draws): sd and largest |w| within 20 %.
TOLERANCE_SPREAD = 0.2

SMALL = ["--depth", "3", "--width", "16"]
# Together: every activation, initializer, batch-norm placement, clipping mode, optimizer,
# dataset, and L2 on; the last digits case also drops a trailing batch of one (BN, batch 4).
EXECUTION = [
    ["--activation", "linear", "--init", "glorot_uniform", "--optimizer", "sgd"],
    ["--dataset", "spiral", "--activation", "sigmoid", "--init", "glorot_normal",
     "--batch-norm", "before", "--clipvalue", "0.5", "--optimizer", "momentum", "--l2", "0.001"],
    ["--dataset", "circles", "--activation", "tanh", "--init", "he_uniform",
     "--batch-norm", "after", "--clipnorm", "1", "--optimizer", "adam", "--lr", "0.01"],
    ["--dataset", "xor", "--activation", "relu", "--init", "he_normal",
     "--global-clipnorm", "1", "--lr", "0.1"],
    ["--dataset", "gaussian", "--activation", "leaky_relu", "--init", "lecun_uniform",
     "--batch-norm", "before", "--optimizer", "adam", "--lr", "0.003", "--l2", "0.01",
     "--noise", "0.3"],
    ["--activation", "elu", "--init", "lecun_normal", "--batch-norm", "after",
     "--clipvalue", "1", "--optimizer", "momentum", "--batch-size", "4"],
    ["--activation", "selu", "--init", "small", "--clipnorm", "0.5"],
    ["--dataset", "spiral", "--activation", "relu", "--init", "large", "--batch-norm", "before",
     "--global-clipnorm", "2", "--optimizer", "momentum"],
    ["--activation", "tanh", "--init", "zeros", "--batch-norm", "after", "--optimizer", "adam"],
]
EQUIVALENCE = [
    ("default", []),
    ("bn before + clipnorm + momentum",
     ["--batch-norm", "before", "--clipnorm", "0.5", "--optimizer", "momentum", "--lr", "0.05"]),
    ("tanh + bn after + global_clipnorm + L2 + adam",
     ["--activation", "tanh", "--init", "glorot_normal", "--batch-norm", "after",
      "--global-clipnorm", "1", "--l2", "0.001", "--optimizer", "adam", "--lr", "0.001"]),
    ("leaky_relu + clipvalue on spiral",
     ["--dataset", "spiral", "--activation", "leaky_relu", "--init", "he_uniform",
      "--clipvalue", "0.01", "--lr", "0.1", "--width", "32"]),
    ("sigmoid + L2 + clipvalue, deep",
     ["--activation", "sigmoid", "--init", "glorot_uniform", "--depth", "20", "--l2", "0.01",
      "--clipvalue", "0.001", "--optimizer", "momentum"]),
    ("selu + bn before + adam",
     ["--activation", "selu", "--init", "lecun_normal", "--batch-norm", "before",
      "--optimizer", "adam", "--batch-size", "64", "--seed", "3"]),
    ("elu + global_clipnorm on xor",
     ["--dataset", "xor", "--activation", "elu", "--init", "lecun_uniform", "--depth", "4",
      "--global-clipnorm", "0.1", "--lr", "0.5"]),
    ("linear + bn after",
     ["--activation", "linear", "--init", "he_normal", "--batch-norm", "after", "--depth", "5"]),
]


def binary():
    if len(sys.argv) > 1:
        return sys.argv[1]
    if os.environ.get("GRADSCOPE_BIN"):
        return os.environ["GRADSCOPE_BIN"]
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "gradscope")


def gradscope(args):
    done = subprocess.run([binary(), "train", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"gradscope {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def execution(tmp):
    """(a): every EXECUTION script runs one epoch; returns the failures."""
    failures = []
    env = dict(os.environ, GRADSCOPE_EPOCHS="1", KERAS_BACKEND="jax")
    env.pop("JAX_ENABLE_X64")
    for i, args in enumerate(EXECUTION):
        args = SMALL + args
        name = " ".join(args)
        path = os.path.join(tmp, f"run_{i}.py")
        with open(path, "w") as f:
            f.write(gradscope(args + ["--code", "keras"]))
        try:
            ast.parse(gradscope(args + ["--code", "pytorch"]))
        except SyntaxError as e:
            failures.append(f"{name}: the PyTorch script does not parse: {e}")
        start = time.time()
        done = subprocess.run([sys.executable, path], capture_output=True, text=True, env=env,
                              cwd=tmp, timeout=600)
        accuracies = [float(line.split("val_accuracy")[1]) for line in done.stdout.splitlines()
                      if "val_accuracy" in line]
        # The per-layer figures: epoch 0 (as initialized) and epoch 1, one number per Dense
        # layer (3 hidden + output), each finite and at least 0.
        logged = [line.split() for line in done.stdout.splitlines()
                  if "grad_norm" in line or "delta_rms" in line]
        figures_ok = (len(logged) == 4
                      and [(l[1], l[2]) for l in logged] == [("0", "grad_norm"), ("0", "delta_rms"),
                                                            ("1", "grad_norm"), ("1", "delta_rms")]
                      and all(len(l) == 7 and all(np.isfinite(float(v)) and float(v) >= 0
                                                  for v in l[3:]) for l in logged))
        ok = (done.returncode == 0 and len(accuracies) == 1 and 0.0 <= accuracies[0] <= 1.0
              and figures_ok)
        print(f"  {'ok  ' if ok else 'FAIL'} {time.time() - start:5.1f}s  "
              f"val_accuracy {accuracies[0] if accuracies else '—'}  {name}", flush=True)
        if not ok:
            failures.append(f"{name}: exit {done.returncode}, printed {done.stdout!r}\n"
                            f"{done.stderr[-2000:]}")
    return failures


def import_script(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def keras_figures(module, dump):
    """Loss and per-layer figures of the first step, computed by Keras on the engine's
    initial weights and first batch."""
    import jax
    import keras

    model = module.build_model()
    dense = [l for l in model.layers if isinstance(l, keras.layers.Dense)]
    # Keras' own initial kernels against the engine's: the same spread (a statistical check,
    # for kernels of 500 weights or more) and, for truncated normals, the same cut.
    spread = []
    for layer, w in zip(dense, dump["layers"]):
        ours, theirs = np.array(layer.kernel.value), np.array(w["kernel"])
        if ours.size >= 500:
            spread.append((np.std(ours), np.std(theirs), np.abs(ours).max(), np.abs(theirs).max()))
    norms = [l for l in model.layers if isinstance(l, keras.layers.BatchNormalization)]
    assert len(dense) == len(dump["layers"]), "one Dense layer per engine layer"
    for layer, w in zip(dense, dump["layers"]):
        layer.kernel.assign(np.array(w["kernel"], dtype="float64"))
        layer.bias.assign(np.array(w["bias"], dtype="float64"))
    engine_norms = [w["batch_norm"] for w in dump["layers"] if w["batch_norm"]]
    assert len(norms) == len(engine_norms), "one BatchNormalization per engine batch norm"
    for layer, w in zip(norms, engine_norms):
        for name in ["gamma", "beta", "moving_mean", "moving_variance"]:
            getattr(layer, name).assign(np.array(w[name], dtype="float64"))

    x = np.array(dump["x"], dtype="float64")
    y = np.array(dump["y"], dtype="int64")
    # What the script itself logs (its LayerFigures callback), on the same weights and batch.
    logged_grad_norm, logged_delta_rms = module.layer_figures(model, x, y)
    trainable = [v.value for v in model.trainable_variables]
    non_trainable = [v.value for v in model.non_trainable_variables]

    def total_loss(values):
        logits, _, losses = model.stateless_call(values, non_trainable, x, training=True,
                                                 return_losses=True)
        return module.LOSS(y, logits) + sum(losses)

    loss, grads = jax.value_and_grad(total_loss)(trainable)
    position = {id(v): i for i, v in enumerate(model.trainable_variables)}
    grad_norm = [float(np.linalg.norm(grads[position[id(l.kernel)]])) for l in dense]

    # dL/dz: the same forward pass layer by layer, with a zero added to each Dense output z;
    # the gradient with respect to that zero is dL/dz (the L2 term does not depend on z).
    def cross_entropy(probes):
        h, k = x, 0
        for layer in model.layers:
            if isinstance(layer, keras.layers.Dense):
                z = keras.ops.matmul(h, layer.kernel.value) + layer.bias.value + probes[k]
                h, k = layer.activation(z), k + 1
            elif isinstance(layer, keras.layers.BatchNormalization):
                h, _ = layer.stateless_call([v.value for v in layer.trainable_variables],
                                            [v.value for v in layer.non_trainable_variables],
                                            h, training=True)
            else:
                h = layer(h)
        return module.LOSS(y, h)

    probes = [np.zeros((len(y), l.units)) for l in dense]
    ce, deltas = jax.value_and_grad(cross_entropy)(probes)
    penalty = float(loss) - float(ce)
    delta_rms = [float(np.sqrt(np.mean(np.square(d)))) for d in deltas]

    # The first update: Keras clips (the optimizer's clipvalue / clipnorm / global_clipnorm)
    # and steps.
    # A second step on the same batch shows momentum's and Adam's hyper-parameters.
    def moved():
        return [float(np.linalg.norm(np.array(l.kernel.value) - b) / np.linalg.norm(b))
                for l, b in zip(dense, before)]

    before = [np.array(l.kernel.value) for l in dense]
    optimizer = module.make_optimizer()
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    update_ratio = moved()
    _, grads = jax.value_and_grad(total_loss)([v.value for v in model.trainable_variables])
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return {"loss": float(loss), "grad_norm": grad_norm, "delta_rms": delta_rms,
            "logged_grad_norm": logged_grad_norm, "logged_delta_rms": logged_delta_rms,
            "update_ratio": update_ratio, "two_step_ratio": moved(), "penalty": penalty,
            "spread": spread}


def relative(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-30)


def equivalence(tmp):
    """(b): the engine's first step against Keras'; returns (failures, worst error)."""
    import keras

    keras.config.set_floatx("float64")
    failures, worst, worst_two = [], (0.0, ""), (0.0, "")
    for i, (name, args) in enumerate(EQUIVALENCE):
        start = time.time()
        code_path = os.path.join(tmp, f"same_{i}.py")
        dump_path = os.path.join(tmp, f"same_{i}.json")
        with open(code_path, "w") as f:
            f.write(gradscope(args + ["--code", "keras"]))
        gradscope(args + ["--dump-weights", dump_path])
        with open(dump_path) as f:
            dump = json.load(f)
        keras.utils.set_random_seed(0)
        ours = keras_figures(import_script(code_path, f"gradscope_same_{i}"), dump)
        print(f"\n  {name}  ({' '.join(args) or 'defaults'}; batch of {len(dump['y'])}, "
              f"{time.time() - start:.1f}s)")
        print(f"  {'':>5} {'engine':>13} {'keras':>13} {'rel. diff':>9}")
        rows = [("loss", "", dump["loss"], ours["loss"])]
        for key in ["grad_norm", "delta_rms", "update_ratio", "two_step_ratio"]:
            rows += [(key, l + 1, e, k) for l, (e, k) in enumerate(zip(dump[key], ours[key]))]
        # The script's own logging of the bars (layer_figures) against the engine.
        for key in ["grad_norm", "delta_rms"]:
            logged = ours["logged_" + key]
            if len(logged) != len(dump[key]):
                failures.append(f"{name}: the script logs {len(logged)} layers' {key}")
            rows += [("logged " + key, l + 1, e, k) for l, (e, k) in enumerate(zip(dump[key], logged))]
        for l, (ks, es, kmax, emax) in enumerate(ours["spread"]):
            if relative(ks, es) > TOLERANCE_SPREAD or relative(kmax, emax) > TOLERANCE_SPREAD:
                failures.append(f"{name}: initial kernel {l + 1}: keras sd {ks:.4g} max {kmax:.4g}, "
                                f"engine sd {es:.4g} max {emax:.4g}")
        if ours["spread"]:
            print("  initial kernels, sd keras/engine: "
                  + " ".join(f"{ks / es:.3f}" if es else "0/0" for ks, es, _, _ in ours["spread"]))
        last_key = None
        for key, layer, e, k in rows:
            if key != last_key:
                print(f"  {key}")
                last_key = key
            err = relative(e, k) if e is not None else float("inf")
            limit = TOLERANCE_TWO_STEPS if key == "two_step_ratio" else TOLERANCE
            flag = "" if err <= limit else "  <-- off"
            print(f"  {layer:>5} {e:13.6e} {k:13.6e} {err:9.1e}{flag}")
            if err > worst[0] and key != "two_step_ratio":
                worst = (err, f"{name}: {key} {layer}")
            if err > worst_two[0] and key == "two_step_ratio":
                worst_two = (err, f"{name}: layer {layer}")
            if not err <= limit:
                failures.append(f"{name}: {key} {layer}: engine {e}, keras {k} ({err:.1e})")
    return failures, worst, worst_two


def main():
    start = time.time()
    if not os.path.exists(binary()):
        raise SystemExit(f"no gradscope binary at {binary()}: cargo build --release --bin "
                         "gradscope (or give its path)")
    with tempfile.TemporaryDirectory() as tmp:
        print(f"(a) execution: {len(EXECUTION)} Keras scripts, one epoch each", flush=True)
        failures = execution(tmp)
        print(f"\n(b) equivalence on the first training step (Keras in float64, "
              f"tolerance {TOLERANCE:g} relative)", flush=True)
        more, worst, worst_two = equivalence(tmp)
        failures += more
        print("\n(c) the recurrent model: execution, then equivalence", flush=True)
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import keras_check_rnn as rnn

        failures += rnn.execution(tmp, gradscope)
        more, worst_rnn, worst_two_rnn = rnn.equivalence(
            tmp, gradscope, import_script, relative, TOLERANCE, TOLERANCE_TWO_STEPS)
        failures += more
        worst, worst_two = max(worst, worst_rnn), max(worst_two, worst_two_rnn)
    print(f"\nworst relative difference {worst[0]:.1e} ({worst[1]}); after two steps "
          f"{worst_two[0]:.1e} ({worst_two[1]})")
    failed = len({f.split(":")[0] for f in failures})
    total = len(EXECUTION) + len(EQUIVALENCE) + len(rnn.EXECUTION) + len(rnn.EQUIVALENCE)
    print(f"{total - failed} passed, {failed} failed "
          f"in {time.time() - start:.0f}s")
    for f in failures:
        print("FAILED:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
