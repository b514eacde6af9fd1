#!/usr/bin/env bash
# Reads the glibc symbol versions an ELF file needs (its .gnu.version_r
# entries, as readelf prints them) and fails when the highest is above
# CEILING. Usage: glibc-ceiling.sh FILE [CEILING] (default 2.34: Debian 12
# and 13, Ubuntu 22.04 and 24.04, RHEL 9). Prints the highest version found.
set -euo pipefail
file=$1 ceiling=${2:-2.34}
versions=$(readelf --version-info --wide "$file" | grep -o 'Name: GLIBC_[0-9][0-9.]*' | sed 's/Name: GLIBC_//' | sort -uV)
# A dynamically linked program always needs some GLIBC_ version; none means
# readelf's output was not what this script reads, and must not pass.
[ -n "$versions" ] || { echo "glibc-ceiling: no GLIBC_ symbol versions found in $file" >&2; exit 1; }
highest=$(tail -n1 <<<"$versions")
echo "glibc-ceiling: $file needs GLIBC_$highest at most (ceiling $ceiling)"
if [ "$(printf '%s\n%s\n' "$highest" "$ceiling" | sort -V | tail -n1)" != "$ceiling" ]; then
  echo "glibc-ceiling: GLIBC_$highest is above $ceiling; symbols that need more than $ceiling:" >&2
  readelf --dyn-syms --wide "$file" | grep -o '[^ ]*@GLIBC_[0-9.]*' | sort -u |
    while IFS= read -r sym; do
      v=${sym##*@GLIBC_}
      [ "$(printf '%s\n%s\n' "$v" "$ceiling" | sort -V | tail -n1)" = "$ceiling" ] || echo "  $sym" >&2
    done
  exit 1
fi
