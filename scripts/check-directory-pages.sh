#!/usr/bin/env bash
# The directory for people in headless Chromium (Debian's `chromium`): the sample network
# served, the search page (Italian, on a phone's width), a result list and a service's page
# (English) rendered and screenshotted to look at; the rendered DOM checked for the texts a
# person needs and for no script element.
#
#   scripts/check-directory-pages.sh [OUT_DIR]     (apt-get install -y chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"
command -v chromium >/dev/null || { echo "check-directory-pages: chromium is missing (apt-get install -y chromium)" >&2; exit 2; }
work=$out port=18090
source scripts/serve-samples.sh
status=0
shot() {  # name, width, height, path, text that must be on the page
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$2,$3" --screenshot="$out/$1.png" "$base$4" >/dev/null 2>&1
  chromium --headless --no-sandbox --disable-gpu --dump-dom "$base$4" > "$out/$1.dom.html" 2>/dev/null
  [ -s "$out/$1.png" ] || { echo "$1: no screenshot"; status=1; }
  grep -q "$5" "$out/$1.dom.html" || { echo "$1: '$5' is not on the page"; status=1; }
  if grep -q '<script' "$out/$1.dom.html"; then echo "$1: a script element reached the page"; status=1; fi
}
shot search-phone 390 1300 "/directory" "Trova un servizio"
shot results 1100 1400 "/directory?search=spesa&municipality=Torino" "3 servizi trovati"
shot hostile 1100 900 "/directory?search=%3Cscript%3Ealert(1)%3C%2Fscript%3E" "Nessun servizio trovato"
shot service-en 1100 1200 "/directory/services/309e0076-4453-5688-8efb-62adcead994c?lang=en" "Opening hours"
echo "screenshots: $out/*.png"
exit $status
