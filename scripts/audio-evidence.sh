#!/usr/bin/env bash
# The audio issue's evidence, reproducibly: keyword spotting (10 words, espeak-ng voices, test voices
# unseen) at 5, 10 and 50 clips per word, scratch CNN vs linear probe vs full fine-tuning of the speech
# embedding, 3 seeds, without and with augmentation; Sonic Pi instrument families (real recordings) in
# 5 folds, probe and fine-tuning vs scratch; and the speech embedding through transfer4j vs bare ONNX
# Runtime. Needs the Debian packages espeak-ng, sox and sonic-pi-samples. Writes to OUT (default runs/audio).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/audio}"
mkdir -p "$out"
scripts/make-kws.sh "$out/kws"
scripts/make-sonicpi.sh "$out/sonicpi"
t4j=./transfer4j
$t4j curve --quiet --data "$out/kws/train.csv" --test-data "$out/kws/test.csv" --budgets 5,10,50 \
  --strategies linear-probe,full --seeds 3 --out "$out/curve-plain" | tee "$out/curve-plain.txt"
$t4j curve --quiet --data "$out/kws/train.csv" --test-data "$out/kws/test.csv" --budgets 5,10,50 \
  --strategies linear-probe,full --seeds 3 --augment standard,noise=5 --noise "$out/kws/noise" --out "$out/curve-aug" \
  | tee "$out/curve-aug.txt"
for k in 1 2 3 4 5; do
  for s in linear-probe full; do
    echo "== fold $k $s"
    $t4j train --quiet --data "$out/sonicpi/fold-$k/train.csv" --test-data "$out/sonicpi/fold-$k/test.csv" --strategy "$s" \
      --seeds 1 --clip-seconds 1 --out "$out/sonicpi-$k-$s" | grep -E "^(transfer|scratch):"
  done
done | tee "$out/sonicpi.txt"
$t4j bench audio --quiet --data "$out/kws/test" --repeats 5 | tee "$out/bench.txt"
