#!/usr/bin/env bash
# A small task on REAL recordings: Sonic Pi's samples (Debian sonic-pi-samples, freesound.org, CC0 as
# its README states), classified into their instrument family by file-name prefix (ambi, bass, bd,
# drum, elec, glitch, loop, mehackit, perc, tabla: the families with at least 8 samples), in
# stratified folds for cross-validation. The files are not copied: the CSVs list them where Debian
# installed them.
# Usage: scripts/make-sonicpi.sh OUT [--folds K] [--seed S]
# Result: OUT/all.csv (path,label) and OUT/fold-<k>/{train,test}.csv for k = 1..K
set -euo pipefail
out="${1:?usage: scripts/make-sonicpi.sh OUT [--folds K] [--seed S]}"
shift
folds=5
seed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --folds) folds="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done
samples=/usr/share/sonic-pi/samples
[ -d "$samples" ] || { echo "error: $samples is missing; install the Debian package sonic-pi-samples" >&2; exit 1; }
work="$out.tmp-$$"
rm -rf "$work"
mkdir -p "$work"
echo "path,label" > "$work/all.csv"
for k in $(seq 1 "$folds"); do
  mkdir -p "$work/fold-$k"
  echo "path,label" > "$work/fold-$k/train.csv"
  echo "path,label" > "$work/fold-$k/test.csv"
done
RANDOM=$seed
for family in ambi bass bd drum elec glitch loop mehackit perc tabla; do
  # shuffled with the seed in this shell (a subshell would reseed RANDOM), then dealt round-robin into folds
  keyed=()
  for f in "$samples/${family}"_*.flac; do printf -v key '%05d' "$RANDOM"; keyed+=("$key $f"); done
  [ "${#keyed[@]}" -ge "$folds" ] || { echo "error: family $family has fewer than $folds samples" >&2; exit 1; }
  i=0
  while read -r _ f; do
    echo "$f,$family" >> "$work/all.csv"
    fold=$((i % folds + 1))
    for k in $(seq 1 "$folds"); do
      if [ "$k" -eq "$fold" ]; then echo "$f,$family" >> "$work/fold-$k/test.csv"; else echo "$f,$family" >> "$work/fold-$k/train.csv"; fi
    done
    i=$((i + 1))
  done < <(printf '%s\n' "${keyed[@]}" | sort)
done
rm -rf "$out"
mv "$work" "$out"
echo "sonic pi families: $(($(wc -l < "$out/all.csv") - 1)) recordings in 10 families, $folds folds in $out"
