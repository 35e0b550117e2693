#!/usr/bin/env bash
# Benchmark (not part of the product or the tests): do the transferability scores rank candidates
# the way their real accuracy does? For each target dataset, `transfer4j rank --layers 6 --test-data`
# scores 3 backbones x 6 layers (18 candidates) and trains a linear probe on each one's features;
# the weighted Kendall tau between each score and the probe's test accuracy is collected here.
# Datasets (disjoint 2,000 train / 2,000 test texts each, fixed draw):
#   imdb   movie-review sentiment (2 classes)
#   spam   SpamAssassin e-mails, subject + plain-text body, spam vs ham (2 classes)
#   party  State of the Union passages 1913-2021, Democratic vs Republican president (2 classes);
#          train = speeches of even years, test = odd years, so no speech is on both sides
#   era    State of the Union passages, 1790-1860 / 1861-1932 / 1933-1980 / 1981-2021 (4 classes), same split
# Needs scripts/fetch-data.sh imdb spam sotu. Usage: scripts/validate-scores.sh [max-length]
set -euo pipefail
cd "$(dirname "$0")/.."
len="${1:-128}"
home="${TRANSFER4J_HOME:-$HOME/.cache/transfer4j}"
out="runs/scores"
mkdir -p "$out"
for d in imdb/reviews.json spam/spam-1 sotu/1790_george_washington_n.json; do
  [ -e "$home/data/$d" ] || { echo "error: $home/data/$d missing; run scripts/fetch-data.sh imdb spam sotu" >&2; exit 1; }
done
python3 - "$home/data" "$out" <<'PY'
import csv, email, glob, html, json, os, random, re, sys
src, out = sys.argv[1], sys.argv[2]
def write(name, rows):
    with open(f"{out}/{name}.csv", "w", newline="") as f:
        w = csv.writer(f); w.writerow(["text", "label"]); w.writerows(rows)
def draw(rows, n, seed):
    rows = list(rows); random.Random(seed).shuffle(rows); return rows[:n]
# imdb
rows = json.load(open(f"{src}/imdb/reviews.json"))
random.Random(11).shuffle(rows)
lab = lambda r: "positive" if r["s"] else "negative"
write("imdb-train", [(r["t"], lab(r)) for r in rows[:2000]])
write("imdb-test", [(r["t"], lab(r)) for r in rows[2000:4000]])
# spam
def body(raw):
    m = email.message_from_string(raw)
    parts, html_parts = [], []
    for p in m.walk():
        if p.get_content_maintype() != "text": continue
        payload = p.get_payload(decode=True)
        if payload is None: continue
        try:
            t = payload.decode(p.get_content_charset() or "latin-1", errors="replace")
        except LookupError:  # a charset name Python does not know: read the bytes as Latin-1
            t = payload.decode("latin-1")
        (parts if p.get_content_subtype() == "plain" else html_parts).append(t)
    text = "\n".join(parts) or re.sub(r"<[^>]+>", " ", html.unescape("\n".join(html_parts)))
    return re.sub(r"\s+", " ", (m.get("Subject") or "") + "\n" + text).strip()[:2000]
mails = []
for f in sorted(glob.glob(f"{src}/spam/*/*.json")):
    r = json.load(open(f))
    mails.append((body(r["text"]), "spam" if r["group"].startswith("spam") else "ham"))
mails = [m for m in mails if len(m[0]) > 20]
mails = draw(mails, 4000, 12)
write("spam-train", mails[:2000]); write("spam-test", mails[2000:])
# State of the Union passages of about 100 words
def passages(text):
    sents, cur, out = re.split(r"(?<=[.!?])\s+", text), [], []
    for s in sents:
        cur.append(s)
        if sum(len(x.split()) for x in cur) >= 100:
            out.append(" ".join(cur)); cur = []
    return out
def era(y):
    return "1790-1860" if y <= 1860 else "1861-1932" if y <= 1932 else "1933-1980" if y <= 1980 else "1981-2021"
party, eras = {0: [], 1: []}, {0: [], 1: []}
for f in sorted(glob.glob(f"{src}/sotu/*.json")):
    r = json.load(open(f))
    side = r["year"] % 2
    for p in passages(r["text"]):
        eras[side].append((p, era(r["year"])))
        if r["year"] >= 1913 and r["party"] in ("Democratic", "Republican"):
            party[side].append((p, r["party"]))
write("party-train", draw(party[0], 2000, 13)); write("party-test", draw(party[1], 2000, 14))
write("era-train", draw(eras[0], 2000, 15)); write("era-test", draw(eras[1], 2000, 16))
PY
for ds in imdb spam party era; do
  if [ ! -f "$out/rank-$ds.json" ]; then
    ${T4J:-./transfer4j} rank --data "$out/$ds-train.csv" --test-data "$out/$ds-test.csv" --backbones minilm-q,bge-small-q,e5-small-q \
      --layers 6 --max-length "$len" --json "$out/rank-$ds.json.tmp" --quiet | tee "$out/rank-$ds.txt"
    mv "$out/rank-$ds.json.tmp" "$out/rank-$ds.json"
  fi
done
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
taus = {}
print(f"{'dataset':8} {'candidates':>10} {'best probe acc':>22} {'LogME':>7} {'H-score':>8} {'10-NN':>7}")
for ds in ("imdb", "spam", "party", "era"):
    r = json.load(open(f"{out}/rank-{ds}.json"))
    best = max(r["candidates"], key=lambda c: c["probeAccuracy"])
    t = r["weightedTau"]
    for k, v in t.items(): taus.setdefault(k, []).append(v)
    print(f"{ds:8} {len(r['candidates']):>10} {best['backbone'] + ' ' + format(best['probeAccuracy'], '.3f'):>22} "
          f"{t['LogME']:>7.3f} {t['shrinkage H-score']:>8.3f} {t['10-NN accuracy']:>7.3f}")
print(f"{'mean':8} {'':>10} {'':>22} " + " ".join(f"{sum(v)/len(v):>{w}.3f}" for v, w in zip(taus.values(), (7, 8, 7))))
PY
