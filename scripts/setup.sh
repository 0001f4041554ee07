#!/usr/bin/env bash
# Installs what gradscope needs, skipping whatever is already there at the right version.
#   scripts/setup.sh            the app: wasm32 target, Trunk, wasm-bindgen-cli, wasm-opt (npm binaryen)
#   scripts/setup.sh --browser  also Debian's Chromium and Playwright, for the browser tests
#   scripts/setup.sh --keras    also a Python venv with Keras 3 + JAX (CPU) + scikit-learn, for
#                               tools/keras_check.py (at $KERAS_VENV, see scripts/env.sh)
# Options combine (scripts/setup.sh --browser --keras). Nothing is downloaded except from the
# package registries (crates.io, npm, Debian, PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

BROWSER=false
KERAS=false
for arg in "$@"; do
  case "$arg" in
    --browser) BROWSER=true ;;
    --keras) KERAS=true ;;
    *) echo "setup.sh: unknown option '$arg'; allowed: --browser, --keras" >&2; exit 2 ;;
  esac
done

TRUNK_VERSION=0.21.14   # 0.22 needs a newer rustc than this machine's 1.95
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing Trunk $TRUNK_VERSION (about 10 minutes on 2 cores, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (must match Cargo.lock exactly)"
  # Not --locked: its lock file pins a webpki-roots version this registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# npm: binaryen's wasm-opt 132 (Debian's 108 silently produces a blank page), playwright-core
# and axe-core (the accessibility checks of the browser tests).
npm_version() { node -p "require('./e2e/node_modules/$1/package.json').version" 2>/dev/null || true; }
want_npm() { node -p "require('./e2e/package.json').devDependencies['$1']"; }
if [ "$(npm_version binaryen)" != "$(want_npm binaryen)" ] \
  || [ "$(npm_version playwright-core)" != "$(want_npm playwright-core)" ] \
  || [ "$(npm_version axe-core)" != "$(want_npm axe-core)" ]; then
  say "installing npm packages in e2e/ (binaryen, playwright-core, axe-core)"
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

if $BROWSER && [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's Chromium for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

# The versions tools/keras_check.py was measured with (README: "The same experiment in Keras
# and PyTorch").
KERAS_PINS=(keras==3.15.1 "jax[cpu]==0.10.2" jaxlib==0.10.2 scikit-learn==1.9.1)
keras_venv_ok() {
  "$KERAS_VENV/bin/python" - "${KERAS_PINS[@]}" 2>/dev/null <<'PY'
import importlib.metadata as meta, re, sys
for pin in sys.argv[1:]:
    name, version = re.sub(r"\[.*\]", "", pin).split("==")
    if meta.version(name) != version:
        sys.exit(1)
PY
}
if $KERAS && ! keras_venv_ok; then
  say "creating the Keras venv at $KERAS_VENV (${KERAS_PINS[*]})"
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq python3-venv >/dev/null
  fi
  rm -rf "$KERAS_VENV"
  python3 -m venv "$KERAS_VENV"
  "$KERAS_VENV/bin/pip" install --quiet --disable-pip-version-check "${KERAS_PINS[@]}"
  keras_venv_ok || { echo "setup.sh: the Keras venv does not have ${KERAS_PINS[*]}" >&2; exit 1; }
fi
if $KERAS; then
  say "Keras venv: $("$KERAS_VENV/bin/python" -c 'import importlib.metadata as m; print(", ".join(p + " " + m.version(p) for p in ["keras", "jax", "scikit-learn"]))')"
fi

say "ready: rustc $(rustc --version | cut -d' ' -f2), $(trunk --version), $(wasm-bindgen --version), wasm-opt $(e2e/node_modules/.bin/wasm-opt --version | cut -d' ' -f3)"
