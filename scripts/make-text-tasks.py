#!/usr/bin/env python3
"""Benchmark data (not part of the product): the four text tasks the score and probe benchmarks
share, as disjoint 2,000 train / 2,000 test CSVs (text,label) with a fixed draw.
  imdb   movie-review sentiment (2 classes)
  spam   SpamAssassin e-mails, subject + plain-text body, spam vs ham (2 classes)
  party  State of the Union passages 1913-2021, Democratic vs Republican president (2 classes);
         train = speeches of even years, test = odd years, so no speech is on both sides
  era    State of the Union passages, 1790-1860 / 1861-1932 / 1933-1980 / 1981-2021 (4 classes), same split
Usage: make-text-tasks.py DATA_DIR OUT_DIR [task...] (default: all four; DATA_DIR from scripts/fetch-data.sh)."""
import csv, email, glob, html, json, os, random, re, sys
src, out = sys.argv[1], sys.argv[2]
tasks = set(sys.argv[3:]) or {"imdb", "spam", "party", "era"}
os.makedirs(out, exist_ok=True)
def write(name, rows):
    with open(f"{out}/{name}.csv", "w", newline="") as f:
        w = csv.writer(f); w.writerow(["text", "label"]); w.writerows(rows)
def draw(rows, n, seed):
    rows = list(rows); random.Random(seed).shuffle(rows); return rows[:n]
def imdb():
    rows = json.load(open(f"{src}/imdb/reviews.json"))
    random.Random(11).shuffle(rows)
    lab = lambda r: "positive" if r["s"] else "negative"
    write("imdb-train", [(r["t"], lab(r)) for r in rows[:2000]])
    write("imdb-test", [(r["t"], lab(r)) for r in rows[2000:4000]])
if "imdb" in tasks:
    imdb()
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
def spam():
    mails = []
    for f in sorted(glob.glob(f"{src}/spam/*/*.json")):
        r = json.load(open(f))
        mails.append((body(r["text"]), "spam" if r["group"].startswith("spam") else "ham"))
    mails = [m for m in mails if len(m[0]) > 20]
    mails = draw(mails, 4000, 12)
    write("spam-train", mails[:2000]); write("spam-test", mails[2000:])
if "spam" in tasks:
    spam()
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
def sotu():
    party, eras = {0: [], 1: []}, {0: [], 1: []}
    for f in sorted(glob.glob(f"{src}/sotu/*.json")):
        r = json.load(open(f))
        side = r["year"] % 2
        for p in passages(r["text"]):
            eras[side].append((p, era(r["year"])))
            if r["year"] >= 1913 and r["party"] in ("Democratic", "Republican"):
                party[side].append((p, r["party"]))
    if "party" in tasks:
        write("party-train", draw(party[0], 2000, 13)); write("party-test", draw(party[1], 2000, 14))
    if "era" in tasks:
        write("era-train", draw(eras[0], 2000, 15)); write("era-test", draw(eras[1], 2000, 16))
if tasks & {"party", "era"}:
    sotu()
