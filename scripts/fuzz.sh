#!/usr/bin/env bash
# Fuzzes every reader with libFuzzer for SECONDS each (default 60): CSV, JSON (document, JSON
# Lines, HSDS pages), XML (plain, and a record element with its enclosing elements), YAML
# profiles (loaded, then used to map a row) and a tabular package's datapackage.json. Seeds come
# from Samples/ and the end-to-end cases; crashes and the inputs that cause them are left in
# fuzz-findings/ (git-ignored), and each harness prints executions per second.
# Usage: bash scripts/fuzz.sh [SECONDS]     (builds Fuzz/ in debug with -sanitize=fuzzer,address)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
(cd Fuzz && swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >/dev/null)
bin=$(cd Fuzz && swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --show-bin-path)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p fuzz-findings
seed() {  # harness, find expression...
  local corpus="$work/$1"
  mkdir -p "$corpus"
  shift
  find Samples Tests/CroceviaEndToEndTests/Cases Tests/HSDSExamples "$@" -size -256k -exec cp {} "$corpus/" \; 2>/dev/null || true
}
seed FuzzCSV -type f \( -name '*.csv' -o -name '*.txt' -o -name stdin \)
seed FuzzJSON -type f \( -name '*.json' -o -name '*.jsonl' \)
seed FuzzXML -type f \( -name '*.xml' -o -name '*.xsd' \)
seed FuzzProfile -type f \( -name '*.yaml' -o -name '*.yml' \)
seed FuzzDatapackage -type f -name 'datapackage.json'
status=0
for harness in FuzzCSV FuzzJSON FuzzXML FuzzProfile FuzzDatapackage; do
  log="$work/$harness.log"
  if "$bin/$harness" "$work/$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
      -print_final_stats=1 -artifact_prefix="fuzz-findings/$harness-" >"$log" 2>&1; then
    result=ok
  else
    result="FOUND SOMETHING (see fuzz-findings/ and the log below)"
    status=1
    tail -40 "$log"
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  echo "$harness: ${runs:-?} runs in ${seconds} s, ${speed:-?} per second, corpus $(ls "$work/$harness" | wc -l) files: $result"
done
exit $status
