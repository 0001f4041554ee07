# Sourced by the other scripts: puts the locally installed tools first on PATH.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Trunk must never reach for GitHub: every tool it needs is installed locally.
export TRUNK_OFFLINE=true
# The Python venv with Keras, JAX and scikit-learn (scripts/setup.sh --keras), outside the
# repository so that a clean clone does not carry it.
export KERAS_VENV="${KERAS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/gradscope/keras-venv}"
