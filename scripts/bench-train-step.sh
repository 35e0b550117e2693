#!/usr/bin/env bash
# Benchmark: one full fine-tuning step of an encoder + linear head (forward, backward, clip, AdamW)
# through transfer4j and the same step written in PyTorch (Debian's python3-torch), on the same
# starting weights, token ids and labels, alternating the two R times; prints each run and the
# ratio of the medians. Usage: scripts/bench-train-step.sh [backbone] [batch] [seq] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
backbone="${1:-minilm}"; batch="${2:-32}"; seq="${3:-128}"; rounds="${4:-3}"
t4j="${T4J:-./transfer4j}"
py=/usr/bin/python3
$py -c "import torch" 2>/dev/null || { echo "error: $py has no torch; apt-get install python3-torch" >&2; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
$t4j bench train-step --backbone "$backbone" --batch "$batch" --seq "$seq" --steps 5 --warmup 2 --dump "$work/dump" --quiet >/dev/null
for r in $(seq 1 "$rounds"); do
  $t4j bench train-step --backbone "$backbone" --batch "$batch" --seq "$seq" --steps 5 --warmup 2 --quiet --json "$work/t4j-$r.json" | grep -v '^\['
  $py scripts/torch_train_step.py "$work/dump" --batch "$batch" --seq "$seq" --steps 5 --warmup 2 | tee "$work/torch-$r.json"
done
$py - "$work" "$rounds" <<'PY'
import json, statistics, sys
w, n = sys.argv[1], int(sys.argv[2])
t = [json.load(open(f"{w}/t4j-{r}.json")) for r in range(1, n + 1)]
p = [json.load(open(f"{w}/torch-{r}.json")) for r in range(1, n + 1)]
tm, pm = statistics.median(x["medianStepMs"] for x in t), statistics.median(x["medianStepMs"] for x in p)
print(f"median step: transfer4j {tm:.0f} ms ({t[0]['batch']*1000/tm:.1f} ex/s), "
      f"PyTorch {p[0]['torch']} {pm:.0f} ms ({t[0]['batch']*1000/pm:.1f} ex/s); transfer4j/PyTorch time ratio {tm/pm:.2f}")
print(f"peak RSS: transfer4j {max(x['peakRssKb'] for x in t):,} KB, PyTorch {max(x['peakRssKb'] for x in p):,} KB")
print(f"loss on the first batch before training: transfer4j {t[0]['initialLoss']:.6f}, PyTorch {p[0]['firstLoss']:.6f}")
PY
