#!/usr/bin/env python3
"""Runs the shell blocks of a Markdown page against a freshly started sandbox.

    shell_blocks.py run --binary BIN --source DIR PAGE     (CTest: docs.shell.*)
    shell_blocks.py emit --base-url URL --source DIR [--build DIR] PAGE...
    shell_blocks.py cover --source DIR PAGE...             (CTest: docs.shell_coverage)

Every ```bash or ```sh block of README.md and of docs/**/*.md is run by a
test, in order, in one bash per page, as a reader would paste them. The
exceptions say so where a reader sees them: a line `<!-- not run: WHY -->`
right before the block (e.g. it installs a package or builds three more
trees). A page whose blocks continue another page's state starts with
`<!-- shell setup: PAGE -->`; that page's blocks run first, quietly.

`run` starts `BIN serve --port 0` and rewrites, before running:
  - `http://127.0.0.1:8080` to the server's address;
  - `/tmp/` to a fresh directory, `./build/` to BIN's directory (also put
    first on PATH, so `payment-sandbox` is BIN);
  - each port a block listens on (`--port N`, N not 0 or 8080) to a free one.
A command followed by `# => TEXT` must print TEXT (the reader sees what to
expect; the test checks it). It fails when bash exits non-zero (the blocks
run under `set -eo pipefail`, so a `field` that finds no such key, or an
expectation not met, fails them), on any answer with status 500, and when a
page names a setup page that does not exist. `emit` prints
the same script for a running server (scripts/contract-run uses it).
`cover`, given the pages the tests run, fails when any other Markdown page
of the README or docs/ (docs/api/ included) holds a shell block, or when a
block is fenced as shell under another name (```shell, ```console, ```zsh),
which `run` would pass over.
"""
import argparse
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

FENCE = re.compile(r"^```(\w*)\s*$")
NOT_RUN = re.compile(r"^<!-- not run: (.+) -->\s*$")
SETUP = re.compile(r"^<!-- shell setup: (\S+) -->\s*$")
SHELLS = {"bash", "sh"}


class Block:
    def __init__(self, page, line, code, skip):
        self.page, self.line, self.code, self.skip = page, line, code, skip


def parse(source, page):
    """The page's fenced blocks that are shell, and the setup pages it names."""
    lines = (source / page).read_text(encoding="utf-8").splitlines()
    blocks, setups = [], []
    i = 0
    while i < len(lines):
        setup = SETUP.match(lines[i])
        if setup:
            setups.append(setup.group(1))
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        start = i
        i += 1
        body = []
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        i += 1
        if fence.group(1) in SHELLS:
            skip = NOT_RUN.match(lines[start - 1]) if start > 0 else None
            blocks.append(Block(page, start + 1, "\n".join(body) + "\n", skip.group(1) if skip else None))
    return blocks, setups


def collect(source, page, seen=None):
    """The blocks to run for a page: its setup pages' first, each page once."""
    seen = set() if seen is None else seen
    if page in seen:
        return []
    seen.add(page)
    if not (source / page).is_file():
        raise SystemExit(f"{page}: no such page")
    blocks, setups = parse(source, page)
    out = []
    for setup in setups:
        out += collect(source, setup, seen)
    return out + blocks


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


EXPECT = re.compile(r"^(?P<command>.*?)\s+# => (?P<text>.+)$")
EXPECT_FUNCTION = r"""
# `COMMAND  # => TEXT` on a page: COMMAND's output must contain TEXT.
__expect() {
  local out
  out=$(cat)
  printf '%s\n' "$out"
  case "$out" in
    *"$1"*) ;;
    *) echo "EXPECTED '$1' in the output of: $2" >&2; return 1 ;;
  esac
}
set -eo pipefail
"""


def with_expectations(code):
    """Rewrites each `COMMAND  # => TEXT` into `{ COMMAND; } | __expect TEXT`.
    COMMAND may span lines continued with a backslash."""
    lines = code.split("\n")
    out = []
    start = 0  # where the current command's first line is in `out`
    for line in lines:
        if not (out and out[-1].endswith("\\")):
            start = len(out)
        match = EXPECT.match(line)
        if match and not line.lstrip().startswith("#"):
            text = match.group("text").strip()
            command = "\n".join(out[start:] + [match.group("command")])
            del out[start:]
            quoted = text.replace("'", "'\\''")
            shown = " ".join(command.split())[:120].replace("'", "'\\''")
            out.append(f"{{ {command}\n}} | __expect '{quoted}' '{shown}'")
        else:
            out.append(line)
    return "\n".join(out)


def script_for(blocks, base_url, tmp=None, build=None, ports=True):
    parts = [EXPECT_FUNCTION]
    for block in blocks:
        if block.skip:
            continue
        parts.append(f"# --- {block.page}:{block.line}\n{with_expectations(block.code)}")
    text = "\n".join(parts)
    text = text.replace("http://127.0.0.1:8080", base_url)
    if tmp:
        text = text.replace("/tmp/", tmp.rstrip("/") + "/")
    if build:
        text = text.replace("./build/", build.rstrip("/") + "/")
    if ports:
        listened = sorted(set(re.findall(r"--port (\d+)", text)) - {"0", "8080"})
        for port in listened:
            text = re.sub(rf"\b{port}\b", str(free_port()), text)
    return text


