#!/usr/bin/env python3
"""Fails on a citation of a file the repository does not have.

    check_citations.py SOURCE_DIR          (CTest: docs.citations)

Reads the project's own text: src/, tests/, docs/, README.md, the man page,
the CMake files, scripts/, bench/, examples/, .ci/, the workflows, the
Dockerfile, the GitHub Action, the tool configurations (.clang-tidy...) and
the OpenAPI document. It fails on:
  - a `§` anywhere: the project cites a file (and a heading in it), never a
    numbered section of a document;
  - a citation of the documents the project was specified from, which the
    repository does not hold (by their names, see OUTSIDE below);
  - a repository path (docs/..., src/..., tests/..., openapi/..., ...) that
    names no file or directory, and a source path relative to src/
    (core/..., http/..., ...) that names no file there;
  - a Markdown link to a file that is not there, or to a heading it lacks;
  - `FILE.md#anchor` or `FILE.md "Heading"` (README too) when FILE has no
    such heading.
Placeholders in paths (NAME, <area>, *) are globbed or skipped as a reader
would read them.
"""
import pathlib
import re
import sys

SCAN = ["src", "tests", "docs", "man", "cmake", "scripts", "bench", "examples", ".ci",
        ".github", "README.md", "CMakeLists.txt", "Dockerfile", "openapi",
        "action.yml", "redocly.yaml", ".clang-tidy", ".clang-format", ".dockerignore"]
TEXT = {".cc", ".h", ".md", ".txt", ".cmake", ".py", ".sh", ".json", ".mjs", ".js", ".1",
        ".yml", ".yaml", ".in", ".supp", ".css", ".html", ""}
# Names of documents outside the repository (spelled in pieces so that this
# file does not cite them itself).
OUTSIDE = [r"\bSPEC\b", r"\bSPEC\.md\b", r"\bapi-" + r"facts\b", r"\bDESIGN\b", r"\bDESIGN\.md\b",
           r"/work/" + r"shared", r"\.\./" + r"shared/"]
# Pages other branches are writing: tolerated while missing, and an error to
# keep listed once they exist (so that this list empties itself after the merge).
PENDING: set = set()

TOP = r"(?:docs|openapi|src|tests|scripts|bench|examples|scenarios|fixtures|man|cmake|\.ci)"
REPO_PATH = re.compile(r"(?<![\w./$-])(" + TOP + r"/[\w./*<>{}-]*[\w*>}])(?:#([\w-]+))?")
SRC_DIRS = r"(?:core|store|service|webhooks|scenario|wire|http|embed|glue)"
SRC_PATH = re.compile(r"(?<![\w./$-])(" + SRC_DIRS + r"/[\w./*-]*\.(?:h|cc))\b")
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
SECTION = re.compile(r"(?<![\w/.-])((?:[\w./-]+\.md)|README),? \"([^\"]+)\"")


def slug(text):
    text = re.sub(r"[`*]", "", text.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


class Repo:
    def __init__(self, root):
        self.root = root
        self._headings = {}

    def exists(self, rel):
        rel = rel.rstrip("/")
        if any(mark in rel for mark in ("<", "{")) or re.search(r"(^|/)(NAME|PAGE|FILE|PATH|DIR|x)(\.|_|/|$)", rel):
            return True  # a placeholder, read as "some file here"
        if "*" in rel:
            return any(self.root.glob(rel))
        return (self.root / rel).exists()

    def headings(self, rel):
        if rel not in self._headings:
            lines = (self.root / rel).read_text(encoding="utf-8").splitlines()
            found, fenced = set(), False
            for line in lines:
                if line.startswith("```"):
                    fenced = not fenced
                elif not fenced and line.startswith("#"):
                    found.add(slug(line.lstrip("#")))
            self._headings[rel] = found
        return self._headings[rel]


def files(root):
    for entry in SCAN:
        path = root / entry
        if path.is_file():
            yield path
        elif path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_file() and p.suffix in TEXT and "node_modules" not in p.parts:
                    yield p


def check_target(repo, rel, anchor, where, problems):
    rel = rel.rstrip("/")
    if not repo.exists(rel):
        if rel in PENDING:
            return
        problems.append(f"{where}: cites {rel}, which is not in the repository")
        return
    if anchor and rel.endswith(".md") and (repo.root / rel).is_file() and anchor not in repo.headings(rel):
        problems.append(f"{where}: cites {rel}#{anchor}, but {rel} has no such heading")


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    repo = Repo(root)
    me = pathlib.Path(__file__).resolve()
    problems = []
    count = 0
    for path in files(root):
        if path.resolve() == me:
            continue
        rel_file = path.relative_to(root).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        fenced = False
        for number, line in enumerate(text.splitlines(), 1):
            where = f"{rel_file}:{number}"
            if rel_file.endswith(".md") and line.startswith("```"):
                fenced = not fenced
            if "\u00a7" in line:
                problems.append(f"{where}: a \u00a7 citation; cite a file in the repository (docs/PAGE.md#heading)")
            for pattern in OUTSIDE:
                if re.search(pattern, line):
                    problems.append(f"{where}: cites a document outside the repository ({line.strip()[:90]})")
            for match in REPO_PATH.finditer(line):
                count += 1
                check_target(repo, match.group(1), match.group(2), where, problems)
            if rel_file.startswith(("src/", "docs/")) and not rel_file.startswith("docs/api/"):
                for match in SRC_PATH.finditer(line):
                    count += 1
                    rel = "src/" + match.group(1)
                    if not repo.exists(rel):
                        problems.append(f"{where}: cites {match.group(1)}, which is not under src/")
            if rel_file.endswith(".md") and not fenced:
                for match in MD_LINK.finditer(line):
                    target = match.group(1)
                    if re.match(r"[a-z]+:", target):
                        continue
                    count += 1
                    file_part, _, anchor = target.partition("#")
                    rel = (path.parent / file_part).resolve() if file_part else path.resolve()
                    try:
                        rel = rel.relative_to(root).as_posix()
                    except ValueError:
                        problems.append(f"{where}: links outside the repository ({target})")
                        continue
                    check_target(repo, rel, anchor, where, problems)
            for match in SECTION.finditer(line):
                name, heading = match.group(1), match.group(2)
                rel = "README.md" if name == "README" else name
                if not repo.exists(rel) and (path.parent / rel).exists():
                    rel = (path.parent / rel).resolve().relative_to(root).as_posix()
                count += 1
                if not repo.exists(rel):
                    if rel not in PENDING:
                        problems.append(f"{where}: cites {rel}, which is not in the repository")
                elif (root / rel).is_file() and slug(heading) not in repo.headings(rel):
                    problems.append(f"{where}: cites {rel} \"{heading}\", but {rel} has no such heading")
    for rel in sorted(PENDING):
        if (root / rel).exists():
            problems.append(f"{rel} exists now: remove it from PENDING in tests/docs/check_citations.py")
    if problems:
        print("\n".join(problems))
        print(f"{len(problems)} citation problems")
        return 1
    print(f"{count} citations checked, every cited file and heading is in the repository")
    return 0


if __name__ == "__main__":
    sys.exit(main())
