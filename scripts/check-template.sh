#!/usr/bin/env bash
# The hsds-flat template opened by LibreOffice (another reader than Crocevia's): saved by it as
# CSV, its first sheet must be the template's header, exactly; and a row typed into the CSV
# reads back as a service.
#   apt-get install -y libreoffice-calc && bash scripts/check-template.sh
set -euo pipefail
cd "$(dirname "$0")/.."
crocevia=${CROCEVIA_BIN:-$(swift build --show-bin-path)/crocevia}
[ -x "$crocevia" ] || swift build --product crocevia >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$crocevia" template -o "$work/modello.xlsx" 2>/dev/null
"$crocevia" template --to csv -o "$work/expected.csv" 2>/dev/null
soffice --headless --convert-to csv --outdir "$work/lo" "$work/modello.xlsx" >/dev/null 2>&1
if ! cmp -s <(tr -d '\r' < "$work/lo/modello.csv") "$work/expected.csv"; then
  echo "check-template: LibreOffice reads another header:" >&2
  diff <(tr -d '\r' < "$work/lo/modello.csv") "$work/expected.csv" >&2 || true
  exit 1
fi
# A partner's row, typed after the header LibreOffice gave back.
python3 - "$work/lo/modello.csv" "$work/filled.csv" <<'PY'
import csv, sys
header = next(csv.reader(open(sys.argv[1], encoding="utf-8")))
row = {"organization.name": "Cooperativa Il Ponte", "service.name": "Consegna spesa", "service.status": "active",
       "location.name": "Portineria Porta Palazzo", "location.city": "Torino"}
with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow([row.get(name, "") for name in header])
PY
"$crocevia" convert -q --from hsds-flat --to hsds-jsonl "$work/filled.csv" -o "$work/services.jsonl"
python3 - "$work/services.jsonl" <<'PY'
import json, sys
services = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
assert len(services) == 1 and services[0]["name"] == "Consegna spesa", services
assert services[0]["service_at_locations"][0]["location"]["name"] == "Portineria Porta Palazzo"
PY
echo "check-template: passed (LibreOffice $(soffice --version | awk '{print $2}'))"
