#!/usr/bin/env bash
# Deduplication benchmark: labelled organization records from eight partners, from two generators
# written apart (bench/generate_dedupe.py, and bench/generate_dedupe_b.py with the variation of
# real partner data: one-cell addresses, exonyms, typos, c/o, acronyms, Facebook pages, PEC), deduplicated
# by crocevia and scored against the truth at organization and location level (bench/score_dedupe.py:
# pairwise precision, recall, F1 and B-cubed F1), at several merge thresholds.
# Seeds tuned on: generate_dedupe.py 7, generate_dedupe_b.py 1. Reported here: other seeds (3 and 2 at
# the small size, 11 and 12 at the large), so the figures are not on data the matcher was tuned on.
# A third generator, bench/generate_dedupe_c.py (written by a helper who read neither the matcher nor
# the other two: eight sources with their own habits, namesakes, hosted bodies, municipal offices
# sharing the Comune's tax code), is not tuned on: seed 2's misses were looked at once (they showed
# streets written with Roman numerals); seeds 5 and 3 are reported.
# The comparison: Splink 5 (Fellegi-Sunter on DuckDB, bench/splink_dedupe.py) on the same records,
# when it is installed (pip install splink pandas) and CROCEVIA_BENCH_SPLINK is not 0.
# Usage: bench/run_dedupe.sh [SMALL_RECORDS [LARGE_RECORDS]]   (default 5000 and 200000)
set -euo pipefail
cd "$(dirname "$0")/.."
small=${1:-5000}
large=${2:-200000}
source bench/release-binary.sh
data=bench/data
mkdir -p "$data"

run() {  # folder, merge threshold: one timed run, then the scores
  local folder=$1 threshold=$2
  /usr/bin/time -f "%e %M" -o "$folder/time.txt" "$crocevia" dedupe -q --merge-threshold "$threshold" \
    "$folder"/*.jsonl --clusters "$folder/clusters.csv" --summary "$folder/summary.json"
  read -r seconds kilobytes < "$folder/time.txt"
  python3 bench/score_dedupe.py "$folder/clusters.csv" "$folder/truth.csv" --json > "$folder/scores.json"
  report "$folder" "crocevia merge $threshold" "$seconds" "$kilobytes"
}

report() {  # folder, label, seconds, kilobytes (scores.json in the folder)
  python3 - "$@" <<'PY'
import json, sys
folder, label, seconds, kb = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
s = json.load(open(folder + "/scores.json"))
o, l = s["organization"], s["location"]
print("%-14s %-20s %7.2f s %7.1f MiB  org P %.4f R %.4f F1 %.4f B3 %.4f | loc P %.4f R %.4f F1 %.4f B3 %.4f" % (
    folder.split("/")[-1], label, seconds, kb / 1024, o["precision"], o["recall"], o["f1"], o["bcubed_f1"],
    l["precision"], l["recall"], l["f1"], l["bcubed_f1"]))
PY
}

for case in "a $small 3" "b $small 2" "c $small 5" "a $large 11" "b $large 12" "c $large 3"; do
  read -r generator size seed <<< "$case"
  folder=$data/dedupe-$generator-$size-seed$seed
  script=bench/generate_dedupe.py
  [ "$generator" = b ] && script=bench/generate_dedupe_b.py
  [ "$generator" = c ] && script=bench/generate_dedupe_c.py
  if [ ! -f "$folder/truth.csv" ]; then
    rm -rf "$folder"
    python3 "$script" --records "$size" --seed "$seed" "$folder"
  fi
  for threshold in 3 4 5 6 7; do run "$folder" "$threshold"; done
  python3 -c "
import json; s = json.load(open('$folder/summary.json'))['blocking']
print('          blocking (last run): %d candidate pairs, %s; largest block %s' % (s['candidate_pairs'],
      ', '.join('%s %d' % kv for kv in sorted(s['pairs_by_key'].items())),
      s['largest_blocks'][0]['key'] + ' (' + str(s['largest_blocks'][0]['size']) + ')' if s['largest_blocks'] else '-'))"
  if [ "${CROCEVIA_BENCH_SPLINK:-1}" = 0 ]; then
    echo "          (Splink left out: CROCEVIA_BENCH_SPLINK=0)"
  elif python3 -c "import splink, pandas" 2>/dev/null; then
    /usr/bin/time -f "%e %M" -o "$folder/time.txt" python3 bench/splink_dedupe.py "$folder" 0.9 >/dev/null 2>&1
    read -r seconds kilobytes < "$folder/time.txt"
    python3 bench/score_dedupe.py "$folder/splink-clusters.csv" "$folder/truth.csv" --json > "$folder/scores.json"
    report "$folder" "splink p>=0.9" "$seconds" "$kilobytes"
  else
    echo "          (Splink not installed: pip install splink pandas, for the comparison)"
  fi
done