PRELUDE = r"""
STATUS_LOG=%(status_log)s
curl() {
  local headers rc
  headers=$(mktemp "%(tmp)s/headers.XXXXXX")
  command curl --max-time 30 -D "$headers" "$@" && rc=0 || rc=$?
  grep -a -o '^HTTP/[0-9.]* [0-9]*' "$headers" | tail -1 | sed "s|^|$* => |" >>"$STATUS_LOG" || true
  rm -f "$headers"
  return $rc
}
"""


def start_server(binary, tmp):
    ready = pathlib.Path(tmp) / "server.url"
    log = open(pathlib.Path(tmp) / "server.log", "w")
    proc = subprocess.Popen([binary, "serve", "--host", "127.0.0.1", "--port", "0", "--ready-file", str(ready),
                             "--log-format", "none"], stdout=log, stderr=subprocess.STDOUT)
    for _ in range(200):
        if ready.exists() and ready.read_text().strip():
            return proc, ready.read_text().strip()
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    raise SystemExit("the sandbox did not start: " + (pathlib.Path(tmp) / "server.log").read_text())


def run(args):
    source = pathlib.Path(args.source)
    blocks = collect(source, args.page)
    own = [b for b in blocks if b.page == args.page]
    skipped = [b for b in own if b.skip]
    if not any(not b.skip for b in own):
        print(f"{args.page}: no shell block to run ({len(skipped)} marked not run)")
        return 0
    binary = os.path.abspath(args.binary)
    tmp = tempfile.mkdtemp(prefix="docs-shell-")
    status_log = os.path.join(tmp, "statuses")
    server, url = start_server(binary, tmp)
    try:
        script = PRELUDE % {"status_log": status_log, "tmp": tmp} + script_for(
            blocks, url, tmp=tmp, build=os.path.dirname(binary))
        (pathlib.Path(tmp) / "page.sh").write_text(script)
        env = dict(os.environ, PATH=os.path.dirname(binary) + os.pathsep + os.environ.get("PATH", ""))
        # Output goes to a file: a server a block leaves in the background keeps
        # a pipe open long after bash is done.
        out_path = pathlib.Path(tmp) / "page.out"
        with open(out_path, "wb") as out:
            proc = subprocess.Popen(["bash", str(pathlib.Path(tmp) / "page.sh")], cwd=source, env=env,
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
            try:
                proc.wait(timeout=args.timeout)
            except subprocess.TimeoutExpired:
                proc.returncode = "timeout"
            finally:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)  # what the blocks left in the background
                except ProcessLookupError:
                    pass
        output = out_path.read_bytes()
        text = output.decode("utf-8", "replace")
        statuses = open(status_log).read().splitlines() if os.path.exists(status_log) else []
        errors = [s for s in statuses if s.endswith(" 500")]
        if proc.returncode != 0 or errors:
            print(text[-6000:])
            if proc.returncode != 0:
                print(f"{args.page}: the blocks exited {proc.returncode}")
            for s in errors:
                print(f"{args.page}: answered 500: {s}")
            print(f"(script and logs in {tmp})")
            return 1
        print(text[-8000:])
        ran = len([b for b in own if not b.skip])
        print(f"{args.page}: {ran} shell blocks ran, {len(statuses)} requests, none answered 500")
        for b in skipped:
            print(f"  not run: {b.page}:{b.line}: {b.skip}")
        shutil.rmtree(tmp, ignore_errors=True)
        return 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def emit(args):
    source = pathlib.Path(args.source)
    blocks, seen = [], set()
    for page in args.pages:
        blocks += collect(source, page, seen)
    print(script_for(blocks, args.base_url, build=args.build, ports=False))
    return 0


OTHER_SHELLS = {"shell", "console", "zsh", "shell-session", "shellsession", "bash-session"}


def cover(args):
    source = pathlib.Path(args.source)
    run_pages = set(args.pages)
    pages = [pathlib.Path("README.md")] + sorted(
        p.relative_to(source) for p in (source / "docs").rglob("*.md"))
    problems = []
    for page in pages:
        rel = page.as_posix()
        blocks, _ = parse(source, rel)
        for line in (source / rel).read_text(encoding="utf-8").splitlines():
            fence = FENCE.match(line)
            if fence and fence.group(1).lower() in OTHER_SHELLS:
                problems.append(f"{rel}: a block fenced ```{fence.group(1)}; fence shell as ```bash")
        if blocks and rel not in run_pages:
            problems.append(f"{rel}: {len(blocks)} shell blocks, but no test runs this page")
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"{len(pages)} pages: every shell block is on a page the tests run")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("--binary", required=True)
    r.add_argument("--source", default=".")
    r.add_argument("--timeout", type=float, default=240)
    r.add_argument("page")
    e = sub.add_parser("emit")
    e.add_argument("--base-url", required=True)
    e.add_argument("--source", default=".")
    e.add_argument("--build", help="the build directory ./build/ stands for")
    e.add_argument("pages", nargs="+")
    c = sub.add_parser("cover")
    c.add_argument("--source", default=".")
    c.add_argument("pages", nargs="+")
    args = parser.parse_args()
    return {"run": run, "emit": emit, "cover": cover}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
