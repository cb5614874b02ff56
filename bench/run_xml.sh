#!/usr/bin/env bash
# XML benchmark: a deterministic XML directory export (default ~600 MB) through the To Link
# profile to HSDS JSON Lines, against `xmllint --stream --noout` on the same file in the same run;
# and XSD validation (bench/directory.xsd) against `xmllint --stream --schema`.
#
#   bash bench/run_xml.sh [MB]      (needs xmllint, hyperfine and time: apt-get install -y
#                                    libxml2-utils hyperfine time)
#
# Prints the median times, throughput and peak memory, and the ratio of xmllint's time over ours
# (target: at least 0.8x with a profile; peak memory at most 64 MiB).
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-600}
runs=${RUNS:-3}
for tool in xmllint hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y libxml2-utils hyperfine time)" >&2; exit 2; }
done
source bench/release-binary.sh
mkdir -p bench/data
data=bench/data/directory-$mb.xml
[ -s "$data" ] || python3 bench/generate_directory_xml.py "$mb" "$data"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

commands=(
  "xmllint --stream --noout|xmllint --stream --noout $data"
  "xmllint --stream --schema|xmllint --stream --noout --schema bench/directory.xsd $data"
  "crocevia validate --xsd|$crocevia validate -q --xsd bench/directory.xsd --record-element Offerta $data"
  "crocevia xml->hsds-jsonl (profile)|$crocevia convert -q --profile bench/directory-xml-profile.yaml $data -o $out/a.jsonl"
  "crocevia xml->jsonl (plain)|$crocevia convert -q --record-element Offerta --to jsonl $data -o $out/b.jsonl"
)
declare -A median peak
for entry in "${commands[@]}"; do
  name=${entry%%|*}
  cmd=${entry#*|}
  hyperfine --style none --warmup 1 --runs "$runs" --export-json "$out/t.json" "$cmd" >/dev/null 2>&1
  median[$name]=$(python3 -c "import json;print('%.2f' % json.load(open('$out/t.json'))['results'][0]['median'])")
  peak[$name]=$(/usr/bin/time -f "%M" bash -c "$cmd" 2>&1 >/dev/null | tail -1)
done
size=$(stat -c %s "$data")
printf "input: %d MB of XML; median of %d runs\n\n" $((size / 1000000)) "$runs"
printf "| command | median s | MB/s | peak RSS MiB |\n|---|---|---|---|\n"
for entry in "${commands[@]}"; do
  name=${entry%%|*}
  printf "| %s | %s | %.0f | %.1f |\n" "$name" "${median[$name]}" "$(python3 -c "print($size/1e6/${median[$name]})")" "$(python3 -c "print(${peak[$name]}/1024)")"
done
ratio() { python3 -c "print('%.2fx' % (${median[$2]}/${median[$1]}))"; }
echo
echo "profile XML->HSDS JSONL vs xmllint --stream: $(ratio 'crocevia xml->hsds-jsonl (profile)' 'xmllint --stream --noout') (target 0.8x, peak memory target 64 MiB)"
echo "plain XML->JSONL vs xmllint --stream:        $(ratio 'crocevia xml->jsonl (plain)' 'xmllint --stream --noout')"
echo "XSD validation vs xmllint --stream --schema:  $(ratio 'crocevia validate --xsd' 'xmllint --stream --schema') (target 0.9x)"
