#!/usr/bin/env python3
"""Scores clusters.csv against truth.csv at organization level (one item per record) and at
location level (one item per record and location): pairwise precision, recall and F1, and
B-cubed precision, recall and F1.

Usage: score_dedupe.py clusters.csv truth.csv [--json]
"""
import csv, json, sys
from collections import Counter, defaultdict


def scores(predicted, truth):
    items = [k for k in truth if k in predicted]
    missing = len(truth) - len(items)
    pred_sizes = Counter(predicted[k] for k in items)
    true_sizes = Counter(truth[k] for k in items)
    both = Counter((predicted[k], truth[k]) for k in items)
    pairs = lambda n: n * (n - 1) // 2
    tp = sum(pairs(n) for n in both.values())
    pred_pairs = sum(pairs(n) for n in pred_sizes.values())
    true_pairs = sum(pairs(n) for n in true_sizes.values())
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / true_pairs if true_pairs else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    # B-cubed: per item, the share of its predicted cluster that is truly its, and vice versa.
    bp = sum(both[(predicted[k], truth[k])] / pred_sizes[predicted[k]] for k in items) / len(items)
    br = sum(both[(predicted[k], truth[k])] / true_sizes[truth[k]] for k in items) / len(items)
    bf = 2 * bp * br / (bp + br) if bp + br else 0.0
    return {"items": len(items), "missing": missing, "true_pairs": true_pairs, "predicted_pairs": pred_pairs,
            "true_positive_pairs": tp, "precision": p, "recall": r, "f1": f,
            "bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": bf}


def main():
    clusters_path, truth_path = sys.argv[1], sys.argv[2]
    pred_org, pred_loc, true_org, true_loc = {}, {}, {}, {}
    with open(clusters_path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        assert header == ["record_id", "location_id", "organization_cluster", "location_cluster"], header
        for record_id, location_id, org, loc in reader:
            pred_org[record_id] = org
            pred_loc[(record_id, location_id)] = loc
    with open(truth_path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        for record_id, location_id, org, loc in reader:
            true_org[record_id] = org
            true_loc[(record_id, location_id)] = loc
    result = {"organization": scores(pred_org, true_org), "location": scores(pred_loc, true_loc)}
    if "--json" in sys.argv:
        print(json.dumps(result))
        return
    for level in ("organization", "location"):
        s = result[level]
        print("%-12s items %7d  pairwise P %.4f R %.4f F1 %.4f  B-cubed P %.4f R %.4f F1 %.4f%s" % (
            level, s["items"], s["precision"], s["recall"], s["f1"], s["bcubed_precision"], s["bcubed_recall"],
            s["bcubed_f1"], "  (%d missing)" % s["missing"] if s["missing"] else ""))


if __name__ == "__main__":
    main()
