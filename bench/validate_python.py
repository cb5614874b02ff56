#!/usr/bin/env python3
"""The validation benchmark's reference: Python jsonschema's Draft202012Validator with a format
checker, against the bundled HSDS schemas (bare file-name $refs resolved through a registry).
Prints records, invalid records and records per second.

    python3 bench/validate_python.py OBJECT RECORDS.jsonl
"""
import json
import pathlib
import sys
import time

import jsonschema
from referencing import Registry, Resource

root = pathlib.Path(__file__).resolve().parent.parent / "Schemas" / "hsds"
resources = []
for path in root.glob("*.json"):
    if path.name == "openapi.json":
        continue
    schema = json.loads(path.read_text())
    schema.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
    resources.append((path.name, Resource.from_contents(schema)))
registry = Registry().with_resources(resources)
validator = jsonschema.Draft202012Validator(registry.contents(sys.argv[1] + ".json"), registry=registry,
                                            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
start = time.perf_counter()
records = invalid = 0
with open(sys.argv[2], encoding="utf-8") as f:
    for line in f:
        records += 1
        if not validator.is_valid(json.loads(line)):
            invalid += 1
elapsed = time.perf_counter() - start
print(f"{records} records, {invalid} invalid, {elapsed:.2f} s, {records / elapsed:.0f} records/s")
