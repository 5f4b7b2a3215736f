#!/usr/bin/env bash
# The whole test run: setup (skip with FLUX_SKIP_SETUP=1), Release build, every ctest suite
# (unit + lit + integration + label `smoke`: WordPress external and managed-static, DokuWiki;
# tests/integration/smoke/), then the ASan+UBSan build's unit, lit and integration suites
# (real fluxheim processes under the sanitizers, leak checks at exit). `--full` adds
# every smoke test (browser, TLS proxy, all php-fpm modes; the others report "Skipped").
# The last lines are ctest's own summary.
set -euo pipefail
cd "$(dirname "$0")/.."

full=0
for arg in "$@"; do
  case "$arg" in
    --full) full=1 ;;
    *) echo "usage: scripts/test.sh [--full]" >&2; exit 2 ;;
  esac
done

if [ "${FLUX_SKIP_SETUP:-0}" != "1" ]; then
  scripts/setup.sh
fi

jobs="$(nproc 2>/dev/null || echo 2)"
scripts/build.sh
export FLUX_TEST_FULL="$full"
ctest --test-dir build --output-on-failure -j "$jobs" -LE fuzz

FLUX_SANITIZE=1 scripts/build.sh
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -L 'unit|lit|integration'
