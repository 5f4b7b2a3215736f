#!/usr/bin/env bash
# WordPress through fluxheim and php-fpm, end to end, on Debian's wordpress package and a private
# MariaDB: install -> wp-login (form keeps host:port) -> login (302 + wordpress_logged_in_
# cookie, Location keeps host:port) -> the Dashboard -> pretty permalinks -> publish a post
# through wp-admin/post.php -> upload an image through the REST API (nonce + cookie) -> read
# the post logged out (permalink, canonical redirect, REST API) ->
# PHP under /wp-content/uploads/ is denied.
#
# Usage: scripts/smoke_wordpress_php_fpm.sh [MODE]
#   external          fluxheim in front of a php-fpm pool this script starts (unix socket)
#   managed-static    fluxheim starts and supervises php-fpm, pm = static
#   managed-dynamic   ... pm = dynamic
#   managed-ondemand  ... pm = ondemand
#   managed-respawn   pm = static; kill -9 the php-fpm master mid-run and prove the recovery
#   managed-all       every managed mode above
#   both (default)    external + managed-all
# Binaries come from ${FLUX_BIN_DIR:-build/bin}. Run as root: php-fpm workers run as www-data
# (as another user, they run as the caller). Prints `wordpress php-fpm smoke (<mode>): ok`.
set -euo pipefail
source "$(dirname "$0")/smoke_lib.sh"
source "$(dirname "$0")/smoke_wordpress_lib.sh"

MODE=${1:-both}
case "$MODE" in
  external | managed-static | managed-dynamic | managed-ondemand | managed-respawn) MODES=("$MODE") ;;
  managed-all) MODES=(managed-static managed-dynamic managed-ondemand managed-respawn) ;;
  both) MODES=(external managed-static managed-dynamic managed-ondemand managed-respawn) ;;
  *) echo "usage: $0 [external|managed-static|managed-dynamic|managed-ondemand|managed-all|managed-respawn|both]" >&2; exit 2 ;;
esac

smoke_init "wordpress-php-fpm"
for tool in curl python3 mariadb mariadbd mariadb-install-db; do
  command -v "$tool" >/dev/null || fail "missing tool: $tool (scripts/setup.sh installs it)"
done
[ -x "$PHP_FPM" ] || fail "missing $PHP_FPM (scripts/setup.sh installs php8.2-fpm)"
php_has_mysqli=$("$PHP_FPM" -m 2>/dev/null | grep -c '^mysqli$' || true)
[ "$php_has_mysqli" -ge 1 ] || fail "php-fpm has no mysqli extension (install php8.2-mysql)"

mariadb_start

