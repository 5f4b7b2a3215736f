# WordPress helpers for the smoke tests: a temp copy of Debian's wordpress package with its own
# wp-config.php, and the install -> login -> Dashboard -> publish -> logged-out read flow over
# curl. Sourced after scripts/smoke_lib.sh.
set -euo pipefail

WP_SRC=/usr/share/wordpress
WP_ADMIN_USER=admin
WP_ADMIN_PASS='Smoke-Pass-7f3k9q'
WP_DB_USER=wordpress
WP_DB_PASS='wp-smoke-pass'

# wp_prepare_site <dir> <db-name>: copies WordPress (symlinks into /usr/share/php and
# /usr/share/javascript resolved, so the site is self-contained), writes wp-config.php, an
# mu-plugin that tells WordPress URL rewriting works, and makes wp-content writable by the
# php-fpm workers.
wp_prepare_site() {
  local dir=$1 db=$2
  [ -f "$WP_SRC/wp-login.php" ] || fail "$WP_SRC not found (install wordpress: scripts/setup.sh)"
  [ -d "$WP_SRC/wp-content/themes/twentytwentythree" ] ||
    fail "the twentytwentythree theme is missing (install wordpress-theme-twentytwentythree)"
  mkdir -p "$dir"
  # -L: Debian links a few libraries (getid3, underscore.js, ...) out of the package dir.
  (cd "$WP_SRC" && find . -mindepth 1 -maxdepth 1 ! -name .htaccess ! -name wp-config.php \
    -exec cp -rL {} "$dir/" \;) || fail "could not copy $WP_SRC"
  chmod 755 "$dir"
  mkdir -p "$dir/wp-content/uploads" "$dir/wp-content/mu-plugins"
  cat >"$dir/wp-content/mu-plugins/fluxheim-url-rewrite.php" <<'PHP'
<?php
/*
 * Plugin Name: Fluxheim URL rewriting
 * Description: fluxheim runs index.php for every missing path (php.preset = "wordpress"), like
 * nginx's try_files. WordPress only detects Apache, nginx and IIS, and would otherwise prefix
 * pretty permalinks with /index.php.
 */
add_filter( 'got_url_rewrite', '__return_true' );
PHP
  local salts="" k
  for k in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
    salts+="define('$k', '$(head -c 32 /dev/urandom | base64 | tr -d '=+/\n')');"$'\n'
  done
  cat >"$dir/wp-config.php" <<PHP
<?php
// Written by the fluxheim smoke test (not Debian's /etc/wordpress lookup).
define('DB_NAME', '$db');
define('DB_USER', '$WP_DB_USER');
define('DB_PASSWORD', '$WP_DB_PASS');
define('DB_HOST', 'localhost:$MYSQL_SOCK');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
$salts
\$table_prefix = 'wp_';
define('WP_CONTENT_DIR', __DIR__ . '/wp-content');
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('WP_DEBUG', false);
// Behind a TLS-terminating proxy that fluxheim trusts (server.trusted_proxies), the scheme the
// client used arrives as X-Forwarded-Proto.
if (isset(\$_SERVER['HTTP_X_FORWARDED_PROTO']) && \$_SERVER['HTTP_X_FORWARDED_PROTO'] === 'https') {
    \$_SERVER['HTTPS'] = 'on';
}
if (!defined('ABSPATH')) {
    define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';
PHP
  if [ -n "$PHP_USER" ]; then
    chown -R "$PHP_USER:$PHP_USER" "$dir/wp-content"
    chown "root:$PHP_USER" "$dir/wp-config.php"
    chmod 640 "$dir/wp-config.php"
  fi
}

# wp_flow <base-url> <label>: the whole flow against a fresh WordPress at <base-url>
# (scheme://host:port, exactly what the browser would use). CURL_EXTRA carries --resolve/--cacert
# for TLS. Sets WP_POST_URL, WP_POST_ID.
wp_flow() {
  local base=$1 label=$2 site_dir=$3
  local host_port="${base#*://}"
  JAR="$T/cookies-$label.txt"
  rm -f "$JAR"

  # 1. Not installed yet: WordPress sends us to the installer, with our host:port.
  http GET "$base/"
  expect_status 302 "fresh site redirects to the installer"
  expect_header Location "^$base/wp-admin/install\.php$" "installer redirect keeps host:port"

  # Static files come from the web root (not PHP).
  http GET "$base/wp-includes/css/dashicons.min.css"
  expect_status 200 "static CSS"
  expect_header Content-Type '^text/css' "static CSS content type"
  http GET "$base/wp-includes/js/underscore.min.js"
  expect_status 200 "static JS (a Debian symlink, copied as a file)"

  # 2. Install.
  log "$label: install"
  http POST "$base/wp-admin/install.php?step=2" \
    --data-urlencode "weblog_title=Fluxheim Smoke $label" \
    --data-urlencode "user_name=$WP_ADMIN_USER" \
    --data-urlencode "admin_password=$WP_ADMIN_PASS" \
    --data-urlencode "admin_password2=$WP_ADMIN_PASS" \
    --data-urlencode "pw_weak=on" \
    --data-urlencode "admin_email=admin@example.com" \
    --data-urlencode "blog_public=0" \
    --data-urlencode "language="
  expect_status 200 "install step 2"
  expect_body "<h1>Success!</h1>" "install step 2"

  http GET "$base/"
  expect_status 200 "front page after install"
  expect_body "<title>Fluxheim Smoke $label" "front page title"
  local head_result
  head_result="$(curl -sS --max-time 60 -I -o /dev/null -w '%{http_code} %{size_download}' "${CURL_EXTRA[@]}" "$base/")" ||
    fail "HEAD $base/: curl failed"
  [ "$head_result" = "200 0" ] || fail "HEAD $base/: expected status 200 and no body, got '$head_result' (status, body bytes)"

  # 3. The login form posts back to host:port.
  log "$label: login"
  http GET "$base/wp-login.php"
  expect_status 200 "GET wp-login.php"
  expect_body "action=\"$base/wp-login.php\"" "login form action keeps scheme://host:port"
  grep -q "wordpress_test_cookie" "$JAR" || fail "wp-login.php did not set wordpress_test_cookie"

  http POST "$base/wp-login.php" \
    --data-urlencode "log=$WP_ADMIN_USER" --data-urlencode "pwd=$WP_ADMIN_PASS" \
    --data-urlencode "wp-submit=Log In" --data-urlencode "redirect_to=$base/wp-admin/" \
    --data-urlencode "testcookie=1"
  expect_status 302 "login"
  expect_header Location "^$base/wp-admin/$" "login redirect keeps scheme://host:port"
  [ -n "$(set_cookie_lines wordpress_logged_in_)" ] || { show_resp; fail "login: no wordpress_logged_in_ cookie"; }
  cp "$T/resp.head" "$T/login-$label.head"

  # 4. The Dashboard (/wp-admin without the slash is redirected to the directory first).
  http GET "$base/wp-admin"
  case "$STATUS" in 301 | 308) ;; *) show_resp; fail "/wp-admin: expected a redirect to /wp-admin/, got $STATUS" ;; esac
  expect_header Location "^($base)?/wp-admin/$" "/wp-admin redirects to /wp-admin/"
  http GET "$base/wp-admin/"
  expect_status 200 "GET /wp-admin/ logged in"
  expect_body "<h1>Dashboard</h1>" "the admin shows the Dashboard"
  expect_body "Howdy, <span class=\"display-name\">$WP_ADMIN_USER</span>" "the admin bar greets the user"

  # 5. Pretty permalinks (served by the front controller for missing paths).
  http GET "$base/wp-admin/options-permalink.php"
  expect_status 200 "permalink settings"
  local nonce
  nonce="$(body_match 'name="_wpnonce" value="([0-9a-f]+)"')"
  [ -n "$nonce" ] || { show_resp; fail "permalink settings: no _wpnonce"; }
  http POST "$base/wp-admin/options-permalink.php" \
    --data-urlencode "_wpnonce=$nonce" --data-urlencode "_wp_http_referer=/wp-admin/options-permalink.php" \
    --data-urlencode "selection=/%postname%/" --data-urlencode "permalink_structure=/%postname%/" \
    --data-urlencode "category_base=" --data-urlencode "tag_base=" --data-urlencode "submit=Save Changes"
  expect_status 302 "save permalink settings"
  expect_header Location "^$base/wp-admin/options-permalink\.php\?settings-updated=true$" "save permalink settings"
  # Following the redirect, like a browser, flushes the rewrite rules.
  http GET "$(header Location)"
  expect_status 200 "permalink settings after saving"
  expect_body "setting-error-settings_updated" "permalink settings after saving"

  # 6. Publish a post through the admin: post-new.php creates an auto-draft and hands out the
  # update nonce; wp-admin/post.php publishes it.
  log "$label: publish a post"
  http GET "$base/wp-admin/post-new.php"
  expect_status 200 "post-new.php"
  local post_id
  post_id="$(body_match "name='post_ID' value='([0-9]+)'")"
  [ -n "$post_id" ] || post_id="$(body_match 'name="post_ID" value="([0-9]+)"')"
  nonce="$(body_match "id=\"_wpnonce\" name=\"_wpnonce\" value=\"([0-9a-f]+)\"")"
  local rest_nonce
  rest_nonce="$(body_match 'createNonceMiddleware\( "([0-9a-f]+)" \)')"
  [ -n "$post_id" ] && [ -n "$nonce" ] || { show_resp; fail "post-new.php: no post_ID/_wpnonce (post '$post_id', nonce '$nonce')"; }
  local title="Smoke post $label $RANDOM"
  local slug
  slug="$(printf '%s' "$title" | tr 'A-Z ' 'a-z-')"
  http POST "$base/wp-admin/post.php" \
    --data-urlencode "_wpnonce=$nonce" --data-urlencode "_wp_http_referer=/wp-admin/post-new.php" \
    --data-urlencode "action=editpost" --data-urlencode "originalaction=editpost" \
    --data-urlencode "post_ID=$post_id" --data-urlencode "post_type=post" \
    --data-urlencode "original_post_status=auto-draft" --data-urlencode "post_title=$title" \
    --data-urlencode "content=<p>Published through fluxheim ($label).</p>" \
    --data-urlencode "publish=Publish"
  expect_status 302 "publish through wp-admin/post.php"
  expect_header Location "^$base/wp-admin/post\.php\?post=$post_id&action=edit&message=6$" "publish redirect (message=6: published)"
  WP_POST_ID=$post_id

  # Upload an image through the REST API (cookie + the nonce the editor page carries), a
  # binary request body; WordPress stores it under uploads/, and fluxheim serves it statically.
  [ -n "$rest_nonce" ] || fail "post-new.php carries no REST nonce (createNonceMiddleware)"
  python3 - "$T/upload-$label.png" <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
