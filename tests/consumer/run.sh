#!/usr/bin/env bash
# Builds and runs the consumer program both ways a project can take
# payment-sandbox (docs/embedding.md), and the test-framework examples.
# Usage: run.sh add-subdirectory|find-package|example-catch2|example-gtest
# SOURCE_DIR BUILD_DIR. find-package and the examples install the
# already-built tree into a temporary prefix first, so they cost a compile of
# one file and a link, not a second full build; add-subdirectory must compile
# the library, so it does so unoptimized.
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
  example-catch2|example-gtest)
    cmake --install "$build" --prefix "$work/prefix" >/dev/null
    cmake -S "$source/examples/${mode#example-}" -B "$work/build" \
      -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
    cmake --build "$work/build" -j2 --target payments_test >/dev/null
    exec "$work/build/payments_test"
    ;;
  *) echo "usage: run.sh add-subdirectory|find-package|example-catch2|example-gtest SOURCE_DIR BUILD_DIR" >&2; exit 2 ;;
esac
cmake --build "$work/build" -j2 --target consumer >/dev/null
"$work/build/consumer"
