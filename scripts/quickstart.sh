#!/usr/bin/env bash
# Install, build, compile examples/quickstart/site.toml and serve it in the foreground on
# http://127.0.0.1:8080/ (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh
mkdir -p examples/quickstart/run
build/bin/fluxc build examples/quickstart/site.toml -o build/quickstart.fxs
echo "quickstart: serving http://127.0.0.1:8080/ (Ctrl-C to stop)"
exec build/bin/fluxheim run build/quickstart.fxs
