#!/usr/bin/env bash
# Renders a validation report in headless Chromium (Debian's `chromium`) and checks what a
# coordinator would see: the verdict, the problem table, no script run from the data. Leaves a
# screenshot to look at.
#
#   scripts/check-html-report.sh [OUT_DIR]     (apt-get install -y chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"
command -v chromium >/dev/null || { echo "check-html-report: chromium is missing (apt-get install -y chromium)" >&2; exit 2; }
swift build --product crocevia >/dev/null
crocevia=$(swift build --show-bin-path)/crocevia
case=Tests/CroceviaEndToEndTests/Cases/validate-html-en
"$crocevia" validate -q --schema "$case/scheda.schema.json" "$case/schede.jsonl" --html "$out/report-en.html" --lang en || true
"$crocevia" validate -q --schema Tests/CroceviaEndToEndTests/Cases/validate-html-it/scheda.schema.json --assert-format \
  Tests/CroceviaEndToEndTests/Cases/validate-html-it/schede.jsonl --html "$out/report-it.html" || true
status=0
for report in report-en report-it; do
  chromium --headless --no-sandbox --disable-gpu --window-size=1200,1400 --screenshot="$out/$report.png" "file://$(realpath "$out/$report.html")" >/dev/null 2>&1
  chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$(realpath "$out/$report.html")" > "$out/$report.dom.html" 2>/dev/null
  [ -s "$out/$report.png" ] || { echo "$report: no screenshot"; status=1; }
  # The data's <script> must stay text: the rendered DOM holds no script element.
  if grep -q '<script' "$out/$report.dom.html"; then echo "$report: a script element reached the page"; status=1; fi
done
grep -q 'To fix: 2 of 2 records have errors' "$out/report-en.dom.html" || { echo "report-en: verdict missing"; status=1; }
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$out/report-en.dom.html" || { echo "report-en: the hostile value is not shown as text"; status=1; }
grep -q 'Da correggere: 4 record su 5 hanno errori' "$out/report-it.dom.html" || { echo "report-it: verdict missing"; status=1; }
echo "screenshots: $out/report-en.png $out/report-it.png"
exit $status
