#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing.
# CI machines start bare, so `make test` runs this every time; it is quick when all is present.
set -euo pipefail

want=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || want+=(postgresql)
command -v chromium >/dev/null 2>&1 || want+=(chromium)
fc-list 2>/dev/null | grep -qi dejavu || want+=(fonts-dejavu-core)

if [ ${#want[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "system-deps: missing ${want[*]}; install them with apt-get (needs root); tests that need them will skip" >&2
  exit 0
fi
echo "system-deps: installing ${want[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
# Debian's postgresql package may start a cluster of its own; the tests start a throwaway one.
