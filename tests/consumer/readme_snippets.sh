#!/usr/bin/env bash
# Every README code block introduced by a line `<!-- snippet: PATH -->` must
# be exactly the file PATH (relative to the repository), which CI compiles.
# Usage: readme_snippets.sh SOURCE_DIR
set -euo pipefail
source=$1
status=0 count=0
while IFS= read -r path; do
  count=$((count + 1))
  block=$(awk -v marker="<!-- snippet: $path -->" '
    $0 == marker { found = 1; next }
    found == 1 && /^```/ { found = 2; next }
    found == 2 && /^```/ { exit }
    found == 2 { print }' "$source/README.md")
  if ! diff -u --label "$path" --label "README.md ($path)" "$source/$path" <(printf '%s\n' "$block"); then
    status=1
  fi
done < <(sed -n 's/^<!-- snippet: \(.*\) -->$/\1/p' "$source/README.md")
if [ "$count" -eq 0 ]; then
  echo "README.md has no <!-- snippet: PATH --> markers" >&2
  exit 1
fi
[ "$status" -eq 0 ] && echo "$count README snippets match their files"
exit "$status"
