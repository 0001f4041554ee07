#!/usr/bin/env bash
# Installs what gradscope needs, skipping whatever is already there at the right version.
#   scripts/setup.sh            the app: wasm32 target, Trunk, wasm-bindgen-cli, wasm-opt (npm binaryen)
#   scripts/setup.sh --browser  also Debian's Chromium and Playwright, for the browser tests
# Nothing is downloaded except from the package registries (crates.io, npm, Debian).
set -euo pipefail
cd "$(dirname "$0")/.."

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

if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's Chromium for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

say "ready: rustc $(rustc --version | cut -d' ' -f2), $(trunk --version), $(wasm-bindgen --version), wasm-opt $(e2e/node_modules/.bin/wasm-opt --version | cut -d' ' -f3)"
