#!/usr/bin/env bash
# Benchmark (not part of the tests): does a fine-tuning run's memory stay flat? DJL #2210 is the
# known class of leak (native memory growing step by step). Runs `transfer4j train --strategy full`
# on 2,000 IMDB reviews (scripts/make-text-tasks.py) with epochs enough and no early stop for
# DURATION seconds (default 3600), samples the JVM's VmRSS every INTERVAL (10) s into OUT/rss.csv,
# then prints RSS after warm-up (5 min), at the end and at its peak, and the least-squares slope
# after warm-up in MB per hour. Each sample also records the Java heap the JVM has committed (jstat),
# so that RSS growth can be split into heap sizing and native memory (the leak class above).
# Needs scripts/fetch-data.sh imdb.
# Env: OUT (/tmp/rss-soak), DURATION, INTERVAL, BACKBONE (minilm), BATCH (16), MAX_LENGTH (128),
#      PRECISION (fp32).
set -euo pipefail
cd "$(dirname "$0")/.."
home="${TRANSFER4J_HOME:-$HOME/.cache/transfer4j}"
out="${OUT:-/tmp/rss-soak}"
duration="${DURATION:-3600}"
interval="${INTERVAL:-10}"
mkdir -p "$out"
scripts/fetch-data.sh imdb >/dev/null
python3 scripts/make-text-tasks.py "$home/data" "$out" imdb
./transfer4j --version >/dev/null # builds the jar first, so that the clock and the samples start with the JVM
rm -rf "$out/model"
./transfer4j train -d "$out/imdb-train.csv" --backbone "${BACKBONE:-minilm}" --strategy full --epochs 1000 --patience 1000 \
    --batch "${BATCH:-16}" --max-length "${MAX_LENGTH:-128}" --precision "${PRECISION:-fp32}" --seeds 1 --quiet --out "$out/model" \
    > "$out/train.log" 2>&1 &
pid=$!
echo "seconds,rss_kb,heap_committed_kb" > "$out/rss.csv"
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  now=$(( $(date +%s) - start ))
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  # the launcher execs java, so $pid is the JVM; committed heap = S0C+S1C+EC+OC (KB) from jstat -gc
  heap=$(jstat -gc "$pid" 2>/dev/null | awk 'NR==2 {printf "%d", $1+$2+$5+$7}' || true)
  [ -n "$rss" ] && echo "$now,$rss,${heap:-}" >> "$out/rss.csv"
  if [ "$now" -ge "$duration" ]; then
    kill "$pid"
    break
  fi
  sleep "$interval"
done
wait "$pid" 2>/dev/null || true
python3 - "$out/rss.csv" <<'PY'
import csv, sys
all_rows = list(csv.DictReader(open(sys.argv[1])))
rows = [(int(r["seconds"]), int(r["rss_kb"])) for r in all_rows]
warm = [r for r in rows if r[0] >= 300] or rows

def slope(points):
    n = len(points); mx = sum(t for t, _ in points) / n; my = sum(v for _, v in points) / n
    var = sum((t - mx) ** 2 for t, _ in points)
    return sum((t - mx) * (v - my) for t, v in points) / var * 3600 / 1024 if var > 0 else 0.0

print(f"{len(rows)} samples over {rows[-1][0]} s: RSS at {warm[0][0]} s {warm[0][1] / 1024:.0f} MB, at the end {rows[-1][1] / 1024:.0f} MB, "
      f"peak {max(v for _, v in rows) / 1024:.0f} MB; slope after warm-up {slope(warm):+.1f} MB/h")
heap = [(int(r["seconds"]), int(r["heap_committed_kb"])) for r in all_rows if r.get("heap_committed_kb")]
warm_heap = [h for h in heap if h[0] >= 300]
if len(warm_heap) > 1:
    rss_at = dict(rows)
    native = [(t, rss_at[t] - h) for t, h in warm_heap]
    print(f"committed Java heap {warm_heap[0][1] / 1024:.0f} -> {warm_heap[-1][1] / 1024:.0f} MB, slope {slope(warm_heap):+.1f} MB/h; "
          f"RSS minus heap (native, code, threads) {native[0][1] / 1024:.0f} -> {native[-1][1] / 1024:.0f} MB, slope {slope(native):+.1f} MB/h")
PY
