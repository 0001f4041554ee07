# Sourced by the other scripts: puts the locally installed tools first on PATH.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Trunk must never reach for GitHub: every tool it needs is installed locally.
export TRUNK_OFFLINE=true
