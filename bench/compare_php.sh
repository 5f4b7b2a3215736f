#!/usr/bin/env bash
# PHP through php-fpm: fluxheim vs Debian's nginx and h2o in front of php-fpm pools of the same
# configuration (pm static, 4 workers, a hello-world script; one pool each, see start_pool), wrk
# alternating between them in one run. Also drives a pool directly with bench/fcgi_load (no HTTP
# at all: the physical limit of this path) and reports the gateway's overhead against it, and
# the RSS growth of fluxheim under 64 concurrent 1 MiB PHP responses.
#   --managed   also run fluxheim with a managed pool of the same size and print its ratio to
#               the external-pool run.
# Usage: bench/compare_php.sh [--managed] [--seconds S] [--rounds R] [--workers N]
source "$(dirname "$0")/lib.sh"

MANAGED=0 SECS=10 ROUNDS=2 CHILDREN=4 CONNS=32 WORKERS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --managed) MANAGED=1; shift ;;
    --seconds) SECS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    *) echo "usage: $0 [--managed] [--seconds S] [--rounds R] [--workers N]" >&2; exit 2 ;;
  esac
done
PHP_FPM=${PHP_FPM:-/usr/sbin/php-fpm8.2}

mkdir -p "$T/www"
printf '<?php echo "Hello, world!\\n";\n' >"$T/www/hello.php"
printf '<?php $c = str_repeat("x", 1 << 20); echo $c;\n' >"$T/www/mib.php"
chmod -R a+rX "$T/www"

# One php-fpm pool per server, all with the same configuration. They cannot share one pool:
# a php-fpm child serves one connection until it closes, so fluxheim's pooled keep-alive
# connections (which make it fast) would pin every child and starve the other servers. Only
# the pool of the server being measured does any work during its run.
start_pool() {  # $1 = name
  mkdir -p "$T/fpm-$1"
  cat >"$T/fpm-$1/php-fpm.conf" <<FPM
[global]
pid = $T/fpm-$1/php-fpm.pid
error_log = $T/fpm-$1/php-fpm.log
daemonize = no
[bench]
listen = $T/fpm-$1/php-fpm.sock
listen.mode = 0666
user = www-data
group = www-data
pm = static
pm.max_children = $CHILDREN
pm.max_requests = 0
clear_env = yes
FPM
  start_bg "php-fpm-$1" "$PHP_FPM" -F -y "$T/fpm-$1/php-fpm.conf"
  for _ in $(seq 100); do [ -S "$T/fpm-$1/php-fpm.sock" ] && break; sleep 0.05; done
}
for pool in flux nginx h2o raw; do start_pool "$pool"; done

FLUX_PORT=$(free_port) NGINX_PORT=$(free_port) H2O_PORT=$(free_port)
flux_site() {  # $1 = name, $2 = port, $3 = [vhosts.php.fpm] body
  cat >"$T/$1.toml" <<TOML
[server]
listen = ["127.0.0.1:$2"]
default_vhost = "bench"
[server.process]
threads = $WORKERS
pid_file = "$T/$1.pid"
[logging]
level = "warn"
[logging.access]
enabled = false
[[vhosts]]
name = "bench"
hosts = ["127.0.0.1"]
[vhosts.php]
enabled = true
root = "$T/www"
max_in_flight = 64
max_queued = 1024
[vhosts.php.fpm]
$3
TOML
}
flux_site flux "$FLUX_PORT" "socket = \"$T/fpm-flux/php-fpm.sock\"
keepalive = true
max_connections = $CHILDREN
pool_max_idle = $CHILDREN"
start_fluxheim flux "$FLUX_PORT"
start_nginx "$NGINX_PORT" "$WORKERS" "root $T/www;
    location ~ \.php\$ { include /etc/nginx/fastcgi_params; fastcgi_param HTTP_HOST \$http_host;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_pass unix:$T/fpm-nginx/php-fpm.sock; }"
start_h2o "$H2O_PORT" "$WORKERS" "      /hello.php:
        fastcgi.connect:
          port: $T/fpm-h2o/php-fpm.sock
          type: unix
        setenv:
          SCRIPT_FILENAME: $T/www/hello.php"

servers=(fluxheim nginx h2o)
ports=("$FLUX_PORT" "$NGINX_PORT" "$H2O_PORT")
if [ "$MANAGED" = 1 ]; then
  MANAGED_PORT=$(free_port)
  mkdir -p "$T/managed"
  # The same pool as the external ones, so the ratio measures managed mode itself: php-fpm's
  # default catch_workers_output = no (fluxheim's managed default is yes, which makes every
  # worker write a flush marker per request that the master wakes up to read; about a tenth of
  # a core at 17k requests/s here).
  flux_site managed "$MANAGED_PORT" "mode = \"managed\"
php_fpm_binary = \"$PHP_FPM\"
socket_dir = \"$T/managed\"
workers = $CHILDREN
max_requests_per_worker = 0
catch_workers_output = false
decorate_workers_output = false
user = \"www-data\"
group = \"www-data\""
  start_fluxheim managed "$MANAGED_PORT"
  servers+=(managed)
  ports+=("$MANAGED_PORT")
fi

