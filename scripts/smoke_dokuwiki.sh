#!/usr/bin/env bash
# DokuWiki through fluxheim and php-fpm, end to end, on Debian's dokuwiki package: a PHP
# application with a different routing style from WordPress. URLs are PATH_INFO URLs
# (userewrite = 2: /doku.php/<page>, php.path_info = "split"), there is no front controller
# (try_files = "strict"), and the wiki keeps its pages, users and config as files next to the
# code, which the gateway must keep off the web (web/php deny_path_prefixes).
#
# Flow: the web installer (install.php: superuser, ACL) -> the start page -> login (sectok) ->
# create and save a page through the edit form (sectok, changecheck) -> view it logged out at
# its PATH_INFO URL -> the page source (data/pages/*.txt), users.auth.php, local.php and the
# other private folders are not reachable, in any spelling.
#
# Usage: scripts/smoke_dokuwiki.sh   (binaries from ${FLUX_BIN_DIR:-build/bin})
# Prints `dokuwiki smoke: ok`.
set -euo pipefail
source "$(dirname "$0")/smoke_lib.sh"

DW_SRC=/usr/share/dokuwiki
DW_CONF_SRC=/etc/dokuwiki
DW_DATA_SRC=/var/lib/dokuwiki/data
DW_PASS='Wiki-Smoke-4q8z'

smoke_init "dokuwiki"
command -v curl >/dev/null || fail "missing tool: curl"
[ -f "$DW_SRC/doku.php" ] || fail "$DW_SRC not found (install dokuwiki: scripts/setup.sh)"
[ -x "$PHP_FPM" ] || fail "missing $PHP_FPM (scripts/setup.sh installs php8.2-fpm)"

# --- a self-contained wiki from Debian's split layout -----------------------------------------
# Debian spreads DokuWiki over /usr/share/dokuwiki (code), /etc/dokuwiki (conf) and
# /var/lib/dokuwiki (data, templates, plugins). Put it back together in one tree, as upstream
# ships it, with its own conf/ and data/.
SITE="$T/wiki"
mkdir -p "$SITE"
chmod 755 "$SITE"
(cd "$DW_SRC" && find . -mindepth 1 -maxdepth 1 ! -name .htaccess -exec cp -rL {} "$SITE/" \;) ||
  fail "could not copy $DW_SRC"
rm -f "$SITE/inc/preload.php" # Debian's: points DOKU_CONF at /etc/dokuwiki
mkdir -p "$SITE/conf" "$SITE/data"
(cd "$DW_CONF_SRC" && for f in *; do
  case "$f" in
    local.php | acl.auth.php | users.auth.php | apache.conf | lighttpd.conf | htaccess) ;;
    *) [ -e "$f" ] && cp -L "$f" "$SITE/conf/" ;;
  esac
done) || fail "could not copy $DW_CONF_SRC"
sed -i "s|^\$conf\['savedir'\].*|\$conf['savedir'] = './data';|" "$SITE/conf/dokuwiki.php"
cp -r "$DW_DATA_SRC/." "$SITE/data/" || fail "could not copy $DW_DATA_SRC"
if [ -n "$PHP_USER" ]; then chown -R "$PHP_USER:$PHP_USER" "$SITE/conf" "$SITE/data"; fi

PORT=$(free_port)
identity=""
if [ -n "$PHP_USER" ]; then identity=$'user = "'"$PHP_USER"$'"\ngroup = "'"$PHP_USER"'"'; fi
SMOKE_EXTRA_STOP+=("$T/run-wiki/*.pid")
cat >"$T/wiki.toml" <<TOML
# DokuWiki: PATH_INFO URLs, no front controller, private folders denied.
[server]
listen = ["127.0.0.1:$PORT"]

[server.process]
pid_file = "$T/fluxheim.pid"
threads = 2

[[vhosts]]
name = "wiki"
hosts = ["127.0.0.1"]

[vhosts.web]
root = "$SITE"
index_files = ["doku.php"]
deny_path_prefixes = ["/data/", "/conf/", "/bin/", "/inc/", "/vendor/"]

[vhosts.php]
enabled = true
root = "$SITE"
index = "doku.php"
try_files = "strict"
path_info = "split"
deny_path_prefixes = ["/data/", "/conf/", "/bin/", "/inc/", "/vendor/"]

