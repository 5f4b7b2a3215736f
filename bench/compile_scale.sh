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

# Wall time and CPU time (user+sys) of one command: on a shared 2-core machine the wall time
# includes waiting for the CPU, so both are printed.
measure() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t0 = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
wall = (time.monotonic() - t0) * 1000
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.0f} ms wall, {(ru.ru_utime + ru.ru_stime) * 1000:.0f} ms cpu")
PY
}
echo "compile_scale: $n vhosts, $(wc -c < "$work/site.toml") bytes of TOML, fluxc at $fluxc"
echo "fluxc check: $(measure "$fluxc" check --no-host-checks "$work/site.toml")"
echo "fluxc build: $(measure "$fluxc" build --no-host-checks "$work/site.toml" -o "$work/site.fxs")"
size=$(wc -c < "$work/site.fxs")
echo "snapshot: $size bytes ($((size / n)) bytes per vhost)"