# The pool's master pid (managed mode): the pid file fluxheim's generated config names.
managed_master_pid() {
  local f
  for f in "$1"/*.pid; do
    [ -f "$f" ] && cat "$f" && return 0
  done
  return 1
}

# Every worker of a php-fpm master runs as the expected user.
check_workers_user() {
  local master=$1 what=$2 users
  [ -n "$PHP_USER" ] || return 0
  users="$(ps -o user= --ppid "$master" | sort -u | tr '\n' ' ')"
  # pm = ondemand may have no idle worker left.
  if [ -z "$users" ] && [[ "$what" == *ondemand* ]]; then return 0; fi
  [ "$users" = "$PHP_USER " ] || fail "$what: php-fpm workers run as '$users', expected $PHP_USER"
  [ "$(ps -o user= -p "$master" | tr -d ' ')" = "root" ] || fail "$what: the php-fpm master is not root"
}

run_mode() {
  local mode=$1 started=$SECONDS
  local d="$T/$mode"
  local site="$d/site" port
  port=$(free_port)
  mkdir -p "$d"
  chmod 755 "$d"
  local db="wp_${mode//-/_}"
  mariadb_create_db "$db" "$WP_DB_USER" "$WP_DB_PASS"
  wp_prepare_site "$site" "$db"

  local fpm_block identity=""
  if [ -n "$PHP_USER" ]; then identity=$'user = "'"$PHP_USER"$'"\ngroup = "'"$PHP_USER"'"'; fi
  local sockdir="$T/run-${mode#managed-}"
  case "$mode" in
    external)
      fpm_start "$mode" 4
      fpm_block="socket = \"$FPM_SOCK\""
      ;;
    managed-static | managed-respawn)
      fpm_block="mode = \"managed\"
php_fpm_binary = \"$PHP_FPM\"
socket_dir = \"$sockdir\"
process_manager = \"static\"
workers = 3
$identity"
      ;;
    managed-dynamic)
      fpm_block="mode = \"managed\"
php_fpm_binary = \"$PHP_FPM\"
socket_dir = \"$sockdir\"
process_manager = \"dynamic\"
workers = 4
min_spare_servers = 1
max_spare_servers = 2
$identity"
      ;;
    managed-ondemand)
      fpm_block="mode = \"managed\"
php_fpm_binary = \"$PHP_FPM\"
socket_dir = \"$sockdir\"
process_manager = \"ondemand\"
workers = 3
process_idle_timeout_secs = 10
$identity"
      ;;
  esac
  SMOKE_EXTRA_STOP+=("$sockdir/*.pid")

  cat >"$T/$mode.toml" <<TOML
# WordPress smoke ($mode): the web root is the PHP root, so wp-includes/ assets are static.
[server]
listen = ["127.0.0.1:$port"]

[server.process]
pid_file = "$d/fluxheim.pid"
threads = 2

[logging]
level = "info"

[[vhosts]]
name = "wordpress"
hosts = ["127.0.0.1", "localhost"]

[vhosts.web]
root = "$site"

[vhosts.php]
enabled = true
preset = "wordpress"
root = "$site"

[vhosts.php.fpm]
$fpm_block
TOML
  flux_start "$mode" "$port"
  local flux_pid=$FLUX_PID base="http://127.0.0.1:$port"

  local master=""
  if [ "$mode" != external ]; then
    master="$(managed_master_pid "$sockdir")" || fail "$mode: no php-fpm pid file in $sockdir"
    pid_alive "$master" || fail "$mode: the managed php-fpm master $master is not running"
    local pm="${mode#managed-}"
    [ "$pm" = respawn ] && pm=static
    grep -qx "pm = $pm" "$sockdir"/*.conf || fail "$mode: the generated pool config has no 'pm = $pm'"
  fi

  wp_flow "$base" "$mode" "$site"

  if [ "$mode" != external ]; then
    check_workers_user "$master" "$mode"
  else
    check_workers_user "$FPM_PID" "$mode"
  fi

  if [ "$mode" = managed-respawn ]; then
    log "$mode: kill -9 the php-fpm master $master"
    local workers
    workers="$(ps -o pid= --ppid "$master" | tr '\n' ' ')"
    kill -KILL "$master"
    local killed=$SECONDS statuses="" code new_master="" t0 t1
    while ((SECONDS - killed < 20)); do
      t0=$(date +%s%N)
      code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -b "$JAR" "$base/wp-admin/")" || code="curl-error"
      t1=$(date +%s%N)
      statuses+="$code "
      (((t1 - t0) / 1000000 < 3000)) || fail "$mode: a request took $(((t1 - t0) / 1000000)) ms while php-fpm was down (statuses: $statuses)"
      if [ "$code" = 200 ]; then
        new_master="$(managed_master_pid "$sockdir" || true)"
        [ -n "$new_master" ] && [ "$new_master" != "$master" ] && break
      fi
      case "$code" in 200 | 502 | 503) ;; *) fail "$mode: unexpected status $code while php-fpm restarts (statuses: $statuses)" ;; esac
      sleep 0.2
    done
    [ "$code" = 200 ] && [ -n "$new_master" ] && [ "$new_master" != "$master" ] ||
      fail "$mode: php-fpm did not come back within 20 s (statuses: $statuses; master now '${new_master:-none}')"
    case " $statuses" in *" 502 "* | *" 503 "*) ;; *) fail "$mode: no 502/503 while php-fpm was down (statuses: $statuses)" ;; esac
    log "$mode: back after $((SECONDS - killed)) s as master $new_master (statuses: $statuses)"
    pid_alive "$master" && fail "$mode: the killed master $master is still alive"
    local w
    for w in $workers; do
      if pid_alive "$w" && [ "$(ps -o stat= -p "$w" | cut -c1)" != Z ]; then
        fail "$mode: worker $w of the killed master still runs"
      fi
    done
    grep -q 'managed php-fpm respawned' "$T/logs/fluxheim-$mode.log" ||
      fail "$mode: fluxheim did not log 'managed php-fpm respawned'"
    check_workers_user "$new_master" "$mode (respawned)"
    # The session lives in the database: the same cookie still opens the Dashboard, and a post
    # still renders.
    http GET "$base/wp-admin/"
    expect_status 200 "Dashboard after the php-fpm respawn"
    expect_body "<h1>Dashboard</h1>" "Dashboard after the php-fpm respawn"
    local jar=$JAR
    JAR=""
    http GET "$WP_POST_URL"
    expect_status 200 "the post after the php-fpm respawn"
    JAR=$jar
    master=$new_master
  fi

  # Clean stop: SIGTERM, exit 0, the managed pool is gone with its control files.
  kill -TERM "$flux_pid"
  local rc=0
  wait "$flux_pid" || rc=$?
  stop_bg "$flux_pid"
  [ "$rc" -eq 0 ] || fail "$mode: fluxheim exited with $rc after SIGTERM"
  if [ -n "$master" ]; then
    sleep 0.2
    pid_alive "$master" && fail "$mode: managed php-fpm master $master still runs after fluxheim stopped"
    compgen -G "$sockdir/*.sock" >/dev/null && fail "$mode: the managed socket is left in $sockdir"
  fi
  if [ "$mode" = external ]; then stop_bg "$FPM_PID"; fi
  log "$mode: done in $((SECONDS - started)) s"
  echo "wordpress php-fpm smoke ($mode): ok"
}

for m in "${MODES[@]}"; do run_mode "$m"; done
if [ "${#MODES[@]}" -gt 1 ]; then echo "wordpress php-fpm smoke ($MODE): ok"; fi
