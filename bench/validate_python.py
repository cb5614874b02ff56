#!/usr/bin/env python3
"""The validation benchmark's reference: Python jsonschema's Draft202012Validator with a format
checker, against the bundled HSDS schemas (the registry of scripts/validate_hsds.py). Prints
records, invalid records, the validation loop's time and records per second.

    python3 bench/validate_python.py OBJECT RECORDS.jsonl
"""
import json
import pathlib
import sys
import time


def timed(is_valid, path):
    """Each line of `path` through json.loads and `is_valid`; the line bench/run_validate.sh reads."""
    start = time.perf_counter()
    records = invalid = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            records += 1
            if not is_valid(json.loads(line)):
                invalid += 1
    elapsed = time.perf_counter() - start
    return f"{records} records, {invalid} invalid, {elapsed:.2f} s, {records / elapsed:.0f} records/s"


if __name__ == "__main__":
    import jsonschema

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
    from validate_hsds import registry  # noqa: E402

    reg = registry("hsds")
    validator = jsonschema.Draft202012Validator(reg.contents(sys.argv[1] + ".json"), registry=reg,
                                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    print(timed(validator.is_valid, sys.argv[2]))
