#!/usr/bin/env bash
# System packages Herald builds and tests with (Debian). Installs only what is missing.
set -euo pipefail
need=()
for pkg in libcurl4-openssl-dev libsqlite3-dev python3 python3-aiosmtpd openssl; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${need[@]}"
fi
