#!/usr/bin/env bash
# Builds and runs the consumer program both ways a project can take
# payment-sandbox (DESIGN example 6). Usage: run.sh add-subdirectory|find-package
# SOURCE_DIR BUILD_DIR. find-package installs the already-built tree into a
# temporary prefix first, so it costs a link, not a second full build;
# add-subdirectory must compile the library, so it does so unoptimized.
set -euo pipefail
mode=$1 source=$2 build=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
here="$source/tests/consumer"
case "$mode" in
  add-subdirectory)
    cmake -S "$here/add-subdirectory" -B "$work/build" -DPAYSANDBOX_SOURCE_DIR="$source" \
      -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS=-O0 >/dev/null
    ;;
  find-package)
    cmake --install "$build" --prefix "$work/prefix" >/dev/null
    cmake -S "$here/find-package" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
    ;;
  *) echo "usage: run.sh add-subdirectory|find-package SOURCE_DIR BUILD_DIR" >&2; exit 2 ;;
esac
cmake --build "$work/build" -j2 --target consumer >/dev/null
"$work/build/consumer"
