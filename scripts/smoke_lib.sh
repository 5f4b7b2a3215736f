# Shared helpers for the real-application smoke tests (scripts/smoke_*.sh): a private temp dir,
# processes started in the background and stopped by pid on exit, a private MariaDB, a private
# php-fpm pool, fluxheim from a site.toml, curl wrappers and assertions. Sourced, not run.
#
# Every function that fails calls `fail` with a message naming what was expected and what
# happened; `fail` prints the tails of the logs of every process started here and exits 1.
set -euo pipefail

SMOKE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SMOKE_BIN="${FLUX_BIN_DIR:-build/bin}"
case "$SMOKE_BIN" in /*) ;; *) SMOKE_BIN="$SMOKE_ROOT/$SMOKE_BIN" ;; esac
FLUXC="$SMOKE_BIN/fluxc"
FLUXHEIM="$SMOKE_BIN/fluxheim"
PHP_FPM="${PHP_FPM:-/usr/sbin/php-fpm8.2}"
IS_ROOT=0
[ "$(id -u)" -eq 0 ] && IS_ROOT=1

SMOKE_NAME="smoke"
T=""
SMOKE_PIDS=()      # every background process, in start order
SMOKE_PID_NAMES=() # the log name of each, same index
SMOKE_EXTRA_STOP=() # pid files of processes started by our children (managed php-fpm)

log() { printf '[%s] %s\n' "$SMOKE_NAME" "$*" >&2; }

fail() {
  printf '\n[%s] FAIL: %s\n' "$SMOKE_NAME" "$*" >&2
  if [ -n "$T" ] && [ -d "$T/logs" ]; then
    local f
    for f in "$T"/logs/*.log; do
      [ -s "$f" ] || continue
      printf -- '--- last lines of %s ---\n' "$(basename "$f")" >&2
      tail -n 25 "$f" >&2 || true
    done
  fi
  exit 1
}

# smoke_init <name>: the temp dir (readable by php-fpm workers and mysqld) and the exit trap.
smoke_init() {
  SMOKE_NAME=$1
  [ -x "$FLUXC" ] && [ -x "$FLUXHEIM" ] ||
    fail "fluxc/fluxheim not found in $SMOKE_BIN (build with scripts/build.sh or set FLUX_BIN_DIR)"
  # Short: managed php-fpm sockets live below it (sun_path is 108 bytes).
  T="$(mktemp -d "${TMPDIR:-/tmp}/fh-smoke-XXXXXX")"
  chmod 755 "$T"
  mkdir -p "$T/logs"
  trap smoke_cleanup EXIT
  trap 'exit 130' INT TERM
}

pid_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# stop_pid <pid> [signal] [timeout-secs]: signal, wait, then SIGKILL. Never fails.
stop_pid() {
  local pid=$1 sig=${2:-TERM} timeout=${3:-15} i
  pid_alive "$pid" || { wait "$pid" 2>/dev/null || true; return 0; }
  kill "-$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    pid_alive "$pid" || break
    # A zombie child of ours counts as gone once reaped.
    if [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" = "Z" ]; then break; fi
    sleep 0.1
  done
  if pid_alive "$pid" && [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" != "Z" ]; then
    log "pid $pid did not stop after SIG$sig within ${timeout}s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

smoke_cleanup() {
  local rc=$? i pid f
  trap - EXIT
  # Newest first: fluxheim before php-fpm before MariaDB.
  for ((i = ${#SMOKE_PIDS[@]} - 1; i >= 0; i--)); do
    stop_pid "${SMOKE_PIDS[$i]}" TERM 20
  done
  # Managed php-fpm masters are fluxheim's children; fluxheim stops them, but if one is left
  # (fluxheim was killed), stop it by the pid in its pid file.
  for f in "${SMOKE_EXTRA_STOP[@]}"; do
    for pid_file in $f; do
      [ -f "$pid_file" ] || continue
      pid="$(cat "$pid_file" 2>/dev/null || true)"
      if pid_alive "$pid"; then log "stopping leftover process $pid ($pid_file)"; stop_pid "$pid" TERM 10; fi
    done
  done
  if [ -n "$T" ] && [ -d "$T" ]; then
    if [ "$rc" -ne 0 ] && [ "${SMOKE_KEEP_TMP:-0}" = "1" ]; then
      log "keeping $T (SMOKE_KEEP_TMP=1)"
    else
      rm -rf "$T"
    fi
  fi
  exit "$rc"
}

# start_bg <name> <cmd...>: runs a process in the background, output in $T/logs/<name>.log;
# sets BG_PID.
start_bg() {
  local name=$1
  shift
  "$@" >>"$T/logs/$name.log" 2>&1 &
  BG_PID=$!
  SMOKE_PIDS+=("$BG_PID")
  SMOKE_PID_NAMES+=("$name")
}

# stop_bg <pid>: stops one process started with start_bg and forgets it.
stop_bg() {
  local pid=$1 i
  stop_pid "$pid" TERM 20
  for i in "${!SMOKE_PIDS[@]}"; do
    if [ "${SMOKE_PIDS[$i]}" = "$pid" ]; then unset 'SMOKE_PIDS[i]' 'SMOKE_PID_NAMES[i]'; fi
  done
  SMOKE_PIDS=("${SMOKE_PIDS[@]}")
  SMOKE_PID_NAMES=("${SMOKE_PID_NAMES[@]}")
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_port <port> <pid> <what>: until 127.0.0.1:<port> accepts (10 s), or the process died.
wait_port() {
  local port=$1 pid=$2 what=$3 i
  for ((i = 0; i < 200; i++)); do
    pid_alive "$pid" || fail "$what exited before listening on port $port"
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  fail "$what did not listen on 127.0.0.1:$port within 10 s"
}

# wait_socket <path> <pid> <what>: until the unix socket exists and accepts (15 s).
wait_socket() {
  local sock=$1 pid=$2 what=$3 i
  for ((i = 0; i < 300; i++)); do
    pid_alive "$pid" || fail "$what exited before creating $sock"
    if [ -S "$sock" ] && python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])' "$sock" 2>/dev/null; then
      return 0
    fi
    sleep 0.05
  done
  fail "$what did not accept connections on $sock within 15 s"
}

# ---------------------------------------------------------------------------------------------
# MariaDB: a private server (own datadir, socket, pid file; no TCP), started and stopped by pid.

MYSQL_SOCK=""
mariadb_start() {
  local d="$T/mariadb"
  command -v mariadbd >/dev/null || fail "mariadbd not found (install mariadb-server: scripts/setup.sh)"
  mkdir -p "$d"
  local user=()
  if [ "$IS_ROOT" = 1 ]; then user=(--user=root); fi
  mariadb-install-db --no-defaults --datadir="$d/data" "${user[@]}" \
    --auth-root-authentication-method=normal --skip-test-db >"$T/logs/mariadb-install.log" 2>&1 ||
    fail "mariadb-install-db failed"
  MYSQL_SOCK="$d/mysql.sock"
  start_bg mariadb mariadbd --no-defaults --datadir="$d/data" --socket="$MYSQL_SOCK" \
    --pid-file="$d/mysqld.pid" --skip-networking "${user[@]}" --log-error="$T/logs/mariadb.log" \
    --innodb-buffer-pool-size=32M --innodb-log-file-size=8M --skip-log-bin --performance-schema=OFF
  local pid=$BG_PID i
  for ((i = 0; i < 300; i++)); do
    pid_alive "$pid" || fail "mariadbd exited at start"
    if mariadb --no-defaults -S "$MYSQL_SOCK" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
      chmod 755 "$d"
      return 0
    fi
    sleep 0.1
  done
  fail "mariadbd did not accept connections on $MYSQL_SOCK within 30 s"
}

# mariadb_create_db <db> <user> <password>
mariadb_create_db() {
  mariadb --no-defaults -S "$MYSQL_SOCK" -uroot -e "
    CREATE DATABASE \`$1\` CHARACTER SET utf8mb4;
    CREATE USER IF NOT EXISTS '$2'@'localhost' IDENTIFIED BY '$3';
    GRANT ALL ON \`$1\`.* TO '$2'@'localhost';" >>"$T/logs/mariadb-client.log" 2>&1 ||
    fail "could not create database $1"
}

# ---------------------------------------------------------------------------------------------
# php-fpm: a private external pool (own config, unix socket, pid and log), stopped by pid.

PHP_USER=""   # the worker identity: www-data as root, else the caller
if [ "$IS_ROOT" = 1 ]; then PHP_USER="www-data"; fi

# fpm_start <name> <children> -> sets FPM_SOCK, FPM_PID
fpm_start() {
  local name=$1 children=${2:-4} d="$T/fpm-$1"
  [ -x "$PHP_FPM" ] || fail "$PHP_FPM not found (install php8.2-fpm: scripts/setup.sh)"
  mkdir -p "$d"
  chmod 755 "$d"
  FPM_SOCK="$d/php-fpm.sock"
  {
    printf '[global]\npid = %s/php-fpm.pid\nerror_log = %s\ndaemonize = no\n\n' "$d" "$T/logs/php-fpm-$name.log"
    printf '[%s]\nlisten = %s\nlisten.mode = 0660\n' "$name" "$FPM_SOCK"
    if [ -n "$PHP_USER" ]; then printf 'user = %s\ngroup = %s\n' "$PHP_USER" "$PHP_USER"; fi
    printf 'pm = static\npm.max_children = %s\nclear_env = yes\ncatch_workers_output = yes\n' "$children"
    printf 'php_admin_value[error_log] = %s\nphp_admin_flag[log_errors] = on\n' "$T/logs/php-errors.log"
  } >"$d/php-fpm.conf"
  touch "$T/logs/php-errors.log"
  [ -n "$PHP_USER" ] && chown "$PHP_USER" "$T/logs/php-errors.log"
  "$PHP_FPM" -t -y "$d/php-fpm.conf" >"$T/logs/php-fpm-$name-check.log" 2>&1 ||
    fail "php-fpm rejected its config: $(cat "$T/logs/php-fpm-$name-check.log")"
  start_bg "php-fpm-$name-stdout" "$PHP_FPM" -F -y "$d/php-fpm.conf"
  FPM_PID=$BG_PID
  wait_socket "$FPM_SOCK" "$FPM_PID" "php-fpm ($name)"
}

# ---------------------------------------------------------------------------------------------
# fluxheim: compile <toml> with fluxc, run it; sets FLUX_PID.

# flux_start <name> <port> : $T/<name>.toml -> $T/<name>.fxs, `fluxheim run`, waits for the port.
flux_start() {
  local name=$1 port=$2
  "$FLUXC" check "$T/$name.toml" >"$T/logs/fluxc-$name.log" 2>&1 ||
    fail "fluxc check $name.toml failed: $(cat "$T/logs/fluxc-$name.log")"
  "$FLUXC" build "$T/$name.toml" -o "$T/$name.fxs" >>"$T/logs/fluxc-$name.log" 2>&1 ||
    fail "fluxc build $name.toml failed: $(cat "$T/logs/fluxc-$name.log")"
  start_bg "fluxheim-$name" "$FLUXHEIM" run "$T/$name.fxs"
  FLUX_PID=$BG_PID
  wait_port "$port" "$FLUX_PID" "fluxheim ($name)"
}

# ---------------------------------------------------------------------------------------------
# HTTP with curl. http <METHOD> <URL> [curl args...]: the response head goes to $T/resp.head,
# the body to $T/resp.body, the status to $STATUS. Cookies: $JAR when set (read and written).

JAR=""
CURL_EXTRA=()
http() {
  local method=$1 url=$2
  shift 2
  local jar_args=()
  if [ -n "$JAR" ]; then jar_args=(-b "$JAR" -c "$JAR"); fi
  STATUS="$(curl -sS --max-time 60 -X "$method" -o "$T/resp.body" -D "$T/resp.head" \
    -w '%{http_code}' "${CURL_EXTRA[@]}" "${jar_args[@]}" "$@" "$url")" ||
    fail "$method $url: curl failed (status '${STATUS:-}')"
  cp "$T/resp.head" "$T/last.head"
  cp "$T/resp.body" "$T/last.body"
  LAST_REQ="$method $url"
}

# Response head as text with CRs removed.
resp_head() { tr -d '\r' <"$T/resp.head"; }
# header <name>: the value of the first response header with this (case-insensitive) name.
header() { resp_head | awk -v n="$(printf '%s' "$1" | tr 'A-Z' 'a-z')" 'BEGIN{IGNORECASE=1} { split($0, a, ":"); if (tolower(a[1]) == n) { sub(/^[^:]*:[ \t]*/, ""); print; exit } }'; }

