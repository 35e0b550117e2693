#!/usr/bin/env bash
# Benchmark (not part of the tests): the transferability scores' time per candidate, before and
# after they moved onto the native BLAS, in the same run. `transfer4j rank --layers 6` scores
# 3 backbones x 6 layers (18 candidates) on 5,000 IMDB reviews (drawn with seed 7); the features
# come from the embedding cache after the first pass, so the two timed passes differ only in the
# scores. "before" is a jar built from BASE (default 1d127a5, the last commit with the scalar
# scores) in a temporary worktree. Prints each candidate's score time, the ratio, and the largest
# difference between the two runs' scores (the native path computes in double, like the scalar one).
# Needs scripts/fetch-data.sh imdb. Env: BASE, ROWS (5000), LAYERS (6), BACKBONES.
set -euo pipefail
cd "$(dirname "$0")/.."
home="${TRANSFER4J_HOME:-$HOME/.cache/transfer4j}"
out="${OUT:-/tmp/bench-scores}"
base="${BASE:-1d127a5}"
rows="${ROWS:-5000}"
backbones="${BACKBONES:-minilm-q,bge-small-q,e5-small-q}"
mkdir -p "$out"
scripts/fetch-data.sh imdb
python3 - "$home/data/imdb/reviews.json" "$out/imdb.csv" "$rows" <<'PY'
import csv, json, random, sys
rows = json.load(open(sys.argv[1])); random.Random(7).shuffle(rows)
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f); w.writerow(["text", "label"])
    w.writerows((r["t"], "positive" if r["s"] else "negative") for r in rows[:int(sys.argv[3])])
PY
scripts/base-jar.sh "$base" "$out"
# rank JSON COMMAND...: COMMAND rank ... --json JSON
rank() { local json="$1"; shift; "$@" rank -q --data "$out/imdb.csv" --backbones "$backbones" --layers "${LAYERS:-6}" --max-length 128 --json "$json"; }
# the first pass fills the embedding cache (its timing is not used)
rank "$out/warm.json" ./transfer4j > /dev/null
TORCH_CPP_LOG_LEVEL=ERROR rank "$out/before.json" java -Xmx4g -jar "$out/before.jar" > "$out/before.txt"
rank "$out/after.json" ./transfer4j > "$out/after.txt"
python3 - "$out/before.json" "$out/after.json" <<'PY'
import json, statistics, sys
b = {c["backbone"]: c for c in json.load(open(sys.argv[1]))["candidates"]}
a = {c["backbone"]: c for c in json.load(open(sys.argv[2]))["candidates"]}
print(f"| candidate | rows x width | scalar scores s | native scores s | speed-up | max score difference |")
print("|---|---|---|---|---|---|")
ratios = []
for k, x in a.items():
    y = b[k]
    diff = max(abs(x[s] - y[s]) for s in ("logMe", "shrinkageHScore", "knnAccuracy"))
    r = y["scoreMillis"] / max(1, x["scoreMillis"]); ratios.append(r)
    print(f"| {k} | {x['samples']} x {x['width']} | {y['scoreMillis']/1000:.2f} | {x['scoreMillis']/1000:.2f} | {r:.1f}x | {diff:.2e} |")
tb = sum(c["scoreMillis"] for c in b.values()) / 1000; ta = sum(c["scoreMillis"] for c in a.values()) / 1000
print(f"\nall {len(a)} candidates: scalar {tb:.1f} s, native {ta:.1f} s, {tb/ta:.1f}x; median per candidate {statistics.median(ratios):.1f}x")
PY
