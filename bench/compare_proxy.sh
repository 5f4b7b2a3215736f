#!/usr/bin/env bash
# Reverse-proxy throughput: fluxheim vs Debian's nginx `proxy_pass` with upstream keepalive, both
# in front of the same upstream (a third nginx serving a 1 KiB file), one worker/thread each,
# access logs off. wrk runs alternate between the two proxies in one run so machine noise hits
# both alike. Prints requests/s per round and the ratio fluxheim / nginx (goal: >= 1.0).
#
# Usage: bench/compare_proxy.sh   (env: FLUX_BIN_DIR, ROUNDS=5, DURATION=5s, CONNECTIONS=32)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=${FLUX_BIN_DIR:-$here/../build/bin}
rounds=${ROUNDS:-5}
duration=${DURATION:-5s}
conns=${CONNECTIONS:-32}
for tool in wrk nginx "$bin/fluxc" "$bin/fluxheim"; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done

work=$(mktemp -d)
chmod 755 "$work"  # nginx workers run as an unprivileged user
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done
  echo "port $1 did not open" >&2; exit 1
}

up_port=$(free_port); nginx_port=$(free_port); flux_port=$(free_port)

# nginx config with its own prefix; $1 = name, $2 = server block.
start_nginx() {
  local dir=$work/$1
  mkdir -p "$dir/logs" "$dir/tmp" "$dir/html"
  cat >"$dir/nginx.conf" <<EOF
daemon off; worker_processes 1; pid $dir/nginx.pid; error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi; uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;
  types { text/plain txt; }
  $2
}
EOF
  nginx -p "$dir" -c "$dir/nginx.conf" &
  pids+=($!)
}

head -c 1024 /dev/zero | tr '\0' 'x' >"$work/page.txt"
start_nginx upstream "server { listen 127.0.0.1:$up_port; root $work; location / { } }"
start_nginx proxy "upstream app { server 127.0.0.1:$up_port; keepalive 64; }
  server { listen 127.0.0.1:$nginx_port; location / { proxy_pass http://app;
    proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header Host \$http_host; } }"

cat >"$work/site.toml" <<EOF
[server]
listen = ["127.0.0.1:$flux_port"]
[server.process]
threads = 1
pid_file = "$work/fluxheim.pid"
[logging]
level = "warn"
[logging.access]
enabled = false
[[vhosts]]
name = "app"
hosts = ["127.0.0.1", "localhost"]
[vhosts.proxy]
upstreams = ["127.0.0.1:$up_port"]
EOF
"$bin/fluxc" build "$work/site.toml" -o "$work/site.fxs" >/dev/null 2>&1
"$bin/fluxheim" run "$work/site.fxs" 2>"$work/fluxheim.log" &
pids+=($!)
wait_port "$up_port"; wait_port "$nginx_port"; wait_port "$flux_port"

# Both proxies must serve the same bytes before anything is measured.
for port in "$nginx_port" "$flux_port"; do
  got=$(curl -s "http://127.0.0.1:$port/page.txt" | wc -c)
  [ "$got" = 1024 ] || { echo "proxy on $port is broken: $got bytes" >&2; cat "$work"/*/logs/error.log "$work/fluxheim.log" >&2; exit 1; }
done

rps() { wrk -t1 -c"$conns" -d"$duration" "http://127.0.0.1:$1/page.txt" | awk '/Requests\/sec/ {print $2}'; }
total_nginx=0; total_flux=0
for round in $(seq "$rounds"); do
  if [ $((round % 2)) = 1 ]; then n=$(rps "$nginx_port"); f=$(rps "$flux_port");
  else f=$(rps "$flux_port"); n=$(rps "$nginx_port"); fi
  printf 'round %d: nginx %10.0f rps   fluxheim %10.0f rps\n' "$round" "$n" "$f"
  total_nginx=$(awk -v a="$total_nginx" -v b="$n" 'BEGIN {print a + b}')
  total_flux=$(awk -v a="$total_flux" -v b="$f" 'BEGIN {print a + b}')
done
awk -v f="$total_flux" -v n="$total_nginx" -v r="$rounds" \
  'BEGIN {printf "mean: nginx %.0f rps, fluxheim %.0f rps, ratio fluxheim/nginx = %.2fx\n", n / r, f / r, f / n}'
