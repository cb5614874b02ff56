#!/usr/bin/env python3
"""Second opinion: validates HSDS JSON Lines (or a JSON array) against the bundled HSDS 3.0
schemas with Python's jsonschema (draft 2020-12, formats checked), resolving the schemas' bare
file-name $refs against Schemas/hsds/; case data (`case/contact`...) against Schemas/case/.
Not a runtime dependency: a cross-check of crocevia's own validator on the samples.

    python3 scripts/validate_hsds.py service out.jsonl [more.jsonl...]
    python3 scripts/validate_hsds.py case/contact contatti.jsonl
Exit 0 when every record is valid; prints each error with its record number otherwise.
"""
import json
import pathlib
import sys

import jsonschema
from referencing import Registry, Resource

SCHEMAS = pathlib.Path(__file__).resolve().parent.parent / "Schemas"


def registry(folder):
    resources = []
    for path in (SCHEMAS / folder).glob("*.json"):
        if path.name == "openapi.json":
            continue
        schema = json.loads(path.read_text())
        schema.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
        resources.append((path.name, Resource.from_contents(schema)))
    return Registry().with_resources(resources)


def records(path):
    text = pathlib.Path(path).read_text()
    if text.lstrip().startswith("["):
        yield from json.loads(text)
    else:
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    kind, paths = sys.argv[1], sys.argv[2:]
    folder, name = kind.split("/", 1) if "/" in kind else ("hsds", kind)
    reg = registry(folder)
    schema = reg.contents(f"{name}.json")
    validator = jsonschema.Draft202012Validator(schema, registry=reg, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = 0
    count = 0
    for path in paths:
        for n, record in enumerate(records(path), 1):
            count += 1
            for error in validator.iter_errors(record):
                errors += 1
                where = "/".join(str(p) for p in error.absolute_path)
                print(f"{path}: record {n}: /{where}: {error.message}")
    print(f"{', '.join(paths)}: {count} {kind} records, {errors} errors", file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
