#!/usr/bin/env bash
# Benchmark: training steps of a built-in CNN (ARCH: resnet18, the CIFAR form, or mobilenetv2)
# through transfer4j and the same network and step in PyTorch (Debian's python3-torch), alternating
# the two R times; prints each run and the ratio of the medians. PRECISION=bf16 runs transfer4j's
# --precision bf16 against PyTorch's autocast bf16.
# Usage: [ARCH=resnet18] [PRECISION=fp32] scripts/bench-vision-step.sh [size] [batch] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-32}"; batch="${2:-64}"; rounds="${3:-3}"
t4j="${T4J:-./transfer4j}"
arch="${ARCH:-resnet18}"
precision="${PRECISION:-fp32}"
torch_bf16=(); [ "$precision" = bf16 ] && torch_bf16=(--bf16)
py=/usr/bin/python3
$py -c "import torch" 2>/dev/null || { echo "error: $py has no torch; apt-get install python3-torch" >&2; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
for r in $(seq 1 "$rounds"); do
  $t4j bench vision-step --arch "$arch" --size "$size" --batch "$batch" --precision "$precision" --quiet --json "$work/t4j-$r.json" \
    | grep -v '^\['
  $py scripts/torch_vision_step.py --arch "$arch" --size "$size" --batch "$batch" "${torch_bf16[@]}" | tee "$work/torch-$r.json"
done
$py - "$work" "$rounds" <<'PY'
import json, statistics, sys
w, n = sys.argv[1], int(sys.argv[2])
t = [json.load(open(f"{w}/t4j-{r}.json")) for r in range(1, n + 1)]
p = [json.load(open(f"{w}/torch-{r}.json")) for r in range(1, n + 1)]
tm, pm = statistics.median(x["medianStepMs"] for x in t), statistics.median(x["medianStepMs"] for x in p)
print(f"{p[0]['arch']} {t[0]['precision']} {t[0]['size']}x{t[0]['size']} batch {t[0]['batch']}: transfer4j {tm:.0f} ms/step ({t[0]['batch']*1000/tm:.0f} images/s, "
      f"{t[0]['parameters']:,} parameters), PyTorch {p[0]['torch']} {pm:.0f} ms/step ({t[0]['batch']*1000/pm:.0f} images/s, "
      f"{p[0]['parameters']:,} parameters); transfer4j/PyTorch time ratio {tm/pm:.2f}")
print(f"peak RSS: transfer4j {max(x['peakRssKb'] for x in t):,} KB, PyTorch {max(x['peakRssKb'] for x in p):,} KB")
PY
