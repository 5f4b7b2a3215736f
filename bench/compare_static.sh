#!/usr/bin/env bash
# Static files: fluxheim vs Debian's nginx and h2o serving the same 4 KiB file with the same
# number of workers, wrk alternating between them in one run. Prints requests/s, p99 and the
# ratios. Usage: bench/compare_static.sh [--workers N] [--seconds S] [--rounds R]
source "$(dirname "$0")/lib.sh"

WORKERS=1 SECS=10 ROUNDS=2 CONNS=32
while [ $# -gt 0 ]; do
  case "$1" in
    --workers) WORKERS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    *) echo "usage: $0 [--workers N] [--seconds S] [--rounds R] [--connections C]" >&2; exit 2 ;;
  esac
done

mkdir -p "$T/html"
head -c 4096 /dev/urandom | base64 -w 76 | head -c 4096 >"$T/html/file.txt"

FLUX_PORT=$(free_port) NGINX_PORT=$(free_port) H2O_PORT=$(free_port)
cat >"$T/flux.toml" <<TOML
[server]
listen = ["127.0.0.1:$FLUX_PORT"]
default_vhost = "bench"
[server.process]
threads = $WORKERS
pid_file = "$T/fluxheim.pid"
[logging]
level = "warn"
[logging.access]
enabled = false
[[vhosts]]
name = "bench"
hosts = ["127.0.0.1"]
[vhosts.web]
root = "$T/html"
TOML
start_fluxheim flux "$FLUX_PORT"
start_nginx "$NGINX_PORT" "$WORKERS" "root $T/html;"
start_h2o "$H2O_PORT" "$WORKERS" "      /:
        file.dir: $T/html"

for url in "http://127.0.0.1:$FLUX_PORT/file.txt" "http://127.0.0.1:$NGINX_PORT/file.txt" \
           "http://127.0.0.1:$H2O_PORT/file.txt"; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ] || { echo "warm-up failed: $url" >&2; exit 1; }
  wrk_run "$url" 2 "$CONNS" 2 >/dev/null  # warm-up
done

declare -A total
for name in fluxheim nginx h2o; do total[$name]=0; done
echo "round server      rps     p99_ms  non2xx  socket_errors"
for round in $(seq "$ROUNDS"); do
  for name in fluxheim nginx h2o; do
    case $name in
      fluxheim) port=$FLUX_PORT ;; nginx) port=$NGINX_PORT ;; h2o) port=$H2O_PORT ;;
    esac
    read -r rps p99 non2xx errs < <(wrk_run "http://127.0.0.1:$port/file.txt" 2 "$CONNS" "$SECS")
    printf '%-5s %-9s %7s %8s %7s %6s\n' "$round" "$name" "$rps" "$p99" "$non2xx" "$errs"
    total[$name]=$((total[$name] + rps))
    [ "$name" != fluxheim ] || { [ "$non2xx" = 0 ] && [ "$errs" = 0 ]; } || echo "  ! fluxheim had errors"
  done
done
echo "static 4KiB, workers=$WORKERS, wrk -t2 -c$CONNS -d${SECS}s x $ROUNDS rounds"
echo "fluxheim/nginx = $(ratio "${total[fluxheim]}" "${total[nginx]}")  (floor 1.20)"
echo "fluxheim/h2o   = $(ratio "${total[fluxheim]}" "${total[h2o]}")  (goal 1.00)"
