#!/usr/bin/env bash
# Benchmark (not part of the product or the tests): does the negative-transfer guard flag transfer
# that hurts and pass transfer that helps? For each dataset made by scripts/validate-scores.sh (first
# 1,000 of its training texts, its 2,000 test texts), `transfer4j bench negative-transfer` runs the
# guard (linear probe vs scratch, 3 seeds, 95% CI) for MiniLM as published, MiniLM with permuted
# weights (an unrelated source) and MiniLM fine-tuned on the same texts with shuffled labels; the
# verdicts are counted here. Usage: scripts/negative-transfer.sh [datasets]   (after validate-scores.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
datasets="${1:-imdb spam party era}"
out="runs/negative"
mkdir -p "$out"
for ds in $datasets; do
  [ -f "runs/scores/$ds-train.csv" ] || { echo "error: runs/scores/$ds-train.csv missing; run scripts/validate-scores.sh first" >&2; exit 1; }
  if [ ! -f "$out/$ds.json" ]; then
    python3 - "runs/scores/$ds-train.csv" "$out/$ds-train.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
csv.writer(open(sys.argv[2], "w", newline="")).writerows(rows[:1001])
PY
    ${T4J:-./transfer4j} bench negative-transfer --data "$out/$ds-train.csv" --test-data "runs/scores/$ds-test.csv" \
      --work "$out/work-$ds" --json "$out/$ds.json.tmp" --quiet | tee "$out/$ds.txt"
    mv "$out/$ds.json.tmp" "$out/$ds.json"
    rm -rf "$out/work-$ds"
  fi
done
python3 - "$out" $datasets <<'PY'
import json, sys
out, names = sys.argv[1], sys.argv[2:]
counts = {}
for ds in names:
    for c in json.load(open(f"{out}/{ds}.json")):
        v = c["comparison"]["verdict"]
        counts.setdefault(c["kind"], {}).setdefault(v, []).append(ds)
for kind, verdicts in counts.items():
    print(f"{kind:18} " + "; ".join(f"{v}: {len(d)} ({', '.join(d)})" for v, d in verdicts.items()))
PY
