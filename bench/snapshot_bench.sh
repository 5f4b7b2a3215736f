#!/usr/bin/env bash
# Snapshot scale: generates a 10,000-vhost site (exact and wildcard hosts, a web root and two
# routes each), compiles it, and prints the snapshot size per vhost, load + verify time, host
# lookup + route selection time (Google Benchmark medians) and fluxheim's idle RSS serving it.
# Goals: load + verify < 20 ms; lookup + selection < 250 ns; < 1 KiB per simple vhost;
# idle RSS <= 30 MiB.
source "$(dirname "$0")/lib.sh"

VHOSTS=${VHOSTS:-10000}
PORT=$(free_port)
python3 - "$T/site.toml" "$VHOSTS" "$PORT" "$T" <<'PY'
import sys
path, n, port, t = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(path, "w") as f:
    f.write(f'[server]\nlisten = ["127.0.0.1:{port}"]\n[server.process]\npid_file = "{t}/fluxheim.pid"\n'
            '[logging]\nlevel = "warn"\n[logging.access]\nenabled = false\n')
    # Inline tables keep 10,000 vhosts under fluxc's 4MiB source limit.
    for i in range(n):
        f.write(f'[[vhosts]]\nname = "site{i}"\nhosts = ["site{i}.example.com", "*.site{i}.example.com"]\n'
                f'web = {{ root = "/srv/sites/site{i}/public" }}\n'
                'routes = [{ name = "health", path_exact = "/healthz", respond = { status = 200, body = "ok" } },\n'
                '          { name = "api", path_prefix = "/api/", respond = { status = 200, body = "api" } }]\n')
PY
"$BIN/fluxc" build "$T/site.toml" -o "$T/site.fxs" --no-host-checks 2>"$T/fluxc.log" || { cat "$T/fluxc.log" >&2; exit 1; }
size=$(stat -c %s "$T/site.fxs")
echo "snapshot: $VHOSTS vhosts, $size bytes, $((size / VHOSTS)) bytes per vhost (goal < 1024)"

FLUX_SNAPSHOT="$T/site.fxs" "$BIN/snapshot_bench" --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true 2>/dev/null | grep -E "median|Benchmark"

start_bg fluxheim "$BIN/fluxheim" run "$T/site.fxs" --threads 2
wait_port "$PORT"
sleep 0.5
pid=$(cat "$T/fluxheim.pid")
echo "fluxheim idle RSS with $VHOSTS vhosts: $(awk '/VmRSS/ {printf "%.1f MiB", $2 / 1024}' /proc/$pid/status) (goal <= 30 MiB)"
