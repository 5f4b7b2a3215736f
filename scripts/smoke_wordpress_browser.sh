#!/usr/bin/env bash
# WordPress in a real browser: Debian's headless Chromium, driven through chromedriver's WebDriver
# HTTP protocol by a stdlib-only python3 client (scripts/smoke_wordpress_browser.py), logs in to
# a WordPress served by fluxheim (managed php-fpm, php.preset = "wordpress", private MariaDB)
# by typing into wp-login, lands on the Dashboard, opens Posts -> Add New (the block editor) and
# types a title. Screenshots of the Dashboard and the editor are kept as artifacts in
# ${SMOKE_ARTIFACT_DIR:-build/artifacts}/wordpress-dashboard.png and wordpress-editor.png.
#
# Usage: scripts/smoke_wordpress_browser.sh   (binaries from ${FLUX_BIN_DIR:-build/bin})
# Prints `wordpress browser smoke: ok`.
set -euo pipefail
source "$(dirname "$0")/smoke_lib.sh"
source "$(dirname "$0")/smoke_wordpress_lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
ARTIFACTS="${SMOKE_ARTIFACT_DIR:-build/artifacts}"
case "$ARTIFACTS" in /*) ;; *) ARTIFACTS="$SMOKE_ROOT/$ARTIFACTS" ;; esac

smoke_init "wordpress-browser"
for tool in curl python3 mariadb mariadbd mariadb-install-db; do
  command -v "$tool" >/dev/null || fail "missing tool: $tool (scripts/setup.sh installs it)"
done
[ -x "$CHROMIUM" ] || fail "missing $CHROMIUM (scripts/setup.sh installs chromium)"
[ -x "$CHROMEDRIVER" ] || fail "missing $CHROMEDRIVER (scripts/setup.sh installs chromium-driver)"
mkdir -p "$ARTIFACTS"

# Chromium is started by chromedriver; if anything is left when we exit, stop it by pid (found
# by the private --user-data-dir only this run uses).
PROFILE="$T/chromium-profile"
stop_browser_leftovers() {
  local p
  for p in /proc/[0-9]*; do
    if tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF -- "--user-data-dir=$PROFILE"; then
      kill -KILL "${p#/proc/}" 2>/dev/null || true
    fi
  done
}
trap 'stop_browser_leftovers; smoke_cleanup' EXIT

mariadb_start
mariadb_create_db wp_browser "$WP_DB_USER" "$WP_DB_PASS"
SITE="$T/app/site"
mkdir -p "$T/app"
chmod 755 "$T/app"
wp_prepare_site "$SITE" wp_browser

PORT=$(free_port)
identity=""
if [ -n "$PHP_USER" ]; then identity=$'user = "'"$PHP_USER"$'"\ngroup = "'"$PHP_USER"'"'; fi
SMOKE_EXTRA_STOP+=("$T/run-app/*.pid")
cat >"$T/app.toml" <<TOML
[server]
listen = ["127.0.0.1:$PORT"]

[server.process]
pid_file = "$T/app/fluxheim.pid"
threads = 2

[[vhosts]]
name = "wordpress"
hosts = ["127.0.0.1"]

[vhosts.web]
root = "$SITE"

[vhosts.php]
enabled = true
preset = "wordpress"
root = "$SITE"

[vhosts.php.fpm]
mode = "managed"
php_fpm_binary = "$PHP_FPM"
socket_dir = "$T/run-app"
workers = 4
$identity
TOML
flux_start app "$PORT"
BASE="http://127.0.0.1:$PORT"

# Headless install with curl (the browser part starts at the login form).
log "install"
http POST "$BASE/wp-admin/install.php?step=2" \
  --data-urlencode "weblog_title=Fluxheim Browser Smoke" --data-urlencode "user_name=$WP_ADMIN_USER" \
  --data-urlencode "admin_password=$WP_ADMIN_PASS" --data-urlencode "admin_password2=$WP_ADMIN_PASS" \
  --data-urlencode "pw_weak=on" --data-urlencode "admin_email=admin@example.com" --data-urlencode "blog_public=0"
expect_status 200 "install step 2"
expect_body "<h1>Success!</h1>" "install step 2"

DRIVER_PORT=$(free_port)
start_bg chromedriver "$CHROMEDRIVER" --port="$DRIVER_PORT" --allowed-ips=127.0.0.1 --log-level=WARNING
wait_port "$DRIVER_PORT" "$BG_PID" chromedriver

log "chromium: login, Dashboard, Posts -> Add New"
rc=0
python3 "$(dirname "$0")/smoke_wordpress_browser.py" --webdriver "http://127.0.0.1:$DRIVER_PORT" \
  --base "$BASE" --user "$WP_ADMIN_USER" --password "$WP_ADMIN_PASS" --chromium "$CHROMIUM" \
  --user-data-dir "$PROFILE" --dashboard-png "$ARTIFACTS/wordpress-dashboard.png" \
  --editor-png "$ARTIFACTS/wordpress-editor.png" >"$T/logs/browser.log" 2>&1 || rc=$?
cat "$T/logs/browser.log"
[ "$rc" -eq 0 ] || fail "the browser flow failed: $(tail -n 3 "$T/logs/browser.log")"

# Every request the browser made went through fluxheim: no 5xx, and the block editor's assets
# were served as static files.
flux_log="$T/logs/fluxheim-app.log"
if grep -q '"status":5[0-9][0-9]' "$flux_log"; then
  grep '"status":5[0-9][0-9]' "$flux_log" | head -5 >&2
  fail "fluxheim answered 5xx to the browser"
fi
static_js=$(grep -c '"path":"/wp-includes/js/dist/[^"]*\.js","status":200.*"handler":"static"' "$flux_log" || true)
[ "$static_js" -ge 10 ] || fail "expected the block editor's scripts as static files, saw $static_js"
log "fluxheim served $(grep -c '"msg":"access"' "$flux_log") requests to the browser ($static_js static block-editor scripts)"
echo "screenshot: $ARTIFACTS/wordpress-dashboard.png"
echo "screenshot: $ARTIFACTS/wordpress-editor.png"
echo "wordpress browser smoke: ok"
