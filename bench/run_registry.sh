#!/usr/bin/env bash
# Registry benchmark: ROWS HSDS services (default 1,000,000, made from the CSV benchmark's
# directory through its profile) imported into an empty SQLite registry, then the same unchanged
# feed imported again; the same two runs into PostgreSQL beside them (the test server of
# scripts/start-test-postgres.sh, or CROCEVIA_BENCH_POSTGRES; its database is emptied first).
#
#   bash bench/run_registry.sh [ROWS]      (needs: apt-get install -y time postgresql)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
source bench/release-binary.sh
mkdir -p bench/data
csv=bench/data/directory-$rows.csv
[ -s "$csv" ] || python3 bench/generate_directory_csv.py "$rows" "$csv"
services=bench/data/services-$rows.jsonl
[ -s "$services" ] || "$crocevia" convert -q --profile bench/directory-profile.yaml "$csv" -o "$services"
records=$(wc -l < "$services")
echo "feed: $services, $records records, $(( $(stat -c %s "$services") / 1048576 )) MiB" >&2

measure() {  # label, registry URL
  /usr/bin/time -f "%e %M" -o /tmp/crocevia-registry-time "$crocevia" import -q --registry "$2" --source bench --hsds service "$services" \
    2>/tmp/crocevia-registry-out || { cat /tmp/crocevia-registry-out >&2; exit 1; }
  read -r seconds kib < /tmp/crocevia-registry-time
  echo "$1: $seconds s, $(python3 -c "print(f'{$records / $seconds:,.0f}')") records/s, peak $((kib / 1024)) MiB; $(tail -1 /tmp/crocevia-registry-out)" >&2
  echo "$seconds"
}

registry=bench/data/registry.sqlite
rm -f "$registry" "$registry-wal" "$registry-shm"
first=$(measure "SQLite, first import" "sqlite:$registry")
again=$(measure "SQLite, same feed again" "sqlite:$registry")
echo "SQLite: re-import $(python3 -c "print(f'{$first / $again:.1f}')")x faster than the first; registry file $(( $(stat -c %s "$registry") / 1048576 )) MiB" >&2

postgres=${CROCEVIA_BENCH_POSTGRES:-postgres://crocevia:crocevia@127.0.0.1:5432/crocevia_test}
password=$(python3 -c "import sys, urllib.parse as u; print(u.urlparse(sys.argv[1]).password or '')" "$postgres")
if PGPASSWORD=$password psql -q "${postgres/:$password@/@}" -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public" 2>/dev/null; then
  first=$(measure "PostgreSQL, first import" "$postgres")
  again=$(measure "PostgreSQL, same feed again" "$postgres")
  echo "PostgreSQL: re-import $(python3 -c "print(f'{$first / $again:.1f}')")x faster than the first" >&2
else
  echo "PostgreSQL: no server at $postgres (bash scripts/start-test-postgres.sh starts one); skipped" >&2
fi
