#!/usr/bin/env bash
# Converts every sample feed with its profile (the Locator package as it is; the case data feeds
# with the samples' secret) and validates the output with Python's jsonschema as a second opinion
# (pip install 'jsonschema[format]').
# Usage: scripts/check-samples.sh   (from the package folder; builds crocevia first)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product crocevia >/dev/null
crocevia=.build/release/crocevia
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
check() {  # name, object, crocevia arguments...
  local name=$1 object=$2
  shift 2
  if ! "$crocevia" convert -q "$@" -o "$out/$name.jsonl" --to hsds-jsonl; then
    echo "$name: crocevia reported errors"; status=1
  fi
  python3 scripts/validate_hsds.py "$object" "$out/$name.jsonl" || status=1
}
for profile in Samples/*/profile.yaml; do
  folder=$(dirname "$profile")
  input=$(ls "$folder" | grep -v -e '^profile.yaml$' -e '\.xsd$' -e '\.md$' | head -1)
  object=$(sed -n 's/^target: *//p' "$profile")
  check "$(basename "$folder")" "$object" --profile "$profile" "$folder/$input"
done
check locator-south-lanarkshire service Samples/locator-south-lanarkshire
# Case data, with the samples' network secret.
export CROCEVIA_SECRET_FILE=Samples/case-data/sample-network.key
for profile in Samples/case-data/*/profile.yaml; do
  folder=$(dirname "$profile")
  input=$(ls "$folder" | grep -v -e '^profile.yaml$' | head -1)
  object=$(sed -n 's/^target: *//p' "$profile")
  check "case-$(basename "$folder")" "$object" --profile "$profile" "$folder/$input"
done
exit $status
