#!/usr/bin/env bash
# The vision evidence: pre-train on Fashion-MNIST, transfer curves to Fashion-MNIST classes 5-9 and to
# MNIST digits, PaddleOCR as the source model, augmentation on/off, ResNet-18 step vs PyTorch. One run
# at a time (2 cores). Needs scripts/fetch-data.sh fashion mnist ppocr. Results: runs/vision/*.log, curve-*/curve.json
set -euxo pipefail
cd "$(dirname "$0")/.."
mkdir -p runs/vision
R="${T4J:-./transfer4j}"
F=~/.cache/transfer4j/data/fashion-mnist
M=~/.cache/transfer4j/data/mnist
P=~/.cache/transfer4j/data/ppocr
S="--seed 42 --seeds 3 --quiet"
$R pretrain --data $F/train-images-idx3-ubyte.gz --test-data $F/t10k-images-idx3-ubyte.gz --classes 0,1,2,3,4 --out runs/vision/fashion04 --seed 42 --quiet > runs/vision/pretrain04.log 2>&1
$R pretrain --data $F/train-images-idx3-ubyte.gz --test-data $F/t10k-images-idx3-ubyte.gz --out runs/vision/fashion-all --epochs 3 --seed 42 --quiet > runs/vision/pretrain-all.log 2>&1
$R curve --data $F/train-images-idx3-ubyte.gz --test-data $F/t10k-images-idx3-ubyte.gz --classes 5,6,7,8,9 --backbone runs/vision/fashion04 $S --out runs/vision/curve-fashion > runs/vision/curve-fashion.log 2>&1
$R curve --data $M/train-images-idx3-ubyte --test-data $M/t10k-images-idx3-ubyte --backbone runs/vision/fashion-all $S --out runs/vision/curve-mnist > runs/vision/curve-mnist.log 2>&1
$R curve --data $M/train-images-idx3-ubyte --test-data $M/t10k-images-idx3-ubyte --backbone $P/ch_PP-OCRv4_rec_infer.onnx --image-size 48 --strategies linear-probe $S --out runs/vision/curve-ppocr-probe > runs/vision/curve-ppocr-probe.log 2>&1
$R curve --data $F/train-images-idx3-ubyte.gz --test-data $F/t10k-images-idx3-ubyte.gz --classes 5,6,7,8,9 --backbone runs/vision/fashion04 --budgets 50 --strategies partial,full --augment standard $S --out runs/vision/curve-fashion-aug > runs/vision/curve-fashion-aug.log 2>&1
$R curve --data $M/train-images-idx3-ubyte --test-data $M/t10k-images-idx3-ubyte --backbone $P/ch_PP-OCRv4_rec_infer.onnx --image-size 48 --budgets 10,50 --strategies partial,full --epochs 15 $S --out runs/vision/curve-ppocr-tune > runs/vision/curve-ppocr-tune.log 2>&1
T4J=$R scripts/bench-vision-step.sh 32 64 3 > runs/vision/bench-vision-step.log 2>&1

