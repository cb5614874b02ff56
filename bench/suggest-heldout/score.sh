#!/usr/bin/env bash
# Held-out measure of `crocevia suggest`: for each folder, compare the suggested profile with the
# hand-written one (profile.yaml) and sum the "R of F fields right" lines.
# Run from the repository root:  bench/suggest-heldout/score.sh
# CROCEVIA_BIN names the binary (default .build/debug/crocevia).
set -u
BIN="${CROCEVIA_BIN:-.build/debug/crocevia}"
HERE="bench/suggest-heldout"
if [ ! -d "$HERE" ]; then
  echo "score.sh: run from the repository root (no $HERE here)" >&2
  exit 2
fi
if [ ! -x "$BIN" ]; then
  echo "score.sh: no executable $BIN (set CROCEVIA_BIN)" >&2
  exit 2
fi

total_right=0
total_fields=0
folders=0
failed=0
re=': ([0-9]+) of ([0-9]+) fields right'

for dir in "$HERE"/[0-9][0-9]-*/; do
  dir="${dir%/}"
  [ -f "$dir/profile.yaml" ] || { echo "$dir: no profile.yaml, skipped" >&2; continue; }
  file=""
  for f in "$dir"/*; do
    case "$(basename "$f")" in
      profile.yaml|README*|*.md) continue ;;
    esac
    [ -f "$f" ] && { file="$f"; break; }
  done
  if [ -z "$file" ]; then
    echo "$dir: no partner file, skipped" >&2
    continue
  fi
  folders=$((folders + 1))
  out="$("$BIN" suggest --compare "$dir/profile.yaml" "$file" 2>&1)"
  rc=$?
  found=0
  while IFS= read -r line; do
    printf '%s\n' "$line"
    if [[ "$line" =~ $re ]]; then
      total_right=$((total_right + BASH_REMATCH[1]))
      total_fields=$((total_fields + BASH_REMATCH[2]))
      found=1
    fi
  done <<< "$out"
  if [ "$found" -eq 0 ]; then
    failed=$((failed + 1))
    echo "$dir: no \"R of F fields right\" line (exit $rc)"
  fi
done

if [ "$total_fields" -gt 0 ]; then
  pct=$(awk -v r="$total_right" -v f="$total_fields" 'BEGIN { printf "%.1f", 100 * r / f }')
else
  pct="0.0"
fi
note=""
[ "$failed" -gt 0 ] && note=", $failed without a score"
echo "TOTAL: $total_right of $total_fields fields right ($pct%) over $folders folders$note"
