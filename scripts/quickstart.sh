#!/usr/bin/env bash
# Install, build, compile examples/quickstart/site.toml and serve it in the foreground on
# http://127.0.0.1:8080/ (Ctrl-C stops it). PHP runs in a managed php-fpm pool that fluxheim
# starts itself, as www-data, so this script runs as root (like scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "quickstart: run as root (sudo $0): the managed php-fpm pool runs PHP as www-data" >&2
  exit 1
fi
scripts/setup.sh
scripts/build.sh
# The php-fpm workers (www-data) must be able to read the site: every directory above it needs
# o+x, which a checkout below a private home directory (e.g. /root) does not have.
if ! setpriv --reuid=www-data --regid=www-data --clear-groups \
    test -r examples/quickstart/public/index.php; then
  echo "quickstart: www-data cannot read $(pwd)/examples/quickstart/public/index.php;" \
       "clone the repository where other users can read it (e.g. /srv or /opt)" >&2
  exit 1
fi
mkdir -p examples/quickstart/run
build/bin/fluxc build examples/quickstart/site.toml -o build/quickstart.fxs
echo "quickstart: serving http://127.0.0.1:8080/ (Ctrl-C to stop)"
exec build/bin/fluxheim run build/quickstart.fxs