[vhosts.php.fpm]
mode = "managed"
php_fpm_binary = "$PHP_FPM"
socket_dir = "$T/run-wiki"
workers = 2
$identity
TOML
flux_start wiki "$PORT"
BASE="http://127.0.0.1:$PORT"
JAR="$T/cookies.txt"

# --- install ----------------------------------------------------------------------------------
log "install"
http GET "$BASE/install.php"
expect_status 200 "GET install.php"
expect_body 'name="d[title]"' "the installer form"
http POST "$BASE/install.php" --data-urlencode "l=en" --data-urlencode "d[title]=Fluxheim Smoke Wiki" \
  --data-urlencode "d[acl]=on" --data-urlencode "d[superuser]=admin" \
  --data-urlencode "d[fullname]=Smoke Admin" --data-urlencode "d[email]=admin@example.com" \
  --data-urlencode "d[password]=$DW_PASS" --data-urlencode "d[confirm]=$DW_PASS" \
  --data-urlencode "d[policy]=1" --data-urlencode "d[license]=cc-by-sa" --data-urlencode "submit="
expect_status 200 "POST install.php"
expect_body "The configuration was finished successfully" "the installer"
grep -q "^\$conf\['useacl'\] = 1;" "$SITE/conf/local.php" || fail "the installer did not write conf/local.php"
# PATH_INFO URLs, as an operator sets them in local.php (or the admin's configuration
# manager). `useslash`: namespaces as path segments (/doku.php/wiki/syntax): fluxheim refuses a
# colon in a path segment (see docs/recipes/dokuwiki.md).
printf "\$conf['userewrite'] = 2;\n\$conf['useslash'] = 1;\n" >>"$SITE/conf/local.php"
grep -q '^admin:' "$SITE/conf/users.auth.php" || fail "the installer did not create the superuser"

# --- the wiki ---------------------------------------------------------------------------------
http GET "$BASE/"
expect_status 200 "GET / (doku.php as the directory index)"
expect_body "Fluxheim Smoke Wiki" "the wiki title"
http GET "$BASE/doku.php/wiki/syntax"
expect_status 200 "a bundled page at its PATH_INFO URL"
expect_body "Formatting Syntax" "wiki:syntax rendered"
expect_body "href=\"/doku.php/wiki/dokuwiki\"" "links are PATH_INFO URLs"
http GET "$BASE/lib/tpl/dokuwiki/images/logo.png"
expect_status 200 "template image (static)"
expect_header Content-Type '^image/png' "template image content type"
http GET "$BASE/lib/exe/css.php?t=dokuwiki"
expect_status 200 "lib/exe/css.php"
expect_header Content-Type '^text/css' "lib/exe/css.php content type"

# --- login ------------------------------------------------------------------------------------
log "login"
http GET "$BASE/doku.php/start?do=login"
expect_status 200 "the login form"
mapfile -t fields < <(form_data dw__login)
# The form carries a sectok field (empty before a session exists).
printf '%s\n' "${fields[@]}" | grep -q '^sectok=' || { show_resp; fail "the login form has no sectok field"; }
args=()
for f in "${fields[@]}"; do case "${f%%=*}" in u | p) ;; *) args+=(--data "$f") ;; esac; done
http POST "$BASE/doku.php/start" "${args[@]}" --data-urlencode "u=admin" --data-urlencode "p=$DW_PASS"
expect_status 302 "login"
expect_header Location "^$BASE/doku\.php/start" "login redirect keeps host:port and the PATH_INFO URL"
grep -q 'DW[0-9a-f]\{32\}' "$JAR" || fail "login set no DokuWiki auth cookie (DW<hash>)"
http GET "$BASE/doku.php/start"
expect_status 200 "start page logged in"
expect_body "Logged in as:" "logged in"

# --- create a page through the edit form --------------------------------------------------------
log "create a page"
PAGE_URL="$BASE/doku.php/playground/fluxheim-smoke"
http GET "$PAGE_URL?do=edit"
expect_status 200 "the edit form"
expect_body 'id="dw__editform"' "the edit form"
mapfile -t fields < <(form_data dw__editform)
args=()
for f in "${fields[@]}"; do
  case "${f%%=*}" in summary | wikitext) ;; *) args+=(--data "$f") ;; esac
