#!/usr/bin/env python3
"""The validation benchmark's anchor: jsonschema-rs (Rust, `validator_for(..., validate_formats=True)`)
against the bundled HSDS schemas, each record parsed by Python's json.loads as the issue's figure
was taken. Prints records, invalid records, the validation loop's time and records per second, in
the form of bench/validate_python.py.

    python3 bench/validate_rust.py OBJECT RECORDS.jsonl      (pip install jsonschema-rs)
"""
import json
import pathlib
import sys
import time

import jsonschema_rs

SCHEMAS = pathlib.Path(__file__).resolve().parent.parent / "Schemas" / "hsds"
BASE = "file:///hsds/"


def retrieve(uri):
    """The schema a relative `$ref` names (`phone.json`), from the bundled folder."""
    if not uri.startswith(BASE):
        raise ValueError(f"no schema at {uri}")
    return json.loads((SCHEMAS / uri[len(BASE):]).read_text())


schema = json.loads((SCHEMAS / (sys.argv[1] + ".json")).read_text())
schema.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
validator = jsonschema_rs.validator_for(schema, validate_formats=True, retriever=retrieve, base_uri=BASE + sys.argv[1] + ".json")
start = time.perf_counter()
records = invalid = 0
with open(sys.argv[2], encoding="utf-8") as f:
    for line in f:
        records += 1
        if not validator.is_valid(json.loads(line)):
            invalid += 1
elapsed = time.perf_counter() - start
print(f"{records} records, {invalid} invalid, {elapsed:.2f} s, {records / elapsed:.0f} records/s")