rows = b"".join(b"\x00" + bytes([x * 7 % 256, y * 11 % 256, 128]) * 16 for y in range(16) for x in [y])
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)) + \
      chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
  http POST "$base/wp-json/wp/v2/media" -H "X-WP-Nonce: $rest_nonce" \
    -H "Content-Type: image/png" -H "Content-Disposition: attachment; filename=fluxheim-smoke-$label.png" \
    --data-binary "@$T/upload-$label.png"
  expect_status 201 "REST API media upload (POST /wp-json/wp/v2/media)"
  local media_url
  media_url="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["source_url"])' "$T/resp.body")" ||
    fail "the media upload answered no source_url"
  case "$media_url" in "$base/wp-content/uploads/"*) ;; *) fail "uploaded media URL $media_url is not below $base/wp-content/uploads/" ;; esac
  http GET "$media_url"
  expect_status 200 "the uploaded image, served statically"
  expect_header Content-Type '^image/png' "the uploaded image content type"
  cmp -s "$T/resp.body" "$T/upload-$label.png" || fail "the uploaded image differs from what was sent"

  # 7. Logged out: the post at its pretty permalink, the canonical redirect, the REST API.
  log "$label: read it logged out"
  local jar=$JAR
  JAR=""
  WP_POST_URL="$base/$slug/"
  http GET "$WP_POST_URL"
  expect_status 200 "the published post at its permalink (front controller), logged out"
  expect_body "$title" "the published post"
  expect_body "Published through fluxheim ($label)." "the published post content"
  http GET "$base/?p=$post_id"
  expect_status 301 "?p=ID redirects to the permalink"
  expect_header Location "^$WP_POST_URL$" "canonical redirect keeps scheme://host:port"
  http GET "$base/wp-json/wp/v2/posts?search=$(printf '%s' "$title" | sed 's/ /+/g')"
  expect_status 200 "REST API at /wp-json/ (front controller)"
  expect_body "\"id\":$post_id," "REST API lists the post"
  http GET "$base/wp-admin/"
  expect_status 302 "/wp-admin/ logged out redirects to the login"
  expect_header Location "^$base/wp-login\.php\?redirect_to=" "login redirect keeps scheme://host:port"

  # 8. PHP under uploads is never executed; wp-config.php never leaks its source.
  printf '<?php echo "UPLOAD-PHP-" . "EXECUTED";\n' >"$site_dir/wp-content/uploads/evil.php"
  mkdir -p "$site_dir/wp-content/uploads/2024/01"
  cp "$site_dir/wp-content/uploads/evil.php" "$site_dir/wp-content/uploads/2024/01/shell.php"
  printf 'uploaded file\n' >"$site_dir/wp-content/uploads/2024/01/note.txt"
  local p
  for p in /wp-content/uploads/evil.php /wp-content/uploads/2024/01/shell.php \
    /wp-content/uploads/2024/01/note.txt/shell.php /wp-content/%75ploads/evil.php; do
    http GET "$base$p"
    expect_status 403 "PHP under /wp-content/uploads/ ($p) is denied"
    expect_no_body "UPLOAD-PHP-EXECUTED" "PHP under uploads must not run ($p)"
    expect_no_body "<?php" "PHP source under uploads must not be served ($p)"
  done
  http GET "$base/wp-content/uploads/2024/01/note.txt"
  expect_status 200 "a plain uploaded file is served"
  expect_body "uploaded file" "a plain uploaded file is served"
  http GET "$base/wp-config.php"
  expect_no_body "DB_PASSWORD" "wp-config.php source must never be served"
  expect_no_body "$WP_DB_PASS" "wp-config.php source must never be served"
  JAR=$jar
}
