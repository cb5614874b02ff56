#!/usr/bin/env python3
"""The validation benchmark's anchor: jsonschema-rs (Rust, `validator_for(..., validate_formats=True)`)
against the bundled HSDS schemas, each record parsed by Python's json.loads as the issue's figure
was taken. Prints records, invalid records, the validation loop's time and records per second, in
the form of bench/validate_python.py (its `timed` loop).

    python3 bench/validate_rust.py OBJECT RECORDS.jsonl      (pip install jsonschema-rs)
"""
import json
import pathlib
import sys

import jsonschema_rs

from validate_python import timed

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
print(timed(validator.is_valid, sys.argv[2]))
