# Shared helpers for the comparison benchmarks: free ports, starting peers (nginx, h2o,
# php-fpm, fluxheim) in a private temp dir, wrk runs and result parsing. Sourced, not run.
# Every process started here is recorded and stopped by pid on exit.

set -euo pipefail
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${FLUX_BIN_DIR:-$BENCH_ROOT/build/bin}"
T="$(mktemp -d /tmp/fluxheim-bench-XXXXXX)"
chmod 755 "$T"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$T"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_port() {
  local port=$1
  for _ in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "port $port did not open" >&2
  return 1
}

# start_bg <name> <cmd...>: runs a server in the background, logs to $T/<name>.log.
start_bg() {
  local name=$1
  shift
  "$@" >"$T/$name.log" 2>&1 &
  PIDS+=("$!")
}

# wrk_run <url> <threads> <conns> <secs> -> prints "rps p99_ms non2xx socket_errors"
wrk_run() {
  local out
  out="$(wrk -t"$2" -c"$3" -d"$4"s --latency "$1" 2>&1)"
  echo "$out" >>"$T/wrk.log"
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    n, u = float(m.group(1)), m.group(2)
    return n / 1000 if u == "us" else n * 1000 if u == "s" else n
p99 = ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # the latency table, not "+/- Stdev"
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
errors = sum(int(x) for x in sock.groups()) if sock else 0
print(f"{rps:.0f} {p99:.2f} {int(non2xx.group(1)) if non2xx else 0} {errors}")
PY
}

# nginx with its own prefix; $1 = port, $2 = workers, $3 = server block body.
start_nginx() {
  local port=$1 workers=$2 body=$3
  mkdir -p "$T/nginx/logs" "$T/nginx/tmp"
  cat >"$T/nginx/nginx.conf" <<NGINX
daemon off; worker_processes $workers; pid $T/nginx/nginx.pid; error_log $T/nginx/logs/error.log warn;
events { worker_connections 4096; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
  client_body_temp_path $T/nginx/tmp/body; proxy_temp_path $T/nginx/tmp/proxy;
  fastcgi_temp_path $T/nginx/tmp/fastcgi; uwsgi_temp_path $T/nginx/tmp/uwsgi; scgi_temp_path $T/nginx/tmp/scgi;
  types { text/plain txt; text/html html; }
  server { listen 127.0.0.1:$port; $body } }
NGINX
  start_bg nginx nginx -p "$T/nginx" -c "$T/nginx/nginx.conf"
  wait_port "$port"
}

# h2o; $1 = port, $2 = threads, $3 = the "paths:" YAML block (indented 6 spaces).
start_h2o() {
  local port=$1 threads=$2 paths=$3
  mkdir -p "$T/h2o"
  cat >"$T/h2o/h2o.conf" <<H2O
user: root
listen:
  host: 127.0.0.1
  port: $port
num-threads: $threads
pid-file: $T/h2o/h2o.pid
error-log: $T/h2o/error.log
hosts:
  default:
    paths:
$paths
H2O
  start_bg h2o h2o -c "$T/h2o/h2o.conf"
  wait_port "$port"
}

# fluxheim from a site.toml in $T/<name>.toml.
start_fluxheim() {
  local name=$1 port=$2
  "$BIN/fluxc" build "$T/$name.toml" -o "$T/$name.fxs" >/dev/null
  start_bg "$name" "$BIN/fluxheim" run "$T/$name.fxs"
  wait_port "$port"
}

# ratio a b -> a/b with two decimals
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }

# cpu_ticks <pid> [all]: user+system clock ticks (1/100 s) used so far by a process and its
# direct children, from /proc. Without "all", php-fpm children are left out: under a managed
# pool they are the pool's work, not the gateway's.
cpu_ticks() {
  local pid=$1 mode=${2:-} total=0 p
  for p in "$pid" $(pgrep -P "$pid" || true); do
    [ -r "/proc/$p/stat" ] || continue
    if [ "$p" != "$pid" ] && [ "$mode" != all ]; then
      case "$(cat "/proc/$p/comm" 2>/dev/null)" in php-fpm*) continue ;; esac
    fi
    # Fields 14 and 15 (utime, stime) counted after the ")" that ends the command name.
    total=$((total + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}
