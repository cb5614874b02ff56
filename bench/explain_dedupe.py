#!/usr/bin/env python3
"""Shows what a deduplication run missed and merged wrongly, for looking at, not for scoring:
pairs of locations of one true place left apart (split by whether their organizations were
joined), and pairs joined that are different organizations, with the fields that tell.

Usage: explain_dedupe.py DATADIR [N]   (DATADIR holds the partners' .jsonl, truth.csv, clusters.csv)
"""
import csv, glob, json, os, random, sys
from collections import defaultdict

folder = sys.argv[1]
shown = int(sys.argv[2]) if len(sys.argv) > 2 else 8
records, places = {}, {}
for path in glob.glob(os.path.join(folder, "*.jsonl")):
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        r["_source"] = os.path.basename(path)[:-6]
        records[r["id"]] = r
        for loc in r.get("locations", []):
            places[(r["id"], loc["id"])] = loc
truth, pred = {}, {}
for row in csv.DictReader(open(os.path.join(folder, "truth.csv"), encoding="utf-8")):
    truth[(row["record_id"], row["location_id"])] = (row["organization"], row["location"])
for row in csv.DictReader(open(os.path.join(folder, "clusters.csv"), encoding="utf-8")):
    pred[(row["record_id"], row["location_id"])] = (row["organization_cluster"], row["location_cluster"])

def org_line(rid):
    r = records[rid]
    return "%s | %s | alt %s | tax %s | tel %s | %s | %s" % (r["_source"], r.get("name"), r.get("alternate_name", "-"), r.get("tax_id", "-"),
        ",".join(p["number"] for p in r.get("phones", [])), r.get("email", "-"), r.get("website", "-"))

def place_line(key):
    loc = places[key]
    a = (loc.get("addresses") or [{}])[0]
    return "%s | %s | %s | %s" % (loc.get("name", "-"), a.get("address_1", "-"), a.get("city", "-"), a.get("postal_code", "-"))

by_place = defaultdict(list)
for key, (org, place) in truth.items():
    by_place[place].append(key)
split_same_org, split_other_org = [], []
for place, keys in by_place.items():
    for i in range(len(keys)):
        for j in range(i + 1, len(keys)):
            a, b = keys[i], keys[j]
            if pred[a][1] != pred[b][1]:
                (split_same_org if pred[a][0] == pred[b][0] else split_other_org).append((a, b))
by_pred = defaultdict(list)
for key, (org, loc) in pred.items():
    by_pred[org].append(key)
wrong = []
for org, keys in by_pred.items():
    rids = sorted(set(k[0] for k in keys))
    for i in range(len(rids)):
        for j in range(i + 1, len(rids)):
            if truth[next(k for k in keys if k[0] == rids[i])][0] != truth[next(k for k in keys if k[0] == rids[j])][0]:
                wrong.append((rids[i], rids[j]))
rng = random.Random(1)
print("location pairs missed: %d with organizations joined, %d with organizations apart; organization pairs joined wrongly: %d"
      % (len(split_same_org), len(split_other_org), len(wrong)))
for title, pairs, kind in (("PLACES APART, ORGANIZATION JOINED", split_same_org, "place"),
                           ("PLACES APART, ORGANIZATIONS APART", split_other_org, "org"), ("JOINED WRONGLY", wrong, "wrong")):
    print("\n== " + title)
    for a, b in rng.sample(pairs, min(shown, len(pairs))):
        if kind == "wrong":
            print("  " + org_line(a) + "\n  " + org_line(b) + "\n")
        else:
            print("  " + org_line(a[0]) + "\n    " + place_line(a) + "\n  " + org_line(b[0]) + "\n    " + place_line(b) + "\n")
