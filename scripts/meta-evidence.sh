#!/usr/bin/env bash
# Meta-learning evidence on Fashion-MNIST: base classes 0-5 (t-shirt, trouser, pullover, dress, coat,
# sandal; the training images), novel classes 6-9 (shirt, sneaker, bag, boot; the test images).
# Each method meta-trains a smallcnn on 5-way 5-shot episodes of the base classes, from fresh weights
# and from a smallcnn pre-trained on the base classes (PRE, e.g. runs/fewshot/fashion-base written by
# scripts/fewshot-evidence.sh); then 600 4-way episodes on the novel classes, 1 and 5 shots, with
# Euclidean prototypes on the meta-trained features. ProtoNet trains EPISODES episodes (default 600),
# the inner-loop methods INNER_EPISODES (default 200, 3 inner steps at the default inner rate 0.5): about
# 5-10 minutes each on 2 cores. METHODS and STARTS (fresh, pretrained) choose a subset.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/meta}"
pre="${PRE:-runs/fewshot/fashion-base}"
episodes="${EPISODES:-600}"
inner_episodes="${INNER_EPISODES:-200}"
t4j="${T4J:-./transfer4j}"
methods="${METHODS:-protonet anil reptile maml}"
starts="${STARTS:-fresh pretrained}"
fm=/usr/share/datasets/fashion-mnist
mkdir -p "$out"
for tag in $starts; do
  start=$([ "$tag" = fresh ] && echo smallcnn || echo "$pre")
  for m in $methods; do
    n=$([ "$m" = protonet ] && echo "$episodes" || echo "$inner_episodes")
    echo "== $m from $tag, $n episodes"
    /usr/bin/time -f "meta-train: %e s, peak %M KB" $t4j meta-train --quiet --data "$fm/train-images-idx3-ubyte.gz" --classes 0,1,2,3,4,5 \
      --backbone "$start" --method "$m" --ways 5 --shots 5 --queries 15 --episodes "$n" --inner-steps 3 --validation-episodes 50 \
      --out "$out/$m-$tag" | grep -E "^ +[0-9]+ |^meta:"
    $t4j fewshot eval --quiet --data "$fm/t10k-images-idx3-ubyte.gz" --classes 6,7,8,9 --backbone "$out/$m-$tag" --ways 4 \
      --shots 1,5 --queries 15 --episodes 600 --method prototypes --metric euclidean | tail -2
  done
done 2>&1 | tee -a "$out/meta.txt"
