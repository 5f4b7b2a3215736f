#!/usr/bin/env bash
# WordPress behind a TLS edge: client --HTTPS--> fluxheim "edge" (TLS vhost wp.test, a
# self-signed certificate made with openssl at run time, reverse proxy) --HTTP--> fluxheim
# "app" (WordPress through a managed php-fpm pool, php.preset = "wordpress") and a private
# MariaDB. The app trusts the edge (server.trusted_proxies), so X-Forwarded-Proto: https reaches
# PHP and wp-config.php sets $_SERVER['HTTPS']. The whole WordPress flow (install, login,
# Dashboard, publish, read logged out, uploads denied) runs over HTTPS with curl --resolve and
# the certificate as CA; WordPress must build https:// URLs and mark its auth cookies Secure.
# Also: plain HTTP on the edge redirects to HTTPS, HSTS is sent on TLS, and X-Forwarded-Proto
# from a peer that is not a trusted proxy never reaches PHP.
#
# Usage: scripts/smoke_wordpress_proxy_tls.sh   (binaries from ${FLUX_BIN_DIR:-build/bin})
# Prints `wordpress proxy tls smoke: ok`.
set -euo pipefail
source "$(dirname "$0")/smoke_lib.sh"
source "$(dirname "$0")/smoke_wordpress_lib.sh"

smoke_init "wordpress-proxy-tls"
for tool in curl openssl python3 mariadb mariadbd mariadb-install-db; do
  command -v "$tool" >/dev/null || fail "missing tool: $tool (scripts/setup.sh installs it)"
done

# --- certificate for wp.test ------------------------------------------------------------------
mkdir -p "$T/tls"
chmod 700 "$T/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj "/CN=wp.test" -addext "subjectAltName=DNS:wp.test" \
  -keyout "$T/tls/wp.test.key" -out "$T/tls/wp.test.pem" >"$T/logs/openssl.log" 2>&1 ||
  fail "openssl could not make the certificate: $(cat "$T/logs/openssl.log")"
chmod 600 "$T/tls/wp.test.key"
chmod 755 "$T/tls"

mariadb_start
mariadb_create_db wp_tls "$WP_DB_USER" "$WP_DB_PASS"
SITE="$T/app/site"
mkdir -p "$T/app"
chmod 755 "$T/app"
wp_prepare_site "$SITE" wp_tls
# A probe next to WordPress: what PHP sees of the scheme.
cat >"$SITE/fluxheim-probe.php" <<'PHP'
<?php
header('Content-Type: text/plain');
echo 'xfp=', $_SERVER['HTTP_X_FORWARDED_PROTO'] ?? 'unset', "\n";
echo 'https=', $_SERVER['HTTPS'] ?? 'unset', "\n";
echo 'host=', $_SERVER['HTTP_HOST'] ?? 'unset', "\n";
PHP

APP_PORT=$(free_port)
EDGE_HTTP_PORT=$(free_port)
EDGE_TLS_PORT=$(free_port)
identity=""
if [ -n "$PHP_USER" ]; then identity=$'user = "'"$PHP_USER"$'"\ngroup = "'"$PHP_USER"'"'; fi
SMOKE_EXTRA_STOP+=("$T/run-app/*.pid")

cat >"$T/app.toml" <<TOML
# The application tier: plain HTTP on loopback, only the edge is a trusted proxy.
[server]
listen = ["127.0.0.1:$APP_PORT"]
trusted_proxies = ["127.0.0.1"]

[server.process]
pid_file = "$T/app/fluxheim.pid"
threads = 2

[[vhosts]]
name = "wordpress"
hosts = ["wp.test"]

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
workers = 3
$identity
TOML

cat >"$T/edge.toml" <<TOML
# The TLS edge: terminates TLS for wp.test and proxies to the application tier.
[server]
listen = ["127.0.0.1:$EDGE_HTTP_PORT"]
tls_listen = ["127.0.0.1:$EDGE_TLS_PORT"]

[server.https_redirect]
enabled = true
target_port = $EDGE_TLS_PORT

[server.process]
pid_file = "$T/edge.pid"
threads = 2

[tls]
enabled = true

[[tls.certificates]]
cert_path = "$T/tls/wp.test.pem"
key_path = "$T/tls/wp.test.key"

[headers.response]
strict_transport_security = "max-age=300"

[[vhosts]]
name = "edge"
hosts = ["wp.test"]

[vhosts.proxy]
upstreams = ["127.0.0.1:$APP_PORT"]
TOML

