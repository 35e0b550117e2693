#!/usr/bin/env bash
# Benchmark: one full fine-tuning step of an encoder + linear head (forward, backward, clip, AdamW)
# through transfer4j and the same step written in PyTorch (Debian's python3-torch), on the same
# starting weights, token ids and labels, alternating the two R times; prints each run and the
# ratio of the medians. PRECISION=bf16 runs transfer4j's --precision bf16 against PyTorch's autocast bf16.
# Usage: scripts/bench-train-step.sh [backbone] [batch] [seq] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
backbone="${1:-minilm}"; batch="${2:-32}"; seq="${3:-128}"; rounds="${4:-3}"
t4j="${T4J:-./transfer4j}"
precision="${PRECISION:-fp32}"
torch_bf16=(); [ "$precision" = bf16 ] && torch_bf16=(--bf16)
py=/usr/bin/python3
$py -c "import torch" 2>/dev/null || { echo "error: $py has no torch; apt-get install python3-torch" >&2; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
$t4j bench train-step --backbone "$backbone" --batch "$batch" --seq "$seq" --steps 5 --warmup 2 --dump "$work/dump" --quiet >/dev/null
for r in $(seq 1 "$rounds"); do
  $t4j bench train-step --backbone "$backbone" --batch "$batch" --seq "$seq" --steps 5 --warmup 2 --precision "$precision" --quiet \
    --json "$work/t4j-$r.json" | grep -v '^\['
  $py scripts/torch_train_step.py "$work/dump" --batch "$batch" --seq "$seq" --steps 5 --warmup 2 "${torch_bf16[@]}" | tee "$work/torch-$r.json"
done
$py - "$work" "$rounds" "$precision" <<'PY'
import json, statistics, sys, time
import torch
w, n, precision = sys.argv[1], int(sys.argv[2]), sys.argv[3]
t = [json.load(open(f"{w}/t4j-{r}.json")) for r in range(1, n + 1)]
p = [json.load(open(f"{w}/torch-{r}.json")) for r in range(1, n + 1)]
tm, pm = statistics.median(x["medianStepMs"] for x in t), statistics.median(x["medianStepMs"] for x in p)
print(f"precision {t[0]['precision']}; median step: transfer4j {tm:.0f} ms ({t[0]['batch']*1000/tm:.1f} ex/s), "
      f"PyTorch {p[0]['torch']} {pm:.0f} ms ({t[0]['batch']*1000/pm:.1f} ex/s); transfer4j/PyTorch time ratio {tm/pm:.2f}")
print(f"peak RSS: transfer4j {max(x['peakRssKb'] for x in t):,} KB, PyTorch {max(x['peakRssKb'] for x in p):,} KB")
print(f"loss on the first batch before training: transfer4j {t[0]['initialLoss']:.6f}, PyTorch {p[0]['firstLoss']:.6f}")
# Model FLOPs of one step: 3x the forward's (backward = 2x), forward = 2 * tokens * (every MatMul weight)
# + the attention products (q.k^T and att.v: 4 * batch * seq^2 * width per layer). Embedding
# gathers, norms and softmax count nothing, as in the usual MFU convention.
index = json.load(open(f"{w}/dump/index.json"))
b, seq = t[0]["batch"], t[0]["seq"]
dense = sum(e["shape"][0] * e["shape"][1] for e in index if len(e["shape"]) == 2 and "MatMul" in e["consumer"])
layers = len({e["name"].split(".")[2] for e in index if e["name"].startswith("encoder.layer.")})
width = next(e["shape"][0] for e in index if e["name"] == "embeddings.LayerNorm.weight")
flops = 3 * (2 * b * seq * dense + 4 * b * seq * seq * width * layers)
# the GEMM peak of this precision, measured now in Debian's PyTorch: 2048^3, median of 5 runs of 5
dt = torch.bfloat16 if precision == "bf16" else torch.float32
x, y = torch.randn(2048, 2048, dtype=dt), torch.randn(2048, 2048, dtype=dt)
x @ y
runs = []
for _ in range(5):
    t0 = time.perf_counter()
    for _ in range(5):
        x @ y
    runs.append(5 * 2 * 2048 ** 3 / (time.perf_counter() - t0))
peak = statistics.median(runs)
print(f"model FLOPs per step {flops / 1e9:.1f} G; {precision} GEMM peak {peak / 1e9:.0f} GFLOP/s; "
      f"MFU transfer4j {flops / (tm / 1000) / peak:.1%} ({flops / (tm / 1000) / 1e9:.0f} GFLOP/s), "
      f"PyTorch {flops / (pm / 1000) / peak:.1%} ({flops / (pm / 1000) / 1e9:.0f} GFLOP/s)")
PY
