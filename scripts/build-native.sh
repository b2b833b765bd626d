#!/usr/bin/env bash
# Builds the leveling's genetic search in C (src/steerco/engine/rcpsp/native_ga.c) into the
# shared library that engine/rcpsp/native.py loads. Optional: without a C compiler steerco
# levels with the pure-Python search (valid plans, fewer schedules per second), so a failure
# here is reported and never stops `make`.
set -uo pipefail
cd "$(dirname "$0")/.."
src=src/steerco/engine/rcpsp/native_ga.c
out=src/steerco/engine/rcpsp/_native_ga.so
cc=${CC:-cc}
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "build-native: no C compiler ($cc); leveling uses the pure-Python genetic search" >&2
  exit 0
fi
tmp=$(mktemp "${out}.XXXXXX")
if "$cc" -O2 -std=c99 -D_POSIX_C_SOURCE=199309L -shared -fPIC -o "$tmp" "$src"; then
  mv -f "$tmp" "$out"  # atomic: a running server never loads a half-written library
else
  rm -f "$tmp"
  echo "build-native: $cc failed; leveling uses the pure-Python genetic search" >&2
fi
exit 0
