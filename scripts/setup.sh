#!/usr/bin/env bash
# Installs every Debian 12 package the project needs to build, test and benchmark.
# Idempotent: packages that are already installed are skipped by apt. One `apt-get update`;
# nothing is downloaded from anywhere but the Debian package registry.
set -euo pipefail

packages=(
  # toolchain
  cmake ninja-build g++ clang-14 libclang-rt-14-dev libfuzzer-14-dev ccache pkg-config git
  # libraries (Boost 1.81: Asio/Beast headers plus Boost.JSON)
  libboost1.81-dev libboost-json1.81-dev libtomlplusplus-dev libssl-dev libcli11-dev
  libflatbuffers-dev flatbuffers-compiler
  # ANTLR tool (+ Java) and C++ runtime
  antlr4 libantlr4-runtime-dev default-jre-headless
  # tests
  libgtest-dev libgmock-dev libbenchmark-dev llvm-14-tools python3 curl openssl procps
  # PHP, peers for benchmarks
  php8.2-fpm php8.2-cli php8.2-mysql php8.2-sqlite3 php8.2-xml php8.2-mbstring php8.2-intl php
  nginx-light h2o wrk
  # real applications for the smoke tests
  wordpress wordpress-theme-twentytwentythree mariadb-server dokuwiki
  chromium chromium-driver
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: installed ${#missing[@]} packages"
