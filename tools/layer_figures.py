"""Computes every per-layer figure of an epoch record by hand, with numpy, for
tests/layer_figures.rs: the definitions written out once more, independently of the engine.

For small networks with fixed weights and data it trains exactly as the engine does (plain SGD,
softmax cross-entropy averaged over the batch; epoch 0 measures without updating and visits the
samples in order) and records, per Dense layer:
  grad_norm    ‖∂L/∂W‖_F, mean over the epoch's steps
  delta_rms    rms of ∂L/∂z over batch and units, mean over the epoch's steps
  weight_norm  ‖W‖_F at the end of the epoch
  update_ratio ‖ΔW‖_F / ‖W‖_F of the epoch's last step (‖W‖ before the step); 0 at epoch 0
  act_mean, act_std  of f(z) on the validation set (of the logits for the output layer)
  saturated    fraction of sigmoid/tanh outputs with f'(z) < 5 % of its peak (0 otherwise)
  dead         ReLU-family hidden layers: fraction of units with z <= 0 on every validation
               sample; None (null) elsewhere
  hist         the layer's distributions (`gradscope train --histograms`): f(z) and z on the
               validation set, δ and ∂L/∂W of the epoch's last step, W at its end; each as
               numpy.histogram counts over the documented edges (values beyond the edges in
               the outermost bins; zeros, NaN and ±inf apart) and numpy.percentile's nine
Two passes per case: epoch 0 alone with the case's batch size (several steps: the means over
steps are tested), and epochs 0–1 with one batch holding every sample, so the engine's shuffled
order in epoch 1 does not change the result (beyond float rounding).

Run (numpy only):  python3 tools/layer_figures.py > tests/data/layer_figures.json
"""
import json

import numpy as np

PEAK = {"sigmoid": 0.25, "tanh": 1.0}
PERCENTILES = [0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32, 100]
# Signed decades: ±10^(j/2 − 12) for j = 0..48, ascending; a bounded activation's range in 20.
SIGNED_LOG = np.concatenate([-(10.0 ** (np.arange(48, -1, -1) / 2 - 12)),
                             10.0 ** (np.arange(0, 49) / 2 - 12)])
RANGE = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}


def range_edges(lo, hi):
    return lo + (hi - lo) * np.arange(21) / 20


def histogram(values, edges, name):
    """`edges` written by name (the file's "edges" holds each list once)."""
    v = np.asarray(values, dtype=float).ravel()
    nan, inf, zero = np.isnan(v), np.isinf(v), v == 0
    rest = v[~(nan | inf | zero)]
    counts, _ = np.histogram(np.clip(rest, edges[0], edges[-1]), bins=edges)
    kept = v[~nan]
    pct = np.percentile(kept, PERCENTILES).tolist() if kept.size else [None] * 9
    return {"edges": name, "counts": counts.tolist(), "zeros": int(zero.sum()),
            "nans": int(nan.sum()), "infs": int(inf.sum()), "percentiles": pct}


def f(name, z):
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    raise ValueError(name)


def df(name, z):
    if name == "relu":
        return (z > 0).astype(float)
    if name == "tanh":
        return 1.0 - np.tanh(z) ** 2
    s = 1.0 / (1.0 + np.exp(-z))
    return s * (1.0 - s)


def forward(ws, bs, act, x):
    zs, a = [], x
    for w, b in zip(ws[:-1], bs[:-1]):
        z = a @ w + b
        zs.append(z)
        a = f(act, z)
    logits = a @ ws[-1] + bs[-1]
    return zs, logits


def gradients(ws, bs, act, x, y):
    """∂L/∂W, ∂L/∂b and ∂L/∂z per layer for the batch-mean cross-entropy."""
    zs, logits = forward(ws, bs, act, x)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(len(y)), y]))
    correct = int(np.sum(np.argmax(logits, axis=1) == y))
    delta = p.copy()
    delta[np.arange(len(y)), y] -= 1.0
    delta /= len(y)
    acts = [x] + [f(act, z) for z in zs]
    gw, gb, deltas = [None] * len(ws), [None] * len(ws), [None] * len(ws)
    for l in range(len(ws) - 1, -1, -1):
        deltas[l] = delta
        gw[l] = acts[l].T @ delta
        gb[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ ws[l].T) * df(act, zs[l - 1])
    return gw, gb, deltas, loss, correct


def rms(a):
    return float(np.sqrt(np.mean(a ** 2)))


def evaluate(ws, bs, act, x, y):
    zs, logits = forward(ws, bs, act, x)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    loss = float(-np.mean(np.log(p[np.arange(len(y)), y])))
    acc = float(np.mean(np.argmax(logits, axis=1) == y))
    stats = []
    for z in zs:
        a = f(act, z)
        sat = float(np.mean(df(act, z) < 0.05 * PEAK[act])) if act in PEAK else 0.0
        dead = float(np.mean(np.all(z <= 0, axis=0))) if act == "relu" else None
        edges, name = (range_edges(*RANGE[act]), act) if act in RANGE else (SIGNED_LOG, "signed_log")
        hists = {"activation": histogram(a, edges, name),
                 "preactivation": histogram(z, SIGNED_LOG, "signed_log")}
        stats.append((float(a.mean()), float(a.std()), sat, dead, hists))
    hists = {"activation": histogram(logits, SIGNED_LOG, "signed_log"),
             "preactivation": histogram(logits, SIGNED_LOG, "signed_log")}
    stats.append((float(logits.mean()), float(logits.std()), 0.0, None, hists))
    return loss, acc, stats


