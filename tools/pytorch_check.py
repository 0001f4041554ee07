"""Runs the PyTorch scripts that `gradscope train --code pytorch` writes, for the
configurations of tools/keras_check.py (together every option): each must run one epoch
(GRADSCOPE_EPOCHS=1), exit 0 and print a validation accuracy in [0, 1].

Needs torch, numpy and scikit-learn; not part of CI (torch is too large for its machine):
    python tools/pytorch_check.py [path/to/gradscope]
Exits 2, saying so, when torch is not installed.
"""
import importlib.util
import os
import subprocess
import sys
import tempfile
import time



def main():
    missing = [m for m in ["torch", "numpy", "sklearn"] if importlib.util.find_spec(m) is None]
    if missing:
        print(f"pytorch_check: {', '.join(missing)} not installed for {sys.executable}; "
              "install torch, numpy and scikit-learn to run this check", file=sys.stderr)
        sys.exit(2)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from keras_check import EXECUTION, SMALL, binary, gradscope
    if not os.path.exists(binary()):
        sys.exit(f"no gradscope binary at {binary()}: cargo build --release --bin gradscope")
    start, failures = time.time(), []
    env = dict(os.environ, GRADSCOPE_EPOCHS="1")
    with tempfile.TemporaryDirectory() as tmp:
        for i, args in enumerate(EXECUTION):
            args = SMALL + args
            name = " ".join(args)
            path = os.path.join(tmp, f"run_{i}.py")
            with open(path, "w") as f:
                f.write(gradscope(args + ["--code", "pytorch"]))
            began = time.time()
            done = subprocess.run([sys.executable, path], capture_output=True, text=True,
                                  env=env, cwd=tmp, timeout=600)
            accuracies = [float(line.split("val_accuracy")[1])
                          for line in done.stdout.splitlines() if "val_accuracy" in line]
            ok = done.returncode == 0 and len(accuracies) == 1 and 0 <= accuracies[0] <= 1
            print(f"  {'ok  ' if ok else 'FAIL'} {time.time() - began:5.1f}s  "
                  f"val_accuracy {accuracies[0] if accuracies else '—'}  {name}", flush=True)
            if not ok:
                failures.append(f"{name}: exit {done.returncode}\n{done.stderr[-2000:]}")
    print(f"{len(EXECUTION) - len(failures)} passed, {len(failures)} failed "
          f"in {time.time() - start:.0f}s")
    for f in failures:
        print("FAILED:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
