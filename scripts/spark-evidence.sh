#!/usr/bin/env bash
# The Spark issue's evidence, reproducibly. 20,000 IMDB reviews (shuffled with seed 0; the file is sorted
# by label): (1) SparkParity embeds them in one JVM (train's FeatureExtractor) and on local Spark with 1
# and 2 executor cores, and prints throughput ratios, the largest vector difference and the same head's
# held-out accuracy on either side's vectors, for an fp32 (minilm) and the default int8 (bge-small-q)
# backbone; (2) `train` and `spark train` on the same CSV, each printing its own held-out accuracy.
# MAX_LENGTH (default 128) tokens per window, MAX_WINDOWS (default 8) per review, REPEATS (default 1) timed
# passes, BACKBONES (default "minilm bge-small-q"), CORES (default 1,2). Writes to OUT (default runs/spark).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/spark}"
max_length="${MAX_LENGTH:-128}"
repeats="${REPEATS:-1}"
windows="${MAX_WINDOWS:-8}"
mkdir -p "$out"
scripts/fetch-data.sh imdb >/dev/null
imdb="${TRANSFER4J_HOME:-$HOME/.cache/transfer4j}/data/imdb/reviews.json"
python3 - "$imdb" "$out/imdb-20k.csv" <<'PY'
import csv, json, random, sys
reviews = json.load(open(sys.argv[1]))
order = list(range(len(reviews))); random.Random(0).shuffle(order)
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f); w.writerow(["text", "label"])
    for i in order[:20000]:
        w.writerow([reviews[i]["t"], "positive" if reviews[i]["s"] == 1 else "negative"])
PY
./transfer4j spark --help >/dev/null  # builds the module
cp="spark/target/transfer4j-spark.jar:spark/target/lib/*"
for b in ${BACKBONES:-minilm bge-small-q}; do
  /usr/bin/time -f "peak RSS %M KB, wall %e s" java -Xmx6g @spark/java-options -cp "$cp" io.transfer4j.spark.bench.SparkParity \
    "$out/imdb-20k.csv" "$b" "$max_length" "$repeats" "$windows" "${CORES:-1,2}" 2>&1 | grep --line-buffered -v " WARN " \
    | tee "$out/parity-$b-w$windows.txt"
done
[ -n "${SKIP_TRAIN:-}" ] && exit 0
/usr/bin/time -f "train: wall %e s, peak RSS %M KB" ./transfer4j train -q --data "$out/imdb-20k.csv" --max-length "$max_length" \
  --max-windows "$windows" --out "$out/train-bundle" 2>&1 | tee "$out/train-w$windows.txt"
/usr/bin/time -f "spark train: wall %e s, peak RSS %M KB" ./transfer4j spark train -q --master 'local[2]' --data "$out/imdb-20k.csv" \
  --max-length "$max_length" --max-windows "$windows" --out "$out/spark-bundle" 2>&1 | grep --line-buffered -v " WARN " \
  | tee "$out/spark-train-w$windows.txt"
