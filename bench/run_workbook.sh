#!/usr/bin/env bash
# Workbook benchmark: crocevia reading a ROWS-row sheet (default 200,000: the CSV benchmark's
# directory, 15 columns) against csvkit's in2csv and xlsx2csv, each writing CSV to a file, in the
# same run; and the same sheet as .ods (LibreOffice's conversion, when soffice is installed),
# which in2csv and xlsx2csv do not read. Prints seconds (median of RUNS, default 3; in2csv runs
# once, it takes minutes) and peak memory. Targets (issue 14): at least 3x in2csv and at least
# xlsx2csv's speed, memory at most 100 MiB.
#
#   bash bench/run_workbook.sh [ROWS]   (needs: pip install openpyxl csvkit xlsx2csv; apt-get install -y time)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-200000}
runs=${RUNS:-3}
source bench/release-binary.sh
mkdir -p bench/data
csv=bench/data/directory-$rows.csv
[ -s "$csv" ] || python3 bench/generate_directory_csv.py "$rows" "$csv"
xlsx=bench/data/directory-$rows.xlsx
# openpyxl's write-only mode: shared strings, one row element per row, as Python tools write them.
[ -s "$xlsx" ] || python3 - "$csv" "$xlsx" <<'PY'
import csv, sys, openpyxl
book = openpyxl.Workbook(write_only=True)
sheet = book.create_sheet("Servizi")
with open(sys.argv[1], encoding="utf-8", newline="") as source:
    for row in csv.reader(source):
        sheet.append(row)
book.save(sys.argv[2])
PY
# LibreOffice's own: the sheet as .ods, and that saved again as .xlsx (shared strings, as Excel
# and LibreOffice write them; openpyxl's write-only mode writes each string inline).
ods=bench/data/directory-$rows.ods
saved=bench/data/lo/directory-$rows.xlsx
if command -v soffice >/dev/null; then
  [ -s "$ods" ] || (cd bench/data && soffice --headless --convert-to ods "directory-$rows.xlsx" >/dev/null 2>&1) || true
  [ -s "$saved" ] || (cd bench/data && soffice --headless --convert-to xlsx --outdir lo "directory-$rows.ods" >/dev/null 2>&1) || true
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

time_of() {  # runs, command: the median of the wall times, then the peak memory of one more run
  local n=$1; shift
  local times=()
  for _ in $(seq 1 "$n"); do
    local start end
    start=$(date +%s.%N)
    bash -c "$*" >/dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  local peak
  peak=$(/usr/bin/time -f "%M" bash -c "$* >/dev/null 2>&1" 2>&1 | tail -1)
  printf '%.2f %d\n' "$median" $((peak / 1024))
}

echo "| $rows rows | seconds | peak MiB |"
echo "| --- | --- | --- |"
read -r ours ours_mem < <(time_of "$runs" "$crocevia convert -q --to csv $xlsx -o $out/a.csv")
echo "| crocevia xlsx -> csv | $ours | $ours_mem |"
if command -v xlsx2csv >/dev/null; then
  read -r peer peer_mem < <(time_of "$runs" "xlsx2csv $xlsx $out/b.csv")
  echo "| xlsx2csv | $peer | $peer_mem |"
  echo "ratio xlsx2csv/crocevia: $(echo "scale=2; $peer / $ours" | bc)x" >&2
fi
if command -v in2csv >/dev/null; then
  read -r slow slow_mem < <(time_of 1 "in2csv $xlsx > $out/c.csv")
  echo "| in2csv | $slow | $slow_mem |"
  echo "ratio in2csv/crocevia: $(echo "scale=2; $slow / $ours" | bc)x" >&2
fi
if [ -s "$saved" ]; then
  read -r lo lo_mem < <(time_of "$runs" "$crocevia convert -q --to csv $saved -o $out/e.csv")
  echo "| crocevia xlsx saved by LibreOffice (shared strings) -> csv | $lo | $lo_mem |"
  if command -v xlsx2csv >/dev/null; then
    read -r lopeer lopeer_mem < <(time_of "$runs" "xlsx2csv $saved $out/f.csv")
    echo "| xlsx2csv, the same | $lopeer | $lopeer_mem |"
  fi
fi
if [ -s "$ods" ]; then
  read -r odst ods_mem < <(time_of "$runs" "$crocevia convert -q --to csv $ods -o $out/d.csv")
  echo "| crocevia ods -> csv | $odst | $ods_mem |"
fi
# The sheet holds the CSV's rows: crocevia's CSV is the source CSV, but for its line ends.
if cmp -s <(tr -d '\r' < "$out/a.csv") <(tr -d '\r' < "$csv"); then echo "crocevia's CSV is the source CSV (line ends aside)" >&2; else echo "crocevia's CSV differs from the source CSV" >&2; fi
