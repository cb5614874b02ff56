#!/usr/bin/env bash
# Tabular benchmark: an HSDS tabular package of ROWS services (default 1,000,000) with their
# organizations, phones, service_at_location rows, locations and addresses, made from the CSV
# benchmark's directory through its profile, then read back into nested HSDS JSON Lines.
# Compared with a plain CSV->JSONL conversion of the same CSV files (the same bytes, no joins).
#
#   bash bench/run_tabular.sh [ROWS]      (needs time: apt-get install -y time)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 2; }
source bench/release-binary.sh
mkdir -p bench/data
csv=bench/data/directory-$rows.csv
[ -s "$csv" ] || python3 bench/generate_directory_csv.py "$rows" "$csv"
package=bench/data/package-$rows
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

measure() {  # label, command...: prints "label | seconds | peak MiB"
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null
  read -r seconds kib < "$out/time"
  printf "| %s | %s | %.1f |\n" "$label" "$seconds" "$(python3 -c "print($kib/1024)")"
}

printf "| step | seconds | peak RSS MiB |\n|---|---|---|\n"
measure "CSV -> HSDS JSONL (profile)" "$crocevia" convert -q --profile bench/directory-profile.yaml "$csv" -o "$out/services.jsonl"
measure "HSDS JSONL -> tabular package" "$crocevia" convert -q --from hsds-jsonl "$out/services.jsonl" --to hsds-csv -o "$package"
measure "tabular package -> HSDS JSONL" "$crocevia" convert -q "$package" -o "$out/back.jsonl"
files=$(ls "$package"/*.csv | tr '\n' ' ')
# shellcheck disable=SC2086
measure "plain CSV -> JSONL of the same CSV files" bash -c "for f in $files; do $crocevia convert -q --to jsonl \$f -o $out/plain.jsonl; done"
echo
echo "package: $(du -sm "$package" | cut -f1) MB in $(ls "$package"/*.csv | wc -l) CSV files; $(wc -l < "$out/back.jsonl") services read back"
for table in services organizations phones service_at_location locations addresses; do
  printf "  %s.csv: %s rows\n" "$table" "$(python3 -c "import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline='', encoding='utf-8'))) - 1)" "$package/$table.csv")"
done
cmp -s "$out/services.jsonl" "$out/back.jsonl" && echo "round trip: identical bytes" || echo "round trip: differs from the profile's output (link keys filled in; see docs/architecture.md)"
