#!/usr/bin/env bash
# Conversion benchmark: crocevia against DuckDB and Miller on a deterministic 1,000,000-row
# directory CSV.
#
#   bash bench/run.sh [ROWS]        (default 1000000; needs miller and hyperfine from Debian, and
#                                    pip install duckdb for the DuckDB rows)
#
# Builds crocevia in release mode, generates bench/data/directory.csv once, then times in the same
# run: plain CSV->JSONL (vs DuckDB's `COPY (SELECT * FROM read_csv_auto(...)) TO ... (FORMAT JSON)`,
# the anchor, and `mlr --icsv --ojsonl cat`), profile-mapped CSV->HSDS JSONL (vs Miller's plain
# conversion) and JSONL->CSV (vs `mlr --ijsonl --ocsv cat`), and reads each command's peak memory
# with /usr/bin/time. Figures are printed as a table; ratios are the peer's time over ours. DuckDB
# runs from Python (bench/duckdb_csv_to_jsonl.py), its start-up of about 0.1 s included.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
runs=${RUNS:-3}
for tool in mlr hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y miller hyperfine time)" >&2; exit 2; }
done

source bench/release-binary.sh
mkdir -p bench/data
data=bench/data/directory-$rows.csv
[ -s "$data" ] || python3 bench/generate_directory_csv.py "$rows" "$data"
jsonl=bench/data/directory-$rows.jsonl
"$crocevia" convert -q --to jsonl "$data" -o "$jsonl"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# name | command
commands=(
  "crocevia csv->jsonl|$crocevia convert -q --to jsonl $data -o $out/a.jsonl"
  "mlr csv->jsonl|mlr --icsv --ojsonl cat $data > $out/b.jsonl"
  "crocevia profile csv->hsds-jsonl|$crocevia convert -q --profile bench/directory-profile.yaml $data -o $out/c.jsonl"
  "crocevia jsonl->csv|$crocevia convert -q --from jsonl --to csv $jsonl -o $out/d.csv"
  "mlr jsonl->csv|mlr --ijsonl --ocsv cat $jsonl > $out/e.csv"
)

if python3 -c "import duckdb" 2>/dev/null; then
  commands+=("duckdb csv->jsonl|python3 bench/duckdb_csv_to_jsonl.py $data $out/f.jsonl")
else
  echo "bench: DuckDB is not installed (pip install duckdb): its rows are left out" >&2
fi

declare -A mean peak
for entry in "${commands[@]}"; do
  name=${entry%%|*}
  cmd=${entry#*|}
  hyperfine --style none --warmup 1 --runs "$runs" -i --export-json "$out/t.json" "$cmd" >/dev/null 2>&1
  mean[$name]=$(python3 -c "import json;print('%.2f' % json.load(open('$out/t.json'))['results'][0]['median'])")
  peak[$name]=$(/usr/bin/time -f "%M" bash -c "$cmd" 2>&1 >/dev/null | tail -1)
done

size=$(stat -c %s "$data")
printf "input: %s rows, %d MB CSV; median of %d runs\n\n" "$rows" $((size / 1000000)) "$runs"
printf "| command | median s | MB/s | peak RSS MiB |\n|---|---|---|---|\n"
for entry in "${commands[@]}"; do
  name=${entry%%|*}
  printf "| %s | %s | %.0f | %.1f |\n" "$name" "${mean[$name]}" "$(python3 -c "print($size/1e6/${mean[$name]})")" "$(python3 -c "print(${peak[$name]}/1024)")"
done
ratio() { python3 -c "print('%.2fx' % (${mean[$2]}/${mean[$1]}))"; }
echo
if [ -n "${mean[duckdb csv->jsonl]:-}" ]; then
  echo "plain CSV->JSONL vs DuckDB COPY ... (FORMAT JSON):  $(ratio 'crocevia csv->jsonl' 'duckdb csv->jsonl') (target 1.5x, peak memory target 64 MiB)"
fi
echo "plain CSV->JSONL vs mlr --icsv --ojsonl cat:        $(ratio 'crocevia csv->jsonl' 'mlr csv->jsonl')"
echo "profile CSV->HSDS JSONL vs Miller's plain conversion: $(ratio 'crocevia profile csv->hsds-jsonl' 'mlr csv->jsonl') (target 2x)"
echo "JSONL->CSV vs mlr --ijsonl --ocsv cat:               $(ratio 'crocevia jsonl->csv' 'mlr jsonl->csv') (target 3x)"
