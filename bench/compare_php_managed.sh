#!/usr/bin/env bash
# Managed php-fpm vs an external php-fpm pool (php-behaviour.md §14): two fluxheim instances
# with the same FastCGI settings, each with a php-fpm pool of its own of the same size
# (pm static, the same directives as the generated config), serving the same hello-world
# script. wrk alternates between them in one run so machine noise hits both alike. Prints
# requests/s per round and the ratio managed / external (goal: >= 0.95).
#
# Each fluxheim gets its own pool because keepalive FastCGI connections pin php-fpm children:
# a pool shared with another client would stall behind fluxheim's idle connections.
# Usage: bench/compare_php_managed.sh [--seconds S] [--rounds R] [--children N] [--threads T]
source "$(dirname "$0")/lib.sh"

SECS=10 ROUNDS=3 CHILDREN=4 THREADS=1 CONNS=32
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --children) CHILDREN=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds S] [--rounds R] [--children N] [--threads T]" >&2; exit 2 ;;
  esac
done
PHP_FPM=${PHP_FPM:-/usr/sbin/php-fpm8.2}
for tool in wrk curl "$PHP_FPM" "$BIN/fluxc" "$BIN/fluxheim"; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
# As root, php-fpm needs a worker identity (§14.3); otherwise both pools run as the caller.
ini_identity="" toml_identity=""
if [ "$(id -u)" -eq 0 ]; then
  ini_identity=$'user = www-data\ngroup = www-data'
  toml_identity=$'user = "www-data"\ngroup = "www-data"'
fi

mkdir -p "$T/www" "$T/fpm" "$T/managed"
printf '<?php echo "Hello, world!\\n";\n' >"$T/www/hello.php"
chmod -R a+rX "$T/www"
# The external pool: the directives the managed renderer writes for the same settings.
cat >"$T/fpm/php-fpm.conf" <<FPM
[global]
daemonize = no
pid = $T/fpm/php-fpm.pid
error_log = $T/fpm/php-fpm.log

[bench]
listen = $T/fpm/php-fpm.sock
listen.mode = 0600
${ini_identity}
pm = static
pm.max_children = $CHILDREN
pm.max_requests = 0
clear_env = yes
catch_workers_output = yes
decorate_workers_output = yes
chdir = /
security.limit_extensions = .php
FPM
start_bg php-fpm "$PHP_FPM" -F -y "$T/fpm/php-fpm.conf"
for _ in $(seq 100); do [ -S "$T/fpm/php-fpm.sock" ] && break; sleep 0.05; done

site() {  # $1 = name, $2 = port, $3 = [vhosts.php.fpm] body
  cat >"$T/$1.toml" <<TOML
[server]
listen = ["127.0.0.1:$2"]
default_vhost = "bench"
[server.process]
threads = $THREADS
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
EXTERNAL_PORT=$(free_port) MANAGED_PORT=$(free_port)
# External mode with the FastCGI settings managed mode defaults to (config-reference.md §9.2).
site external "$EXTERNAL_PORT" "socket = \"$T/fpm/php-fpm.sock\"
keepalive = true
max_connections = $CHILDREN
pool_max_idle = $CHILDREN"
site managed "$MANAGED_PORT" "mode = \"managed\"
php_fpm_binary = \"$PHP_FPM\"
socket_dir = \"$T/managed\"
workers = $CHILDREN
max_requests_per_worker = 0
${toml_identity}"
start_fluxheim external "$EXTERNAL_PORT"
start_fluxheim managed "$MANAGED_PORT"

servers=(external managed)
ports=("$EXTERNAL_PORT" "$MANAGED_PORT")
for i in "${!servers[@]}"; do
  url="http://127.0.0.1:${ports[$i]}/hello.php"
  [ "$(curl -s --max-time 5 "$url")" = "Hello, world!" ] || {
    echo "warm-up failed: ${servers[$i]}" >&2; cat "$T"/*.log >&2; exit 1; }
  wrk_run "$url" 2 "$CONNS" 2 >/dev/null
done

declare -A total errors
for s in "${servers[@]}"; do total[$s]=0; errors[$s]=0; done
echo "round server    rps     p99_ms  non2xx  socket_errors"
for round in $(seq "$ROUNDS"); do
  for i in "${!servers[@]}"; do
    s=${servers[$i]}
    read -r rps p99 non2xx errs < <(wrk_run "http://127.0.0.1:${ports[$i]}/hello.php" 2 "$CONNS" "$SECS")
    printf '%-5s %-8s %7s %8s %7s %6s\n' "$round" "$s" "$rps" "$p99" "$non2xx" "$errs"
    total[$s]=$((total[$s] + rps))
    errors[$s]=$((errors[$s] + non2xx + errs))
  done
done
echo "php hello-world, pm=static children=$CHILDREN, fluxheim threads=$THREADS, wrk -t2 -c$CONNS -d${SECS}s x $ROUNDS"
echo "external avg $((total[external] / ROUNDS)) rps, managed avg $((total[managed] / ROUNDS)) rps; errors external ${errors[external]}, managed ${errors[managed]}"
echo "managed/external = $(ratio "${total[managed]}" "${total[external]}")  (goal >= 0.95)"
