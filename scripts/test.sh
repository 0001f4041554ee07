#!/usr/bin/env bash
# Installs what is missing, then runs every check: format, lints (native and wasm32), the
# engine's tests, the generated Keras scripts against the engine, a release build of the app,
# and the browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser --keras
source scripts/env.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "rustfmt"
cargo fmt --all -- --check
step "clippy (native)"
cargo clippy --all-targets -- -D warnings
step "clippy (wasm32)"
cargo clippy --target wasm32-unknown-unknown --lib --bins -- -D warnings
step "engine, CLI and codec tests"
cargo test
step "the generated Keras scripts run and compute what the engine computes (tools/keras_check.py)"
cargo build --release --bin gradscope
"$KERAS_VENV/bin/python" tools/keras_check.py "${CARGO_TARGET_DIR:-target}/release/gradscope"
step "every built-in lesson's claims on seeds 0-4 (gradscope lesson check)"
"${CARGO_TARGET_DIR:-target}/release/gradscope" lesson check --seeds 0-4 lessons/*.md
step "release build of the app"
trunk build --release --offline
step "browser tests (Playwright + /usr/bin/chromium)"
(cd e2e && node --test --test-concurrency=1 tests/)
