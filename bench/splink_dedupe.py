#!/usr/bin/env python3
"""The comparison for the deduplication benchmark: Splink (Fellegi-Sunter on DuckDB) on the same
labelled records, at both levels, writing clusters.csv in crocevia's form so score_dedupe.py
scores both alike. Benchmark only (pip install splink pandas); never a Crocevia dependency.

Organization level: one row per record, columns cleaned the way a careful analyst would (accents
and case folded, legal forms and branch suffixes dropped from names, tax codes with their zeros,
phones without +39, e-mail and website domains, town, street and number); comparisons with term
frequencies on the name; parameters estimated without labels (random sampling for u, EM for m).
Location level: one row per record and location, linked only within a Splink organization
cluster, on street, number and town.

Usage: splink_dedupe.py FOLDER [THRESHOLD]   (FOLDER holds the partners' .jsonl and gets
splink-clusters.csv; THRESHOLD is the match probability for clustering, default 0.9)
"""
import csv, glob, json, os, re, sys, unicodedata
import logging
import pandas as pd
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
import splink.comparison_library as cl

logging.getLogger("splink").setLevel(logging.WARNING)
LEGAL = re.compile(r"\b(o\.?n\.?l\.?u\.?s\.?|a\.?p\.?s\.?|o\.?d\.?v\.?|e\.?t\.?s\.?|s\.?c\.?s\.?|a\.?s\.?d\.?)(?=\s|$|-)", re.I)
ABBREVIATIONS = [(r"\bass\.?ne\b|\bassoc\.|\bass\.", "associazione"), (r"\bcoop\.", "cooperativa"),
                 (r"\bsoc\.", "sociale"), (r"\bparr\.", "parrocchia"), (r"\bs\.\s", "san ")]


def fold(text):
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def clean_name(name):
    name = (name or "").lower()
    name = re.split(r"\s[-–,]?\s*sede di\s", name)[0]
    for pattern, replacement in ABBREVIATIONS:
        name = re.sub(pattern, replacement, name)
    name = LEGAL.sub(" ", name)
    return fold(name) or None


def digits(text):
    return re.sub(r"\D", "", text or "")


def clean_tax(text):
    d = digits(text)
    return d.zfill(11) if 6 <= len(d) <= 11 else None


def clean_phone(text):
    d = digits(text)
    if d.startswith("0039"):
        d = d[4:]
    elif d.startswith("39") and len(d) > 10:
        d = d[2:]
    return d or None


def domain(text):
    text = (text or "").lower().replace("mailto:", "")
    if "@" in text:
        return text.split("@")[-1] or None
    text = re.sub(r"^https?://", "", text).split("/")[0]
    return text[4:] if text.startswith("www.") else (text or None)


def street_parts(text):
    folded = fold(text)
    for short, full in [("c so", "corso"), ("cso", "corso"), ("p za", "piazza"), ("p zza", "piazza"), ("p le", "piazzale"),
                        ("l go", "largo"), ("v le", "viale"), ("v lo", "vicolo"), ("str", "strada"), ("v", "via")]:
        if folded.startswith(short + " "):
            folded = full + folded[len(short):]
            break
    match = re.search(r"^(.*?)(?:\s(?:n|civ))?\s(\d+)\s?([a-z]?)$", folded)
    if match:
        return match.group(1), match.group(2) + match.group(3)
    return folded, None


def main():
    folder = sys.argv[1]
    threshold = float(sys.argv[2]) if len(sys.argv) > 2 else 0.9
    records, places = [], []
    for path in sorted(glob.glob(os.path.join(folder, "*.jsonl"))):
        for line in open(path, encoding="utf-8"):
            o = json.loads(line)
            towns = [fold(l["addresses"][0].get("city", "")).replace(" to", "") for l in o.get("locations", []) if l.get("addresses")]
            records.append({"unique_id": o["id"], "name": clean_name(o.get("name")), "tax": clean_tax(o.get("tax_id")),
                            "phone": clean_phone((o.get("phones") or [{}])[0].get("number")),
                            "email_domain": domain(o.get("email")), "web": domain(o.get("website")),
                            "town": towns[0] if towns else None})
            for l in o.get("locations", []):
                a = (l.get("addresses") or [{}])[0]
                street, number = street_parts(a.get("address_1", ""))
                places.append({"unique_id": o["id"] + "#" + l["id"], "record_id": o["id"], "location_id": l["id"],
                               "street": street or None, "number": number, "town": fold(a.get("city", "")) or None})
    db = DuckDBAPI()
    frame = db.register(pd.DataFrame(records))
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name", [0.95, 0.88, 0.8]).configure(term_frequency_adjustments=True),
            cl.ExactMatch("tax"), cl.ExactMatch("phone"), cl.ExactMatch("email_domain"), cl.ExactMatch("web"),
            cl.ExactMatch("town").configure(term_frequency_adjustments=True),
        ],
        blocking_rules_to_generate_predictions=[block_on("tax"), block_on("phone"), block_on("email_domain"),
                                                block_on("web"), block_on("name", "town")],
    )
    linker = Linker(frame, settings)
    linker.training.estimate_probability_two_random_records_match([block_on("tax")], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name", "town"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("tax"))
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold).as_pandas_dataframe()
    organization = dict(zip(clusters["unique_id"], clusters["cluster_id"]))

    # Places, linked within an organization cluster.
    place_frame = pd.DataFrame(places)
    place_frame["organization"] = place_frame["record_id"].map(organization)
    db2 = DuckDBAPI()
    place_settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[cl.JaroWinklerAtThresholds("street", [0.95, 0.88]), cl.ExactMatch("number"), cl.ExactMatch("town")],
        blocking_rules_to_generate_predictions=[block_on("organization")],
    )
    place_linker = Linker(db2.register(place_frame), place_settings)
    place_linker.training.estimate_probability_two_random_records_match([block_on("organization", "street", "number")], recall=0.8)
    place_linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    place_linker.training.estimate_parameters_using_expectation_maximisation(block_on("organization"))
    place_predictions = place_linker.inference.predict(threshold_match_probability=0.2)
    place_clusters = place_linker.clustering.cluster_pairwise_predictions_at_threshold(place_predictions, threshold).as_pandas_dataframe()
    location = dict(zip(place_clusters["unique_id"], place_clusters["cluster_id"]))

    with open(os.path.join(folder, "splink-clusters.csv"), "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["record_id", "location_id", "organization_cluster", "location_cluster"])
        with_places = set()
        for p in places:
            with_places.add(p["record_id"])
            out.writerow([p["record_id"], p["location_id"], organization[p["record_id"]], location[p["unique_id"]]])
        for r in records:
            if r["unique_id"] not in with_places:
                out.writerow([r["unique_id"], "", organization[r["unique_id"]], ""])


if __name__ == "__main__":
    main()
