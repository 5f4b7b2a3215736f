#!/usr/bin/env bash
# `fluxc check --no-host-checks` on every examples/recipes/*.toml (the configs behind
# docs/recipes/): each must compile without errors, and each recipe page must exist.
# Binaries from ${FLUX_BIN_DIR:-build/bin}. Run by ctest as `recipes.check`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${FLUX_BIN_DIR:-build/bin}"
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
[ -x "$bin/fluxc" ] || { echo "check_recipes: $bin/fluxc not found" >&2; exit 1; }

shopt -s nullglob
recipes=("$root"/examples/recipes/*.toml)
[ "${#recipes[@]}" -gt 0 ] || { echo "check_recipes: no examples/recipes/*.toml" >&2; exit 1; }
failed=0
for toml in "${recipes[@]}"; do
  name="$(basename "$toml" .toml)"
  if ! out="$("$bin/fluxc" check --no-host-checks "$toml" 2>&1)"; then
    echo "FAIL $name: fluxc check --no-host-checks examples/recipes/$name.toml" >&2
    echo "$out" >&2
    failed=1
    continue
  fi
  if [ ! -f "$root/docs/recipes/$name.md" ]; then
    echo "FAIL $name: docs/recipes/$name.md is missing" >&2
    failed=1
    continue
  fi
  grep -q "examples/recipes/$name.toml" "$root/docs/recipes/$name.md" ||
    { echo "FAIL $name: docs/recipes/$name.md does not name examples/recipes/$name.toml" >&2; failed=1; continue; }
  echo "ok $name"
done
[ "$failed" -eq 0 ] || exit 1
echo "check_recipes: ${#recipes[@]} recipes compile"
