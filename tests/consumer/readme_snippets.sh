#!/usr/bin/env bash
# Every code block of README.md or of a page under docs/ introduced by a line
# `<!-- snippet: PATH -->` must be exactly the file PATH (relative to the
# repository), which CI compiles.
# Usage: readme_snippets.sh SOURCE_DIR
set -euo pipefail
source=$1
status=0 count=0
pages=("$source/README.md")
while IFS= read -r page; do pages+=("$page"); done < <(find "$source/docs" -name '*.md' | sort)
for page in "${pages[@]}"; do
  name=${page#"$source"/}
  while IFS= read -r path; do
    count=$((count + 1))
    block=$(awk -v marker="<!-- snippet: $path -->" '
      $0 == marker { found = 1; next }
      found == 1 && /^```/ { found = 2; next }
      found == 2 && /^```/ { exit }
      found == 2 { print }' "$page")
    if ! diff -u --label "$path" --label "$name ($path)" "$source/$path" <(printf '%s\n' "$block"); then
      status=1
    fi
  done < <(sed -n 's/^<!-- snippet: \(.*\) -->$/\1/p' "$page")
done
if [ "$count" -eq 0 ]; then
  echo "neither README.md nor docs/ has a <!-- snippet: PATH --> marker" >&2
  exit 1
fi
[ "$status" -eq 0 ] && echo "$count snippets match their files"
exit "$status"