for i in "${!servers[@]}"; do
  url="http://127.0.0.1:${ports[$i]}/hello.php"
  [ "$(curl -s "$url")" = "Hello, world!" ] || { echo "warm-up failed: ${servers[$i]}" >&2; cat "$T"/*.log >&2; exit 1; }
  wrk_run "$url" 2 "$CONNS" 2 >/dev/null
done

# The process whose CPU is the gateway's, and the pool that serves it, per server.
declare -A gateway_pid pool_pid
gateway_pid[fluxheim]=$(cat "$T/flux.pid"); pool_pid[fluxheim]=$(cat "$T/fpm-flux/php-fpm.pid")
gateway_pid[nginx]=$(cat "$T/nginx/nginx.pid"); pool_pid[nginx]=$(cat "$T/fpm-nginx/php-fpm.pid")
gateway_pid[h2o]=$(cat "$T/h2o/h2o.pid"); pool_pid[h2o]=$(cat "$T/fpm-h2o/php-fpm.pid")
if [ "$MANAGED" = 1 ]; then
  gateway_pid[managed]=$(cat "$T/managed.pid")
  pool_pid[managed]=$(pgrep -P "${gateway_pid[managed]}" php-fpm | head -1)
fi

declare -A rps_total p99_max err_total gw_ticks fpm_ticks
for s in "${servers[@]}"; do
  rps_total[$s]=0; p99_max[$s]=0; err_total[$s]=0; gw_ticks[$s]=0; fpm_ticks[$s]=0
done
echo "round server     rps     p99_ms  non2xx  socket_errors"
for round in $(seq "$ROUNDS"); do
  for i in "${!servers[@]}"; do
    s=${servers[$i]}
    gw0=$(cpu_ticks "${gateway_pid[$s]}"); fpm0=$(cpu_ticks "${pool_pid[$s]}" all)
    read -r rps p99 non2xx errs < <(wrk_run "http://127.0.0.1:${ports[$i]}/hello.php" 2 "$CONNS" "$SECS")
    gw_ticks[$s]=$((gw_ticks[$s] + $(cpu_ticks "${gateway_pid[$s]}") - gw0))
    fpm_ticks[$s]=$((fpm_ticks[$s] + $(cpu_ticks "${pool_pid[$s]}" all) - fpm0))
    printf '%-5s %-9s %7s %8s %7s %6s\n' "$round" "$s" "$rps" "$p99" "$non2xx" "$errs"
    rps_total[$s]=$((rps_total[$s] + rps))
    err_total[$s]=$((err_total[$s] + non2xx + errs))
    p99_max[$s]=$(python3 -c "print(max($p99, ${p99_max[$s]}))")
  done
done

raw_fpm0=$(cpu_ticks "$(cat "$T/fpm-raw/php-fpm.pid")" all)
read -r raw raw_client_us < <("$BIN/fcgi_load" --socket "$T/fpm-raw/php-fpm.sock" \
  --script "$T/www/hello.php" --connections "$CHILDREN" --seconds "$SECS" --keepalive |
  awk '{print $6, $8}')
raw_fpm_us=$(python3 -c "print(f'{($(cpu_ticks "$(cat "$T/fpm-raw/php-fpm.pid")" all) - $raw_fpm0) * 1e4 / ($raw * $SECS):.1f}')")
flux_avg=$((rps_total[fluxheim] / ROUNDS))
echo "php hello-world, php-fpm pm=static children=$CHILDREN, workers=$WORKERS, wrk -t2 -c$CONNS -d${SECS}s x $ROUNDS"
echo "fluxheim/nginx = $(ratio "${rps_total[fluxheim]}" "${rps_total[nginx]}")  (floor 1.10)  p99 fluxheim ${p99_max[fluxheim]} ms, nginx ${p99_max[nginx]} ms; errors fluxheim ${err_total[fluxheim]}"
echo "fluxheim/h2o   = $(ratio "${rps_total[fluxheim]}" "${rps_total[h2o]}")  (goal 1.00)"
echo "raw FastCGI (fcgi_load, $CHILDREN keepalive connections) = $raw rps; gateway overhead = $(python3 -c "print(f'{(1 - $flux_avg / $raw) * 100:.1f}')") %  (limit 15 %)"
if [ "$MANAGED" = 1 ]; then
  echo "managed/external = $(ratio "${rps_total[managed]}" "${rps_total[fluxheim]}")  (floor 0.95)"
fi
# Where the CPU goes (2 cores shared by wrk, the gateway and the pool): microseconds of CPU per
# request, from /proc tick counts over all rounds. The raw run has no HTTP client and no gateway.
echo "CPU per request (us): server: gateway + php-fpm pool"
for s in "${servers[@]}"; do
  python3 -c "n = ${rps_total[$s]} * $SECS
print(f'  {\"$s\":9} {${gw_ticks[$s]} * 1e4 / n:6.1f} + {${fpm_ticks[$s]} * 1e4 / n:6.1f}')"
done
echo "  raw       fcgi_load $raw_client_us + $raw_fpm_us"

# 64 concurrent 1 MiB responses: RSS growth of fluxheim (limit 100 MiB).
flux_pid=$(cat "$T/flux.pid")
rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$flux_pid/status")
wrk -t2 -c64 -d5s "http://127.0.0.1:$FLUX_PORT/mib.php" >"$T/mib.log" 2>&1 &
wrk_pid=$!
peak=$rss_before
while kill -0 "$wrk_pid" 2>/dev/null; do
  now=$(awk '/VmRSS/ {print $2}' "/proc/$flux_pid/status")
  [ "$now" -gt "$peak" ] && peak=$now
  sleep 0.1
done
echo "64 x 1 MiB responses: RSS $((rss_before / 1024)) MiB -> peak $((peak / 1024)) MiB (growth $(((peak - rss_before) / 1024)) MiB, limit 100)"