done
printf '%s\n' "${fields[@]}" | grep -q '^sectok=[0-9a-f]' || fail "the edit form has no sectok"
printf '%s\n' "${fields[@]}" | grep -q '^id=playground%3Afluxheim-smoke$' || fail "the edit form is for another page: ${fields[*]}"
marker="smoke-$RANDOM-$RANDOM"
http POST "$BASE/doku.php/playground/fluxheim-smoke" "${args[@]}" \
  --data-urlencode "wikitext====== Saved through fluxheim =====
This page was written by **$marker** over PATH_INFO URLs.
  * back to [[wiki:syntax]]" \
  --data-urlencode "summary=fluxheim smoke" --data-urlencode "do[save]=Save"
case "$STATUS" in 302 | 303) ;; *) show_resp; fail "saving the page: expected a redirect, got $STATUS" ;; esac
expect_header Location "^$PAGE_URL" "save redirect keeps host:port and the PATH_INFO URL"
[ -f "$SITE/data/pages/playground/fluxheim-smoke.txt" ] || fail "the page file was not written"
grep -q "$marker" "$SITE/data/pages/playground/fluxheim-smoke.txt" || fail "the page file lacks the text"

# --- read it logged out -----------------------------------------------------------------------
JAR=""
http GET "$PAGE_URL"
expect_status 200 "the new page, logged out, at its PATH_INFO URL"
expect_body "Saved through fluxheim" "the heading"
expect_body "<strong>$marker</strong>" "the rendered page"
expect_body 'href="/doku.php/wiki/syntax"' "the rendered wiki link"
expect_no_body "Logged in as:" "logged out"
http GET "$BASE/doku.php?id=playground:fluxheim-smoke"
expect_status 200 "the new page by ?id="
expect_body "<strong>$marker</strong>" "the rendered page by ?id="
http GET "$BASE/doku.php/playground/no-such-page-$RANDOM"
expect_status 200 "a missing page (DokuWiki answers 200 unless send404 is set)"
expect_body "This topic does not exist yet" "a missing page"

# --- private files are never served -------------------------------------------------------------
log "private folders"
denied=""
hash_prefix="$(cut -d: -f2 <"$SITE/conf/users.auth.php" | grep -m1 '^\$2' | cut -c1-20)"
[ -n "$hash_prefix" ] || fail "no password hash found in users.auth.php"
for p in /data/pages/playground/fluxheim-smoke.txt /data/pages/ /data/ /conf/users.auth.php \
  /conf/local.php /conf/acl.auth.php /conf/dokuwiki.php /inc/init.php /bin/indexer.php \
  /vendor/autoload.php /%64ata/pages/playground/fluxheim-smoke.txt \
  /%63onf/users.auth.php /conf%2Fusers.auth.php /lib/../conf/users.auth.php \
  /doku.php/../conf/users.auth.php /data//pages/playground/fluxheim-smoke.txt /DATA/pages/playground/fluxheim-smoke.txt; do
  code="$(curl -sS --path-as-is -o "$T/deny.body" -w '%{http_code}' "$BASE$p")" || fail "curl $p failed"
  case "$code" in 400 | 403 | 404) ;; *) fail "$p: expected 403 (or 400/404), got $code: $(head -c 300 "$T/deny.body")" ;; esac
  ! grep -qF "$marker" "$T/deny.body" || fail "$p leaked the page source"
  ! grep -qF "$hash_prefix" "$T/deny.body" || fail "$p leaked the password hash"
  ! grep -qF '<?php' "$T/deny.body" || fail "$p leaked PHP source"
  denied+="$p=$code "
done
log "refused: $denied"
for p in /data/pages/playground/fluxheim-smoke.txt /conf/users.auth.php /conf/local.php /inc/init.php /bin/indexer.php /vendor/autoload.php; do
  http GET "$BASE$p"
  expect_status 403 "$p is denied"
done

# Known limitation (reported): a colon in a path segment is refused, so DokuWiki's default
# namespace URLs (/doku.php/wiki:syntax) need `useslash`.
code="$(curl -sS -o /dev/null -w '%{http_code}' "$BASE/doku.php/wiki:syntax")" || true
log "note: /doku.php/wiki:syntax answers $code (colons in path segments are refused; useslash = 1 avoids them)"

echo "dokuwiki smoke: ok"
