#!/usr/bin/env bash
# Registry reliability, with the release build on a generated feed (ROWS services, default 200,000):
#   1. an uninterrupted import into a fresh SQLite registry, as the reference;
#   2. KILLS imports into a second registry killed with SIGKILL at random moments, then the import
#      run to its end: the registry must hold exactly the reference's records;
#   3. the same feed again: 0 added, 0 changed;
#   4. a file that is not a registry, a PostgreSQL server that is down, a full disk (a 64 MiB
#      tmpfs): each a clear error, exit 3, nothing half-written.
#
#   bash scripts/reliability.sh [ROWS] [KILLS]     (needs root for the tmpfs; sqlite3)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-200000}
kills=${2:-5}
swift build -c release --product crocevia >/dev/null
crocevia=$(swift build -c release --show-bin-path)/crocevia
work=$(mktemp -d)
trap 'umount "$work/small" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p bench/data
csv=bench/data/directory-$rows.csv
[ -s "$csv" ] || python3 bench/generate_directory_csv.py "$rows" "$csv"
feed=bench/data/services-$rows.jsonl
[ -s "$feed" ] || "$crocevia" convert -q --profile bench/directory-profile.yaml "$csv" -o "$feed"

import() { "$crocevia" import -q --source bench --hsds service --registry "sqlite:$1" "$feed"; }
# The registry's content: every source record with its hash and status, in key order.
content() { sqlite3 "$1" "SELECT source, id, object_type, content_hash, status, removed_run FROM source_record ORDER BY source, id" | sha256sum; }

echo "1. reference: an uninterrupted import of $(wc -l < "$feed") records"
time_start=$(date +%s.%N)
import "$work/reference.sqlite" 2>&1 | tail -1
full=$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$time_start" "$(date +%s.%N)")
reference=$(content "$work/reference.sqlite")

echo "2. $kills imports killed with SIGKILL at random moments (within the ${full%.*} s an import takes), then one to its end"
for attempt in $(seq 1 "$kills"); do
  delay=$(python3 -c "import random; print(round(random.uniform(0.05, $full * 0.95), 2))")
  "$crocevia" import -q --source bench --hsds service --registry "sqlite:$work/killed.sqlite" "$feed" 2>/dev/null &
  pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2>/dev/null && outcome=killed || outcome="had finished"
  wait "$pid" 2>/dev/null || true
  records=$(sqlite3 "$work/killed.sqlite" "SELECT COUNT(*) FROM source_record" 2>/dev/null || echo "no registry yet")
  echo "   attempt $attempt: SIGKILL after $delay s ($outcome); records in the registry: $records"
done
import "$work/killed.sqlite" 2>&1 | tail -1
if [ "$(content "$work/killed.sqlite")" = "$reference" ]; then echo "   identical to the reference"; else echo "   DIFFERENT from the reference"; exit 1; fi
sqlite3 "$work/killed.sqlite" "PRAGMA integrity_check" | sed 's/^/   integrity_check: /'

echo "3. the same feed again"
import "$work/killed.sqlite" 2>&1 | tail -1

echo "4. failures"
echo "nome;telefono" > "$work/not-a-registry.sqlite"
"$crocevia" import -q --source bench --hsds service --registry "sqlite:$work/not-a-registry.sqlite" "$feed" || echo "   exit $?"
"$crocevia" import -q --source bench --hsds service --registry "postgres://crocevia:crocevia@127.0.0.1:5999/nessuno" "$feed" || echo "   exit $?"
mkdir "$work/small"
if mount -t tmpfs -o size=64m tmpfs "$work/small" 2>/dev/null; then
  "$crocevia" import -q --source bench --hsds service --registry "sqlite:$work/small/registry.sqlite" "$feed" || echo "   exit $?"
  echo "   records in the registry on the full disk: $(sqlite3 "$work/small/registry.sqlite" "SELECT COUNT(*) FROM source_record" 2>&1)"
else
  echo "   (no tmpfs without root: the full-disk case was skipped)"
fi