flux_start app "$APP_PORT"
flux_start edge "$EDGE_TLS_PORT"
BASE="https://wp.test:$EDGE_TLS_PORT"
CURL_EXTRA=(--resolve "wp.test:$EDGE_TLS_PORT:127.0.0.1" --resolve "wp.test:$EDGE_HTTP_PORT:127.0.0.1"
  --cacert "$T/tls/wp.test.pem")

# --- the edge itself --------------------------------------------------------------------------
http GET "http://wp.test:$EDGE_HTTP_PORT/wp-login.php?x=1"
expect_status 308 "plain HTTP on the edge"
expect_header Location "^$BASE/wp-login\.php\?x=1$" "plain HTTP redirects to HTTPS"
http GET "$BASE/fluxheim-probe.php"
expect_status 200 "probe through the TLS edge"
expect_body "xfp=https" "X-Forwarded-Proto from the trusted edge reaches PHP"
expect_body "host=wp.test:$EDGE_TLS_PORT" "the Host with its port reaches PHP through the proxy"
expect_header Strict-Transport-Security '^max-age=300$' "HSTS on TLS"
cp "$T/resp.body" "$T/probe.body"
subject="$(curl -sS "${CURL_EXTRA[@]}" -o /dev/null -w '%{ssl_verify_result}' "$BASE/fluxheim-probe.php")"
[ "$subject" = 0 ] || fail "TLS verification of wp.test failed (ssl_verify_result $subject)"

# A peer that is not a trusted proxy (127.0.0.2) cannot claim HTTPS.
code="$(curl -sS --interface 127.0.0.2 -o "$T/untrusted.body" -w '%{http_code}' \
  -H "Host: wp.test:$EDGE_TLS_PORT" -H 'X-Forwarded-Proto: https' \
  "http://127.0.0.1:$APP_PORT/fluxheim-probe.php")" || fail "curl from 127.0.0.2 failed"
[ "$code" = 200 ] || fail "probe from 127.0.0.2: status $code"
grep -qx 'xfp=https' "$T/untrusted.body" &&
  fail "X-Forwarded-Proto: https from an untrusted peer reached PHP: $(cat "$T/untrusted.body")"
grep -qx 'https=unset\|https=off' "$T/untrusted.body" ||
  fail "an untrusted peer's request looks like HTTPS to PHP: $(cat "$T/untrusted.body")"
log "PHP behind the edge: $(tr '\n' ' ' <"$T/probe.body")(from 127.0.0.2 with X-Forwarded-Proto: https: $(tr '\n' ' ' <"$T/untrusted.body"))"

# --- WordPress over HTTPS ---------------------------------------------------------------------
wp_flow "$BASE" tls "$SITE"

# The login response of the flow: every auth cookie is Secure, and the admin cookie is the
# HTTPS one (wordpress_sec_).
login_head="$T/login-tls.head"
cookies="$(tr -d '\r' <"$login_head" | grep -i '^set-cookie: wordpress_\(sec\|logged_in\)_' || true)"
[ -n "$cookies" ] || fail "login over HTTPS set no wordpress_sec_/wordpress_logged_in_ cookie"
grep -qi '^set-cookie: wordpress_sec_' <<<"$cookies" || fail "login over HTTPS set no wordpress_sec_ cookie: $cookies"
grep -qi '^set-cookie: wordpress_logged_in_' <<<"$cookies" || fail "login over HTTPS set no wordpress_logged_in_ cookie: $cookies"
while IFS= read -r line; do
  grep -qiE ';[[:space:]]*secure([;[:space:]]|$)' <<<"$line" || fail "auth cookie without Secure: $line"
  grep -qiE ';[[:space:]]*httponly([;[:space:]]|$)' <<<"$line" || fail "auth cookie without HttpOnly: $line"
done <<<"$cookies"
grep -qi '^set-cookie: wordpress_[0-9a-f]*=' "$login_head" &&
  fail "login over HTTPS also set the plain-HTTP auth cookie (wordpress_<hash>)"
log "auth cookies: $(sed -E 's/=[^;]*;/=…;/' <<<"$cookies" | tr '\n' ' ')"

# The published post links to itself over https.
JAR=""
http GET "$WP_POST_URL"
expect_status 200 "the post over HTTPS"
expect_body "<link rel=\"canonical\" href=\"$WP_POST_URL\"" "canonical URL is https://wp.test:port"
expect_no_body "http://wp.test:$EDGE_TLS_PORT/" "no http:// self links over HTTPS"

echo "wordpress proxy tls smoke: ok"
