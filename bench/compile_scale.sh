#!/usr/bin/env bash
# Generates a site with N vhosts (default 10,000; shared hosting runs thousands) and prints the
# wall time of `fluxc check` and `fluxc build` on it (issue 3 "Done when": check under 1 s).
# A benchmark, not a timed test. Usage: bench/compile_scale.sh [N] (FLUXC=path/to/fluxc).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fluxc="${FLUXC:-$root/build/bin/fluxc}"
n="${1:-10000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$n" > "$work/site.toml" <<'PY'
import sys
n = int(sys.argv[1])
print('[server]\nlisten = ["127.0.0.1:8080"]\ndefault_vhost = "site0"\n')
for i in range(n):
    print(f'[[vhosts]]\nname = "site{i}"\nhosts = ["site{i}.example.test", "www.site{i}.example.test"]')
    print(f'[vhosts.web]\nroot = "/srv/www/site{i}"\n')
    if i % 10 == 0:
        print(f'[[vhosts.routes]]\nname = "health"\npath_exact = "/healthz"\nrespond = {{ status = 200, body = "ok" }}\n')
PY

ms() { python3 -c 'import time; print(int(time.monotonic() * 1000))'; }
echo "compile_scale: $n vhosts, $(wc -c < "$work/site.toml") bytes of TOML, fluxc at $fluxc"
t0=$(ms); "$fluxc" check --no-host-checks "$work/site.toml" 2>/dev/null; t1=$(ms)
echo "fluxc check: $((t1 - t0)) ms"
t0=$(ms); "$fluxc" build --no-host-checks "$work/site.toml" -o "$work/site.fxs" 2>/dev/null; t1=$(ms)
size=$(wc -c < "$work/site.fxs")
echo "fluxc build: $((t1 - t0)) ms, snapshot $size bytes ($((size / n)) bytes per vhost)"
