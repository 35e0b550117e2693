#!/usr/bin/env bash
# Benchmark (not part of the product or the tests): every fine-tuning strategy on IMDB, 2,000
# training reviews (TRAIN=1000 for fewer; 15% of them validate) and 5,000 held-out reviews, over several seeds, through
# the ./transfer4j CLI. Each finished run appends one line to $out/results.tsv; rerunning skips
# finished runs, so the script can be stopped and continued. Needs scripts/fetch-data.sh imdb.
# Usage: scripts/strategies-imdb.sh [backbone] [seeds] [strategies]   (T4J=<launcher> to run a frozen build;
#   EXTRA="--select-by accuracy" NAME=acc to add train options, results then in runs/strategies-<backbone>-<NAME>;
#   LEN=256 for 256-token windows, 128 by default for the probe and the strategy's own default otherwise)
set -euo pipefail
cd "$(dirname "$0")/.."
backbone="${1:-minilm}"
seeds="${2:-42 43 44}"
strategies="${3:-linear-probe full lora lp-ft partial bitfit gradual}"
home="${TRANSFER4J_HOME:-$HOME/.cache/transfer4j}"
src="$home/data/imdb/reviews.json"
train="${TRAIN:-2000}"
out="runs/strategies-$backbone${TRAIN:+-$train}${LEN:+-len$LEN}${NAME:+-$NAME}"
read -r -a more <<< "${EXTRA:-}"
[ -f "$src" ] || { echo "error: $src missing; run scripts/fetch-data.sh imdb" >&2; exit 1; }
mkdir -p "$out"
# One fixed, disjoint draw of the training reviews + 5,000 (seed 7), the same for every strategy and seed.
if [ ! -f "$out/test.csv" ]; then
  python3 - "$src" "$out" "$train" <<'PY'
import csv, json, random, sys
rows = json.load(open(sys.argv[1]))
random.Random(7).shuffle(rows)
n = int(sys.argv[3])
for name, part in (("train", rows[:n]), ("test", rows[2000:7000])):
    with open(f"{sys.argv[2]}/{name}.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["text", "label"])
        w.writerows([r["t"], "positive" if r["s"] else "negative"] for r in part)
PY
fi
[ -f "$out/results.tsv" ] || printf 'strategy\tseed\taccuracy\ttrainable\ttotal\tsec_per_epoch\tepochs\twall_s\tpeak_rss_mb\n' > "$out/results.tsv"
for seed in $seeds; do
  for s in $strategies; do
    if awk -F'\t' -v s="$s" -v seed="$seed" '$1==s && $2==seed {found=1} END {exit !found}' "$out/results.tsv"; then
      continue
    fi
    extra=()
    [ "$s" = "linear-probe" ] && extra=(--max-length "${LEN:-128}" --max-windows 1)
    [ "$s" != "linear-probe" ] && [ -n "${LEN:-}" ] && extra=(--max-length "$LEN")
    start=$(date +%s)
    /usr/bin/time -f "%M" -o "$out/rss-$s-$seed.txt" ${T4J:-./transfer4j} train --data "$out/train.csv" --test-data "$out/test.csv" \
      --backbone "$backbone" --strategy "$s" --seed "$seed" --seeds 1 --quiet --out "$out/model-$s-$seed" "${extra[@]}" "${more[@]}" \
      > "$out/log-$s-$seed.txt" 2>&1
    wall=$(( $(date +%s) - start ))
    python3 - "$out/model-$s-$seed/summary.json" "$s" "$seed" "$wall" "$(tail -1 "$out/rss-$s-$seed.txt")" >> "$out/results.tsv" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = r.get("tuning") or {}
tr = r["transfer"]
print("\t".join(map(str, [sys.argv[2], sys.argv[3], tr["test"]["accuracy"], t.get("trainableParameters", ""),
    t.get("totalParameters", ""), round(t.get("millisPerEpoch", 0) / 1000, 1), tr["training"]["epochs"], sys.argv[4],
    int(sys.argv[5]) // 1024])))
PY
    tail -1 "$out/results.tsv"
    rm -rf "$out/model-$s-$seed/backbone"   # keep the summaries, not 90 MB encoders per run
  done
done
python3 - "$out/results.tsv" <<'PY'
import csv, math, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
t975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571}
print(f"{'strategy':14} {'seeds':>5} {'accuracy':>9} {'95% CI':>15} {'trainable':>12} {'s/epoch':>8} {'peak RSS':>9}")
for s in dict.fromkeys(r["strategy"] for r in rows):
    a = [100 * float(r["accuracy"]) for r in rows if r["strategy"] == s]
    m = statistics.mean(a)
    h = t975.get(len(a) - 1, 1.96) * statistics.stdev(a) / math.sqrt(len(a)) if len(a) > 1 else float("nan")
    last = [r for r in rows if r["strategy"] == s][-1]
    sec = statistics.mean(float(r["sec_per_epoch"]) for r in rows if r["strategy"] == s)
    rss = max(int(r.get("peak_rss_mb") or 0) for r in rows if r["strategy"] == s)
    print(f"{s:14} {len(a):5d} {m:8.1f}% {m-h:6.1f}-{m+h:5.1f}% {last['trainable'] or 'head':>12} {sec:8.1f} {rss:6d} MB")
PY
