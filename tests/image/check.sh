#!/usr/bin/env bash
# Checks the container image from scripts/image without a container engine:
# unpacks the OCI archive's layers into a directory, reads the image config
# (user, entry point, environment), and runs that entry point under chroot
# as the image's user: it serves, `health` answers from inside, and a
# webhook reaches a receiver addressed by a host name, resolved through the
# image's own /etc/nsswitch.conf and /etc/hosts (a name added to /etc/hosts,
# as a compose network does). Needs root (chroot) and python3.
# Usage: tests/image/check.sh OCI_ARCHIVE
set -euo pipefail
oci=$(realpath "$1")
work=$(mktemp -d)
server="" receiver=""
cleanup() {
  for pid in $server $receiver; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $server $receiver; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "image check: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root (chroot)"

mkdir -p "$work/oci" "$work/rootfs"
tar -xf "$oci" -C "$work/oci"
# The manifest's layers in order, and the config's user, entry point, command
# and environment, one per line.
python3 - "$work/oci" >"$work/layers" 3>"$work/config" <<'PY'
import json, os, sys
root = sys.argv[1]
def blob(digest):
    algo, hexdigest = digest.split(":")
    return os.path.join(root, "blobs", algo, hexdigest)
index = json.load(open(os.path.join(root, "index.json")))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
for layer in manifest["layers"]:
    print(blob(layer["digest"]))
config = json.load(open(blob(manifest["config"]["digest"])))["config"]
with os.fdopen(3, "w") as out:
    out.write("user=%s\n" % config.get("User", ""))
    out.write("entrypoint=%s\n" % json.dumps(config.get("Entrypoint") or []))
    out.write("cmd=%s\n" % json.dumps(config.get("Cmd") or []))
    for env in config.get("Env") or []:
        out.write("env=%s\n" % env)
PY
while IFS= read -r layer; do tar -xf "$layer" -C "$work/rootfs"; done <"$work/layers"
rootfs=$work/rootfs
cat "$work/config"
grep -qx 'user=10001:10001' "$work/config" || fail "the image does not run as 10001:10001"
grep -qx 'entrypoint=\["/usr/bin/payment-sandbox"\]' "$work/config" || fail "unexpected entry point"
grep -qx 'cmd=\["serve"\]' "$work/config" || fail "unexpected command"
echo "image check: filesystem $(du -sh "$rootfs" | cut -f1), $(find "$rootfs" -type f | wc -l) files"
grep -q '^hosts:.*files' "$rootfs/etc/nsswitch.conf" || fail "nsswitch.conf does not read /etc/hosts"
grep -q '^sandbox:x:10001:' "$rootfs/etc/passwd" || fail "no user sandbox (10001) in /etc/passwd"

# The receiver, on this side of the chroot; the image reaches it by name.
python3 - "$work/receiver-port" "$work/deliveries" <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
port_file, log_file = sys.argv[1], sys.argv[2]
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(log_file, "ab") as log:
            log.write(self.headers.get("Host", "").encode() + b" " + body + b"\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
PY
receiver=$!
for _ in $(seq 100); do [ -s "$work/receiver-port" ] && break; sleep 0.05; done
[ -s "$work/receiver-port" ] || fail "the receiver did not start"
receiver_port=$(cat "$work/receiver-port")
printf '127.0.0.1\twebhooks.receiver.test\n' >>"$rootfs/etc/hosts"

# The image's environment, then 127.0.0.1 and a free port for this machine.
image_env=()
while IFS= read -r line; do image_env+=("${line#env=}"); done < <(grep '^env=' "$work/config")
# (A command prefix, not a function: a background function would be a
# subshell, and the SIGTERM below must reach the server itself.)
in_image=(env -i "${image_env[@]}" PAYSANDBOX_HOST=127.0.0.1 PAYSANDBOX_PORT=0
          chroot --userspec=10001:10001 "$rootfs")
"${in_image[@]}" /usr/bin/payment-sandbox --version
"${in_image[@]}" /usr/bin/payment-sandbox serve --log-format none --ready-file /tmp/url \
  >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 100); do
  [ -s "$rootfs/tmp/url" ] && break
  kill -0 "$server" 2>/dev/null || fail "the server exited: $(cat "$work/err")"
  sleep 0.05
done
[ -s "$rootfs/tmp/url" ] || fail "no ready file after 5 s: $(cat "$work/err")"
url=$(cat "$rootfs/tmp/url")
echo "image check: serving at $url"
"${in_image[@]}" /usr/bin/payment-sandbox health "$url"

account=$(curl -sf -X POST -d "{\"callback_url\":\"http://webhooks.receiver.test:$receiver_port/webhooks\"}" \
  "$url/_sandbox/accounts" | python3 -c 'import json, sys; print(json.load(sys.stdin)["uid"])')
webhook=$(curl -sf -H "X-Payment-Account-Uid: $account" -d '{"event_type":"payment.completed"}' \
  "$url/_sandbox/webhooks/trigger" | python3 -c 'import json, sys; print(json.load(sys.stdin)["webhook_id"])')
for _ in $(seq 100); do
  grep -qF "$webhook" "$work/deliveries" 2>/dev/null && break
  sleep 0.1
done
if ! grep -qF "$webhook" "$work/deliveries" 2>/dev/null; then
  curl -s -H "X-Payment-Account-Uid: $account" "$url/_sandbox/webhooks/deliveries" >&2 || true
  fail "webhook $webhook did not reach webhooks.receiver.test:$receiver_port within 10 s"
fi
grep -F "$webhook" "$work/deliveries" | grep -q "^webhooks.receiver.test:$receiver_port " ||
  fail "the delivery did not name webhooks.receiver.test in its Host header"
echo "image check: webhook $webhook delivered to webhooks.receiver.test:$receiver_port"

kill -TERM "$server"
wait "$server" || fail "exit status $? after SIGTERM"
server=""
echo "image check: ok"
