#!/usr/bin/env bash
# Benchmark (not part of the product or the tests): a bias audit on real data. IMDB reviews are
# grouped by the gendered pronouns they use (she/her/hers vs he/him/his, the group being whichever a
# review uses more; "neither" when it uses none or ties), and `transfer4j train --group-column`
# reports accuracy and true/false-positive rates per group for the scratch baseline and the
# transferred model (and the linear probe, for a fine-tuning strategy), with BIAS warnings when
# transfer widens a gap. Needs scripts/fetch-data.sh imdb. Usage: scripts/bias-imdb.sh [strategy] [backbone]
set -euo pipefail
cd "$(dirname "$0")/.."
strategy="${1:-linear-probe}"
backbone="${2:-bge-small-q}"
home="${TRANSFER4J_HOME:-$HOME/.cache/transfer4j}"
out="runs/bias"
mkdir -p "$out"
[ -f "$home/data/imdb/reviews.json" ] || { echo "error: run scripts/fetch-data.sh imdb" >&2; exit 1; }
python3 - "$home/data/imdb/reviews.json" "$out" <<'PY'
import csv, json, random, re, sys
rows = json.load(open(sys.argv[1]))
random.Random(21).shuffle(rows)
def group(t):
    w = re.findall(r"[a-z]+", t.lower())
    f = sum(x in ("she", "her", "hers", "herself") for x in w)
    m = sum(x in ("he", "him", "his", "himself") for x in w)
    return "female-pronouns" if f > m else "male-pronouns" if m > f else "neither"
for name, part in (("train", rows[:2000]), ("test", rows[2000:6000])):
    with open(f"{sys.argv[2]}/{name}.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["text", "label", "pronouns"])
        w.writerows([r["t"], "positive" if r["s"] else "negative", group(r["t"])] for r in part)
PY
${T4J:-./transfer4j} train --data "$out/train.csv" --test-data "$out/test.csv" --group-column pronouns \
  --backbone "$backbone" --strategy "$strategy" --max-length 128 --max-windows 2 --out "$out/model-$strategy" --quiet | tee "$out/$strategy.txt"
