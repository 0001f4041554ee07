#!/usr/bin/env bash
# Installs what is missing, builds the app (release) and serves it at http://127.0.0.1:8080
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
trunk build --release --offline
echo "gradscope: serving dist/ at http://127.0.0.1:8080 (Ctrl-C to stop)"
exec python3 -m http.server 8080 --bind 127.0.0.1 --directory dist
