#!/usr/bin/env bash
# Conformance of `crocevia serve` on the sample network: the sample pipeline into a fresh SQLite
# registry, the server on a loopback port, then
#   1. schemathesis (PyPI) against the served /openapi.json: no 5xx, every answer valid against
#      its schema, status codes and content types as documented;
#   2. the checks the Open Referral UK validator makes: / answers, pages 1, middle and last of
#      every list agree with total_pages, every listed id resolves at its {id} endpoint, a text
#      search and a time search answer.
#
#   scripts/check-api.sh        (pip install schemathesis; CROCEVIA_BIN to check another build)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v schemathesis >/dev/null || { echo "check-api: schemathesis is missing (pip install schemathesis)" >&2; exit 2; }
port=18089
source scripts/serve-samples.sh

status=0
echo "== schemathesis $(schemathesis --version 2>&1 | head -1)"
if schemathesis run --help 2>&1 | grep -q -- '--url'; then url_option=--url; else url_option=--base-url; fi
# Its cache of failures goes in the work folder, not the checkout.
(cd "$work" && schemathesis run "$base/openapi.json" "$url_option" "$base" --checks not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance,response_headers_conformance --max-examples "${EXAMPLES:-25}") || status=1

echo "== the Open Referral UK validator's checks"
python3 - "$base" <<'PY' || status=1
import json, sys, urllib.request, urllib.error
base = sys.argv[1]
failures = []
def get(path):
    try:
        with urllib.request.urlopen(base + path, timeout=20) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
status, root = get("/")
if status != 200 or root.get("version") != "3.0":
    failures.append(f"/ answered {status} {root}")
for endpoint in ["services", "service_at_locations", "organizations", "taxonomies", "taxonomy_terms"]:
    status, first = get(f"/{endpoint}?per_page=5")
    pages, total = first["total_pages"], first["total_items"]
    for page in sorted({1, (pages + 1) // 2, pages}):
        status, answer = get(f"/{endpoint}?per_page=5&page={page}")
        expected = min(5, total - 5 * (page - 1)) if total else 0
        if status != 200 or answer["page_number"] != page or answer["size"] != expected or answer["last_page"] != (page == pages) \
                or answer["first_page"] != (page == 1) or answer["total_pages"] != pages:
            failures.append(f"/{endpoint} page {page} of {pages}: {status} {dict((k, v) for k, v in answer.items() if k != 'contents')}")
        for item in answer.get("contents", []):
            one, _ = get(f"/{endpoint}/{item['id']}")
            if one != 200:
                failures.append(f"/{endpoint}/{item['id']} answered {one}")
    print(f"/{endpoint}: {total} items in {pages} pages; pages 1, middle and last agree; every id on them resolves")
status, found = get("/services?search=spesa")
if status != 200 or found["total_items"] == 0:
    failures.append(f"a text search found nothing: {status}")
status, open_at = get("/services?day=monday&time=10:00")
if status != 200 or open_at["total_items"] == 0:
    failures.append(f"a time search found nothing: {status}")
print(f"text search: {found['total_items']} services for 'spesa'; time search: {open_at['total_items']} open on Monday at 10:00")
for failure in failures:
    print("FAILED:", failure)
sys.exit(1 if failures else 0)
PY
[ $status = 0 ] && echo "check-api: passed" || echo "check-api: FAILED"
exit $status
