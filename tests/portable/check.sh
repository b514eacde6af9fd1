#!/usr/bin/env bash
# Checks a portable archive from scripts/portable the way a user meets it:
# unpacked with tar -xzf, it holds the server, its man page and a README; the
# server is stripped (no debug sections), needs no shared library beyond
# glibc's, needs at most GLIBC_2.34 (glibc-ceiling.sh), and serves: --version,
# serve on a free port with --ready-file, health, a token, SIGTERM.
# Usage: tests/portable/check.sh ARCHIVE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
archive=$(realpath "$1")
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill -KILL "$server"; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "portable check: $*" >&2; exit 1; }

name=$(basename "$archive" .tar.gz)
[[ $name =~ ^payment-sandbox-[0-9][0-9.]*-linux-[a-z0-9_]+$ ]] || fail "unexpected archive name $name"
tar -xzf "$archive" -C "$work"
dir=$work/$name
binary=$dir/payment-sandbox
for f in payment-sandbox payment-sandbox.1 README; do
  [ -f "$dir/$f" ] || fail "$name/$f is missing"
done
[ -x "$binary" ] || fail "payment-sandbox is not executable"

# Optimized and stripped: no symbol table, no debug sections.
sections=$(readelf --sections --wide "$binary")
grep -qE '\.(debug_[a-z]+|symtab)\b' <<<"$sections" && fail "the binary carries debug info or a symbol table"
# Only glibc's own libraries (and its loader) from the system.
needed=$(readelf --dynamic --wide "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || fail "no NEEDED entries read (not a dynamic executable?)"
while IFS= read -r lib; do
  case "$lib" in
    libc.so.6|libm.so.6|libpthread.so.0|libdl.so.2|librt.so.1|ld-linux-*.so.*) ;;
    *) fail "the binary needs $lib, which is not part of glibc" ;;
  esac
done <<<"$needed"
echo "portable check: needs $(tr '\n' ' ' <<<"$needed")"
"$here/glibc-ceiling.sh" "$binary" 2.34

"$binary" --version
"$binary" serve --port 0 --log-format none --ready-file "$work/url" >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 100); do
  [ -s "$work/url" ] && break
  kill -0 "$server" 2>/dev/null || fail "the server exited: $(cat "$work/err")"
  sleep 0.05
done
[ -s "$work/url" ] || fail "no ready file after 5 s"
url=$(cat "$work/url")
"$binary" health "$url"
token=$(curl -sf -u sandbox-client:sandbox-secret -d grant_type=client_credentials "$url/oauth2/token")
grep -q '"access_token"' <<<"$token" || fail "POST /oauth2/token answered: $token"
kill -TERM "$server"
wait "$server" || fail "exit status $? after SIGTERM"
server=""
echo "portable check: ok ($name, $(stat -c %s "$archive") bytes)"
