#!/usr/bin/env bash
# Validation benchmark: ROWS HSDS services (default 100,000, made from the CSV benchmark's
# directory through its profile) checked against the HSDS service schema with formats asserted,
# crocevia against jsonschema-rs (Rust; the anchor, bench/validate_rust.py) and Python jsonschema's
# Draft202012Validator with a format checker (the familiar baseline), in the same run. Both peers
# parse each line with Python's json.loads, and their loop alone is timed (no start-up).
#
#   [RUNS=3] bash bench/run_validate.sh [ROWS]      (needs: pip install 'jsonschema[format]' jsonschema-rs;
#                                           apt-get install -y time)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
source bench/release-binary.sh
mkdir -p bench/data
csv=bench/data/directory-$rows.csv
[ -s "$csv" ] || python3 bench/generate_directory_csv.py "$rows" "$csv"
services=bench/data/services-$rows.jsonl
[ -s "$services" ] || "$crocevia" convert -q --profile bench/directory-profile.yaml "$csv" -o "$services"

# The same work as Python's: the HSDS service schema, formats asserted. Then --hsds, which adds the
# checks across records (unique ids, copies that disagree, foreign keys) on top. Crocevia and
# jsonschema-rs take turns, RUNS times (default 3), and the medians are compared, so a slow
# moment of the machine falls on both; Python jsonschema, the slow baseline, runs once.
runs=${RUNS:-3}
measure() {  # label, crocevia arguments...: the seconds and peak MiB of one run
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o /tmp/crocevia-validate-time "$crocevia" validate -q "$@" "$services" 2>/tmp/crocevia-validate-out || true
  read -r seconds kib < /tmp/crocevia-validate-time
  echo "$label: $seconds s, peak $((kib / 1024)) MiB; $(tail -1 /tmp/crocevia-validate-out)" >&2
  echo "$seconds"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
have_rust=$(python3 -c "import jsonschema_rs" 2>/dev/null && echo yes || echo no)
[ "$have_rust" = yes ] || echo "bench: jsonschema-rs is not installed (pip install jsonschema-rs): its row is left out" >&2
schema_runs=() checks_runs=() rust_runs=()
for _ in $(seq "$runs"); do
  schema_runs+=("$(measure "crocevia validate --schema Schemas/hsds/service.json --assert-format" --schema Schemas/hsds/service.json --assert-format)")
  checks_runs+=("$(measure "crocevia validate --hsds service" --hsds service)")
  if [ "$have_rust" = yes ]; then
    rust_line=$(python3 bench/validate_rust.py service "$services")
    echo "jsonschema-rs (validator_for, validate_formats=True): $rust_line" >&2
    rust_runs+=("$(echo "$rust_line" | sed -E 's/.* ([0-9.]+) s,.*/\1/')")
  fi
done
schema_only=$(median "${schema_runs[@]}")
with_checks=$(median "${checks_runs[@]}")
echo "medians of $runs: crocevia --schema $schema_only s, crocevia --hsds $with_checks s${rust_runs:+, jsonschema-rs $(median "${rust_runs[@]}") s}"
if [ "$have_rust" = yes ]; then
  rust=$(median "${rust_runs[@]}")
  python3 -c "print('schema and formats, crocevia over jsonschema-rs: %.2fx (target 1.0x); with the HSDS checks across records: %.2fx (target 0.5x)' % ($rust / $schema_only, $rust / $with_checks))"
fi
theirs_line=$(python3 bench/validate_python.py service "$services")
echo "python jsonschema (Draft202012Validator, format checker): $theirs_line"
theirs=$(echo "$theirs_line" | sed -E 's/.* ([0-9.]+) s,.*/\1/')
python3 -c "print('schema and formats, crocevia over python: %.1fx (target 20x); with the HSDS checks across records: %.1fx' % ($theirs / $schema_only, $theirs / $with_checks))"
