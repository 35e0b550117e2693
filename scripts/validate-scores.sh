#!/usr/bin/env bash
# Benchmark (not part of the product or the tests): do the transferability scores rank candidates
# the way their real accuracy does? For each target dataset, `transfer4j rank --layers 6 --test-data`
# scores 3 backbones x 6 layers (18 candidates) and trains a linear probe on each one's features;
# the weighted Kendall tau between each score and the probe's test accuracy is collected here.
# Datasets (disjoint 2,000 train / 2,000 test texts each, fixed draw):
#   imdb   movie-review sentiment (2 classes)
#   spam   SpamAssassin e-mails, subject + plain-text body, spam vs ham (2 classes)
#   party  State of the Union passages 1913-2021, Democratic vs Republican president (2 classes);
#          train = speeches of even years, test = odd years, so no speech is on both sides
#   era    State of the Union passages, 1790-1860 / 1861-1932 / 1933-1980 / 1981-2021 (4 classes), same split
# Needs scripts/fetch-data.sh imdb spam sotu. Usage: scripts/validate-scores.sh [max-length]
set -euo pipefail
cd "$(dirname "$0")/.."
len="${1:-128}"
home="${TRANSFER4J_HOME:-$HOME/.cache/transfer4j}"
out="runs/scores"
mkdir -p "$out"
for d in imdb/reviews.json spam/spam-1 sotu/1790_george_washington_n.json; do
  [ -e "$home/data/$d" ] || { echo "error: $home/data/$d missing; run scripts/fetch-data.sh imdb spam sotu" >&2; exit 1; }
done
python3 scripts/make-text-tasks.py "$home/data" "$out"
for ds in imdb spam party era; do
  if [ ! -f "$out/rank-$ds.json" ]; then
    ${T4J:-./transfer4j} rank --data "$out/$ds-train.csv" --test-data "$out/$ds-test.csv" --backbones minilm-q,bge-small-q,e5-small-q \
      --layers 6 --max-length "$len" --json "$out/rank-$ds.json.tmp" --quiet | tee "$out/rank-$ds.txt"
    mv "$out/rank-$ds.json.tmp" "$out/rank-$ds.json"
  fi
done
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
taus = {}
print(f"{'dataset':8} {'candidates':>10} {'best probe acc':>22} {'LogME':>7} {'H-score':>8} {'10-NN':>7}")
for ds in ("imdb", "spam", "party", "era"):
    r = json.load(open(f"{out}/rank-{ds}.json"))
    best = max(r["candidates"], key=lambda c: c["probeAccuracy"])
    t = r["weightedTau"]
    for k, v in t.items(): taus.setdefault(k, []).append(v)
    print(f"{ds:8} {len(r['candidates']):>10} {best['backbone'] + ' ' + format(best['probeAccuracy'], '.3f'):>22} "
          f"{t['LogME']:>7.3f} {t['shrinkage H-score']:>8.3f} {t['10-NN accuracy']:>7.3f}")
print(f"{'mean':8} {'':>10} {'':>22} " + " ".join(f"{sum(v)/len(v):>{w}.3f}" for v, w in zip(taus.values(), (7, 8, 7))))
PY
