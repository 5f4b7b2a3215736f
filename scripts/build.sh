#!/usr/bin/env bash
# Release build into build/ (Ninja, clang, ccache when present): build/bin/fluxc, build/bin/fluxheim.
# FLUX_SANITIZE=1 builds the ASan+UBSan variant into build-asan/ instead.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs="$(nproc 2>/dev/null || echo 2)"
common=(-G Ninja -DCMAKE_CXX_COMPILER=clang++-14)
if [ "${FLUX_SANITIZE:-0}" = "1" ]; then
  dir=build-asan
  flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DFLUX_SANITIZE=ON -DFLUX_BUILD_BENCH=OFF)
else
  dir=build
  flags=(-DCMAKE_BUILD_TYPE=Release)
fi
cmake -S . -B "$dir" "${common[@]}" "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$jobs" "$@"
echo "build: $dir/bin/fluxc $dir/bin/fluxheim"
