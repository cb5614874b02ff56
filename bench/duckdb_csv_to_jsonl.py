"""DuckDB's CSV reader and JSON writer on one file: the anchor bench/run.sh measures plain
CSV -> JSON Lines against.

    python3 bench/duckdb_csv_to_jsonl.py INPUT.csv OUTPUT.jsonl     (pip install duckdb)
"""
import sys

import duckdb

source, target = sys.argv[1], sys.argv[2]
duckdb.sql(f"COPY (SELECT * FROM read_csv_auto('{source}')) TO '{target}' (FORMAT JSON)")
