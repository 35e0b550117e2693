#!/usr/bin/env bash
# The few-shot issue's evidence, reproducibly. IMDB: 10 draws of 8 labelled reviews per class from the
# pool of 25,000 reviews, the same 5,000 held-out reviews (2,500 per class, from the other 25,000), linear
# probe vs cosine prototypes vs auto for bge-small and minilm, and SetFit (iterations 20, one epoch) for
# SETFIT_DRAWS draws (default 5: about 5 minutes each on 2 cores); accuracy mean and 95% t-interval
# over draws, wall time and peak RSS per draw. Fashion-MNIST: a smallcnn pre-trained on base classes
# 0-5 (t-shirt..sandal), then 600 4-way episodes on the novel classes 6-9 (shirt, sneaker, bag, boot) of
# the test set, 1 and 5 shots, prototypes and probe, vs the same network freshly initialised.
# Needs npm (IMDB) and the Debian package dataset-fashion-mnist. Writes to OUT (default runs/fewshot).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/fewshot}"
draws="${DRAWS:-10}"
setfit_draws="${SETFIT_DRAWS:-5}"
mkdir -p "$out"
scripts/fetch-data.sh imdb >/dev/null
imdb="${TRANSFER4J_HOME:-$HOME/.cache/transfer4j}/data/imdb/reviews.json"
python3 - "$imdb" "$out" "$draws" <<'PY'
import csv, json, random, sys
reviews, out, draws = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3])
label = lambda r: "positive" if r["s"] == 1 else "negative"
order = list(range(len(reviews))); random.Random(0).shuffle(order)  # the file is sorted by label
pool, held = [reviews[i] for i in order[:25000]], [reviews[i] for i in order[25000:]]
def write(name, rows):
    with open(f"{out}/{name}", "w", newline="") as f:
        w = csv.writer(f); w.writerow(["text", "label"])
        for r in rows: w.writerow([r["t"], label(r)])
rng = random.Random(2026)
test = []
for c in ("negative", "positive"):
    rows = [r for r in held if label(r) == c]; rng.shuffle(rows); test += rows[:2500]
write("test.csv", test)
for d in range(1, draws + 1):
    rng = random.Random(d)
    shots = []
    for c in ("negative", "positive"):
        rows = [r for r in pool if label(r) == c]; shots += rng.sample(rows, 8)
    write(f"shots-{d}.csv", shots)
PY
t4j="${T4J:-./transfer4j}"  # T4J: another launcher, e.g. "java -jar /copy/transfer4j.jar" while sources change
# Fashion-MNIST: base classes 0-5, novel 6-9
fm=/usr/share/datasets/fashion-mnist
$t4j pretrain --quiet --data "$fm/train-images-idx3-ubyte.gz" --classes 0,1,2,3,4,5 --epochs 4 --out "$out/fashion-base" | tail -4 | tee "$out/fashion-pretrain.txt"
for bb in "$out/fashion-base" smallcnn; do
  for m in prototypes probe; do
    echo "== backbone $bb, method $m"
    /usr/bin/time -f "%e s, %M KB" $t4j fewshot eval --quiet --data "$fm/t10k-images-idx3-ubyte.gz" --classes 6,7,8,9 --backbone "$bb" \
      --ways 4 --shots 1,5 --queries 15 --episodes 600 --method "$m" --metric euclidean
  done
done 2>&1 | tee "$out/fashion-episodes.txt"
run() { # name, then the command: appends "name accuracy seconds peak-MB" to results.txt
  local name="$1"; shift
  /usr/bin/time -f "%e %M" -o "$out/time.tmp" "$@" > "$out/last.txt"
  local acc; acc=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['transfer']['test']['accuracy'])" "$out/bundle/summary.json")
  read -r secs kb < "$out/time.tmp"
  echo "$name $acc $secs $((kb / 1024))" | tee -a "$out/results.txt"
}
: > "$out/results.txt"
for b in bge-small minilm; do
  for d in $(seq 1 "$draws"); do
    for m in probe prototypes auto; do
      run "$b/$m" $t4j fewshot --quiet --data "$out/shots-$d.csv" --test "$out/test.csv" --backbone "$b" --method "$m" --seed "$d" --out "$out/bundle"
    done
  done
done
for b in minilm bge-small; do
  for d in $(seq 1 "$setfit_draws"); do
    run "$b/setfit" $t4j fewshot --quiet --data "$out/shots-$d.csv" --test "$out/test.csv" --backbone "$b" --method setfit --seed "$d" --out "$out/bundle"
  done
done
python3 - "$out/results.txt" <<'PY' | tee "$out/imdb-table.txt"
import collections, statistics, sys
T = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, acc, secs, mb = line.split(); rows[name].append((float(acc), float(secs), int(mb)))
print(f"{'backbone/method':22} {'draws':>5} {'accuracy':>9} {'95% CI':>8} {'s/draw':>7} {'peak MB':>8}")
for name, r in rows.items():
    a = [x[0] * 100 for x in r]; n = len(a); m = statistics.mean(a)
    ci = T.get(n - 1, 1.96) * statistics.stdev(a) / n ** 0.5 if n > 1 else float("nan")
    print(f"{name:22} {n:5d} {m:8.1f}% {ci:7.1f}  {statistics.mean(x[1] for x in r):7.1f} {max(x[2] for x in r):8d}")
PY