show_resp() {
  printf -- '--- response to %s: status %s ---\n' "$LAST_REQ" "$STATUS" >&2
  resp_head | head -n 30 >&2
  head -c 1500 "$T/resp.body" | tr -d '\000' >&2 || true
  printf '\n' >&2
}

expect_status() {
  local want=$1 what=$2
  if [ "$STATUS" != "$want" ]; then show_resp; fail "$what: expected status $want, got $STATUS ($LAST_REQ)"; fi
}

# expect_body <fixed-string> <what>
expect_body() {
  if ! grep -qF -- "$1" "$T/resp.body"; then show_resp; fail "$2: the body does not contain '$1' ($LAST_REQ)"; fi
}

expect_no_body() {
  if grep -qF -- "$1" "$T/resp.body"; then show_resp; fail "$2: the body contains '$1' ($LAST_REQ)"; fi
}

# expect_header <name> <extended-regex> <what>
expect_header() {
  local v
  v="$(header "$1")"
  if ! printf '%s' "$v" | grep -qE -- "$2"; then
    show_resp
    fail "$3: header $1 is '$v', expected to match /$2/ ($LAST_REQ)"
  fi
}

# set_cookie_lines <name-prefix>: every Set-Cookie line whose cookie name starts with the prefix.
set_cookie_lines() { resp_head | grep -i "^set-cookie: $1" || true; }

# body_match <perl-compatible regex with one group>: prints the first group of the first match.
body_match() { python3 - "$1" "$T/resp.body" <<'PY'
import re, sys
m = re.search(sys.argv[1], open(sys.argv[2], encoding="utf-8", errors="replace").read())
print(m.group(1) if m else "")
PY
}

# form_data <form-css-id>: the hidden/text inputs of the form with this id in the last response
# body, as `name=value` lines (values url-encoded, ready for curl --data).
form_data() { python3 - "$1" "$T/resp.body" <<'PY'
import html.parser, sys, urllib.parse
want, path = sys.argv[1], sys.argv[2]
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.fields = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == want:
            self.depth = 1
        elif self.depth and tag == "input" and a.get("name") and \
                a.get("type", "text") in ("hidden", "text"):
            self.fields.append((a["name"], a.get("value") or ""))
    def handle_endtag(self, tag):
        if tag == "form":
            self.depth = 0
p = P()
p.feed(open(path, encoding="utf-8", errors="replace").read())
for name, value in p.fields:
    print(urllib.parse.quote(name, safe="") + "=" + urllib.parse.quote(value, safe=""))
PY
}
