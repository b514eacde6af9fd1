#!/usr/bin/env bash
# Runs tests/ci-recipes/run.py against an archive laid out like
# scripts/portable's, made from a build tree's binary (CTest's ci.recipes:
# no portable build needed; .ci/run also runs run.py on the real archive).
# Usage: from-build.sh BINARY SOURCE_DIR
set -euo pipefail
binary=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$("$binary" --version | awk '{ print $NF }')
name=payment-sandbox-$version-linux-$(uname -m)
mkdir -p "$work/$name"
cp "$binary" "$work/$name/payment-sandbox"
cp "$source/man/payment-sandbox.1" "$work/$name/"
echo "stand-in for the portable archive" >"$work/$name/README"
tar -C "$work" -czf "$work/$name.tar.gz" "$name"
exec python3 "$source/tests/ci-recipes/run.py" --archive "$work/$name.tar.gz" --source "$source"