def run(case):
    rng = np.random.default_rng(case["seed"])
    sizes = [case["inputs"]] + [case["width"]] * case["depth"] + [case["classes"]]
    ws = [rng.normal(0, case["scale"], (a, b)) for a, b in zip(sizes, sizes[1:])]
    for unit in case.get("dead_units", []):
        ws[0][:, unit] = -np.abs(ws[0][:, unit])  # inputs are ≥ 0: this unit never fires
    x = rng.uniform(0, 1, (case["train"], case["inputs"]))
    y = rng.integers(0, case["classes"], case["train"])
    vx = rng.uniform(0, 1, (case["val"], case["inputs"]))
    vy = rng.integers(0, case["classes"], case["val"])
    out = dict(case, kernels=[w.tolist() for w in ws], x=x.tolist(), y=y.tolist(),
               val_x=vx.tolist(), val_y=vy.tolist())
    out["batched"] = train(case, ws, x, y, vx, vy, case["batch"], 0)
    out["full"] = train(case, ws, x, y, vx, vy, case["train"], case["epochs"])
    return out


def train(case, ws, x, y, vx, vy, batch, epochs):
    ws = [w.copy() for w in ws]
    bs = [np.zeros(w.shape[1]) for w in ws]
    records = []
    for epoch in range(epochs + 1):
        n_layers = len(ws)
        gsum, dsum, ratio = np.zeros(n_layers), np.zeros(n_layers), [0.0] * n_layers
        loss_sum, correct, steps = 0.0, 0, 0
        for start in range(0, case["train"], batch):
            xb, yb = x[start:start + batch], y[start:start + batch]
            gw, gb, deltas, loss, c = gradients(ws, bs, case["activation"], xb, yb)
            loss_sum += loss * len(yb)
            correct += c
            steps += 1
            last_gw, last_deltas = gw, deltas
            gsum += [np.linalg.norm(g) for g in gw]
            dsum += [rms(d) for d in deltas]
            if epoch > 0:
                for l in range(n_layers):
                    step = case["lr"] * gw[l]
                    ratio[l] = float(np.linalg.norm(step) / np.linalg.norm(ws[l]))
                    ws[l] = ws[l] - step
                    bs[l] = bs[l] - case["lr"] * gb[l]
        vloss, vacc, stats = evaluate(ws, bs, case["activation"], vx, vy)
        records.append({
            "epoch": epoch,
            "train_loss": loss_sum / case["train"],
            "train_accuracy": correct / case["train"],
            "val_loss": vloss,
            "val_accuracy": vacc,
            "layers": [{
                "layer": l + 1,
                "grad_norm": float(gsum[l] / steps),
                "delta_rms": float(dsum[l] / steps),
                "weight_norm": float(np.linalg.norm(ws[l])),
                "update_ratio": ratio[l],
                "act_mean": stats[l][0],
                "act_std": stats[l][1],
                "saturated": stats[l][2],
                "dead": stats[l][3],
                "hist": dict(stats[l][4],
                             delta=histogram(last_deltas[l], SIGNED_LOG, "signed_log"),
                             weight=histogram(ws[l], SIGNED_LOG, "signed_log"),
                             gradient=histogram(last_gw[l], SIGNED_LOG, "signed_log")),
            } for l in range(n_layers)],
        })
    return records


CASES = [
    # One hidden ReLU layer; epoch 0 in two steps of 3; unit 1 dead by construction.
    dict(name="relu_depth1", activation="relu", depth=1, width=4, inputs=5, classes=3,
         train=6, val=5, batch=3, epochs=1, lr=0.1, scale=0.6, seed=1, dead_units=[1]),
    # Two hidden tanh layers with large weights: saturation; then one SGD step.
    dict(name="tanh_depth2", activation="tanh", depth=2, width=4, inputs=5, classes=3,
         train=6, val=60, batch=2, epochs=1, lr=0.5, scale=2.0, seed=2),
    # Two hidden sigmoid layers, three steps in epoch 0.
    dict(name="sigmoid_depth2", activation="sigmoid", depth=2, width=3, inputs=4, classes=2,
         train=6, val=60, batch=2, epochs=1, lr=1.0, scale=3.0, seed=3),
]

if __name__ == "__main__":
    edges = {"signed_log": SIGNED_LOG.tolist(),
             **{name: range_edges(*r).tolist() for name, r in RANGE.items()}}
    print(json.dumps({"edges": edges, "cases": [run(c) for c in CASES]}))
