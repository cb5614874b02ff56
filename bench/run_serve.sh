#!/usr/bin/env bash
# Serving benchmark: a registry of ROWS services (default 100,000: the CSV benchmark's directory
# through its profile, each place given a position near its town so distance queries have work),
# published by the pipeline into SQLite and into PostgreSQL; `crocevia serve` on each, loaded by
# wrk on loopback (2 threads, 64 connections, DURATION seconds, default 30) with three requests:
#   /services/{id} (ids taken at random from the directory), a text search in a municipality,
#   places within 2 km of a point, nearest first.
# Prints requests/s, p99 latency and the server's memory, against the targets of issue 13.
#
#   bash bench/run_serve.sh [ROWS]      (needs: apt-get install -y wrk postgresql)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
duration=${DURATION:-30}
source bench/release-binary.sh
mkdir -p bench/data
csv=bench/data/directory-$rows.csv
[ -s "$csv" ] || python3 bench/generate_directory_csv.py "$rows" "$csv"
services=bench/data/services-$rows.jsonl
[ -s "$services" ] || "$crocevia" convert -q --profile bench/directory-profile.yaml "$csv" -o "$services"
placed=bench/data/serve-services-$rows.jsonl
[ -s "$placed" ] || python3 - "$services" "$placed" <<'EOF'
# Each place a position a few kilometres around its town's centre, the same for the same place id.
import hashlib, json, sys
centres = {"Torino": (45.0703, 7.6869), "Collegno": (45.0777, 7.5722), "Ivrea": (45.4664, 7.8763),
           "Settimo T.se": (45.1399, 7.7708), "Brescia": (45.5416, 10.2118), "Cirie'": (45.2329, 7.6007),
           "Rivarolo C.se": (45.3312, 7.7226)}
with open(sys.argv[1], encoding="utf-8") as source, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in source:
        service = json.loads(line)
        for link in service.get("service_at_locations", []):
            location = link.get("location") or {}
            city = (location.get("addresses") or [{}])[0].get("city", "Torino")
            lat, lng = centres.get(city, centres["Torino"])
            digest = hashlib.sha1(location.get("id", "").encode()).digest()
            location["latitude"] = round(lat + (digest[0] - 128) / 128 * 0.03, 6)
            location["longitude"] = round(lng + (digest[1] - 128) / 128 * 0.04, 6)
        out.write(json.dumps(service, ensure_ascii=False, separators=(",", ":")) + "\n")
EOF
network=bench/data/serve-network.yaml
cat > "$network" <<EOF
network: Benchmark
registry: sqlite:registry.sqlite
reports: serve-reports
wait: 600
feeds:
  - name: bench
    hsds: service
    input: $(basename "$placed")
EOF
cat > bench/data/serve-ids.lua <<'EOF'
local ids = {}
for line in io.lines("bench/data/serve-ids.txt") do ids[#ids + 1] = line end
request = function() return wrk.format("GET", "/services/" .. ids[math.random(#ids)]) end
EOF

postgres=${CROCEVIA_BENCH_POSTGRES:-postgres://crocevia:crocevia@127.0.0.1:5432/crocevia_test}
sqlite=bench/data/serve.sqlite
rm -f "$sqlite"
echo "publishing $rows services into SQLite and PostgreSQL (the pipeline, dedupe included)..." >&2
/usr/bin/time -f "SQLite pipeline: %e s, peak %M KiB" "$crocevia" pipeline "$network" --registry "sqlite:$sqlite" --reports bench/data/serve-reports >/dev/null
psql "$postgres" -q -c "SET client_min_messages TO warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null
/usr/bin/time -f "PostgreSQL pipeline: %e s, peak %M KiB" "$crocevia" pipeline "$network" --registry "$postgres" --reports bench/data/serve-reports >/dev/null

run() {  # label, registry, port
  "$crocevia" serve --registry "$2" --port "$3" 2>/tmp/crocevia-serve.log &
  local server=$!
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$3/" >/dev/null && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$3/services?format=ndjson&minimal=true" | python3 -c "
import json, sys
ids = [json.loads(line)['id'] for line in sys.stdin]
print('\n'.join(ids[::max(1, len(ids) // 5000)]))" > bench/data/serve-ids.txt
  local base="http://127.0.0.1:$3"
  for kind in id search distance; do
    case $kind in
      id) out=$(wrk -t2 -c64 -d"${duration}s" --latency -s bench/data/serve-ids.lua "$base") ;;
      search) out=$(wrk -t2 -c64 -d"${duration}s" --latency "$base/services?search=anziani&municipality=Torino") ;;
      distance) out=$(wrk -t2 -c64 -d"${duration}s" --latency "$base/service_at_locations?lat=45.07&lng=7.68&radius=2000&sort=distance") ;;
    esac
    rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
    echo "| $1 | $kind | $rate | $p99 | ${errors:-none} |"
  done
  echo "| $1 | server memory | $(( $(ps -o rss= -p "$server") / 1024 )) MiB | | |"
  kill -TERM "$server"
  wait "$server" || true
}

echo "| registry | request | requests/s | p99 | errors |"
echo "| --- | --- | --- | --- | --- |"
run SQLite "sqlite:$sqlite" 8181
run PostgreSQL "$postgres" 8182
echo "targets: /services/{id} >= 3000/s, p99 <= 20 ms; search and distance >= 300/s, p99 <= 200 ms" >&2
