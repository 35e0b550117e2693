#!/usr/bin/env bash
# Builds a SYNTHETIC keyword-spotting dataset: N words spoken by espeak-ng voices (accent x voice
# variant) at varied rate and pitch, each placed at a random offset in a 1 s clip at 16 kHz and
# mixed with a real background recording (Sonic Pi's vinyl and ambient samples, CC0) at 20-35 dB
# below the word's peak. Split by voice VARIANT: the variants of the test set never speak in
# training, in any accent. Everything is drawn from --seed, and the settings are written to
# OUT/SETTINGS.md. Needs the Debian packages espeak-ng, sox and sonic-pi-samples.
#
# Usage: scripts/make-kws.sh OUT [--words yes,no,...] [--train-variants N] [--test-variants M]
#                               [--accents N] [--seed S]
# Result: OUT/{train,test}/<word>/<accent>+<variant>-<k>.wav, OUT/{train,test}.csv (path,label,voice),
#         OUT/noise/*.wav (other ambient recordings, never mixed into the clips, for --noise augmentation).
set -euo pipefail
out="${1:?usage: scripts/make-kws.sh OUT [--words a,b,...] [--train-variants N] [--test-variants M] [--accents N] [--seed S]}"
shift
words="yes,no,up,down,left,right,on,off,stop,go"
train_variants=14
test_variants=6
accents_n=8
seed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --words) words="$2"; shift 2 ;;
    --train-variants) train_variants="$2"; shift 2 ;;
    --test-variants) test_variants="$2"; shift 2 ;;
    --accents) accents_n="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed; install the Debian package $tool" >&2; exit 1; }
done
samples=/usr/share/sonic-pi/samples
[ -d "$samples" ] || { echo "error: $samples is missing; install the Debian package sonic-pi-samples" >&2; exit 1; }

# espeak-ng's own English voices (no MBROLA), and its voice variants in a fixed order.
all_accents=(en-us en-gb en-gb-scotland en-gb-x-rp en-gb-x-gbclan en-gb-x-gbcwmd en-029 en-us-nyc)
all_variants=(m1 f1 m2 f2 m3 f3 m4 f4 m5 f5 m6 m7 klatt klatt2 klatt3 klatt4 croak whisper Andy Annie Denis Gene Jacky Lee Linda
  Mario Michael Steph Tweaky Zac anika grandma grandpa norbert quincy rob shelby travis victor)
accents=("${all_accents[@]:0:$accents_n}")
need=$((train_variants + test_variants))
[ "$need" -le "${#all_variants[@]}" ] || { echo "error: at most ${#all_variants[@]} variants in all" >&2; exit 2; }
# Which variants go to test is drawn from the seed too.
RANDOM=$seed
# (The draws happen in this shell: a subshell would reseed RANDOM and lose the seed.)
keyed=()
for v in "${all_variants[@]}"; do printf -v key '%05d' "$RANDOM"; keyed+=("$key $v"); done
mapfile -t shuffled < <(printf '%s\n' "${keyed[@]}" | sort | cut -d' ' -f2)
train_set=("${shuffled[@]:0:$train_variants}")
test_set=("${shuffled[@]:$train_variants:$test_variants}")
mix_noise=("$samples"/vinyl_hiss.flac "$samples"/vinyl_scratch.flac "$samples"/ambi_lunar_land.flac "$samples"/ambi_dark_woosh.flac
  "$samples"/ambi_drone.flac "$samples"/ambi_haunted_hum.flac)
aug_noise=("$samples"/ambi_choir.flac "$samples"/ambi_glass_hum.flac "$samples"/ambi_sauna.flac "$samples"/ambi_soft_buzz.flac
  "$samples"/ambi_swoosh.flac)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
work="$out.tmp-$$"
rm -rf "$work"
mkdir -p "$work/noise"
# sox runs without dither (-D), which would otherwise add fresh random noise on every run.
# Background recordings as 16 kHz mono, with their durations.
declare -a mix_wav mix_len
for i in "${!mix_noise[@]}"; do
  sox -q -V1 -D "${mix_noise[$i]}" -r 16000 -c 1 -b 16 "$tmp/noise$i.wav"
  mix_wav[$i]="$tmp/noise$i.wav"
  mix_len[$i]="$(soxi -D "$tmp/noise$i.wav")"
done
for f in "${aug_noise[@]}"; do
  sox -q -V1 -D "$f" -r 16000 -c 1 -b 16 "$work/noise/$(basename "${f%.flac}").wav"
done

make_split() { # split variants...
  local split="$1"; shift
  local csv="$work/$split.csv" n=0
  echo "path,label,voice" > "$csv"
  IFS=',' read -r -a ws <<< "$words"
  for variant in "$@"; do
    for accent in "${accents[@]}"; do
      for w in "${ws[@]}"; do
        local rate=$((130 + RANDOM % 71)) pitch=$((25 + RANDOM % 51)) k=$((RANDOM % ${#mix_wav[@]}))
        local atten=$((20 + RANDOM % 16)) dir="$work/$split/$w" name="$accent+$variant"
        mkdir -p "$dir"
        espeak-ng -v "$accent+$variant" -s "$rate" -p "$pitch" -w "$tmp/word.wav" "$w"
        # The word at 16 kHz, peak at -3 dB, silence trimmed, at most 0.95 s.
        sox -q -V1 -D "$tmp/word.wav" -r 16000 -c 1 -b 16 "$tmp/w16.wav" silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse \
          trim 0 0.95 gain -n -3
        local len room pad
        len="$(soxi -s "$tmp/w16.wav")"
        room=$((16000 - len))
        pad=$((room > 0 ? RANDOM % (room + 1) : 0))
        sox -q -V1 -D "$tmp/w16.wav" "$tmp/placed.wav" pad "${pad}s" "$((room - pad > 0 ? room - pad : 0))s" trim 0 16000s
        # One second of background from a random offset, its peak $atten dB below the word's.
        local off r=$RANDOM
        off="$(awk -v L="${mix_len[$k]}" -v r="$r" 'BEGIN { m = L - 1.0; if (m < 0) m = 0; printf "%.3f", m * r / 32767 }')"
        sox -q -V1 -D "${mix_wav[$k]}" "$tmp/bg.wav" trim "$off" 1.0 pad 0 1.0 trim 0 16000s gain -n "-$((3 + atten))"
        sox -q -V1 -D -m "$tmp/placed.wav" "$tmp/bg.wav" "$dir/$name-$n.wav"
        echo "$split/$w/$name-$n.wav,$w,$name" >> "$csv"
        n=$((n + 1))
      done
    done
  done
}
make_split train "${train_set[@]}"
make_split test "${test_set[@]}"
cat > "$work/SETTINGS.md" <<EOF
# Synthetic keyword-spotting data (scripts/make-kws.sh)

Spoken by espeak-ng $(espeak-ng --version | head -1 | awk "{print \$4}") voices; NOT recordings of people.
- words: $words
- accents: ${accents[*]}
- train voice variants (${#train_set[@]}): ${train_set[*]}
- test voice variants (${#test_set[@]}), never heard in training: ${test_set[*]}
- each (variant, accent, word) once: rate 130-200 words/min, pitch 25-75, drawn with seed $seed
- clip: 1.0 s at 16 kHz, the word (silence trimmed, peak -3 dB, at most 0.95 s) at a random offset
- background: one of $(for f in "${mix_noise[@]}"; do printf '%s ' "$(basename "$f")"; done)(Sonic Pi samples, Debian
  sonic-pi-samples, CC0) from a random offset, its peak 20-35 dB below the word's
- noise/: other Sonic Pi ambient recordings ($(for f in "${aug_noise[@]}"; do printf '%s ' "$(basename "$f")"; done)) for
  training-time --noise augmentation; never mixed into these clips
EOF
rm -rf "$out"
mv "$work" "$out"
echo "keyword spotting: $(($(wc -l < "$out/train.csv") - 1)) train and $(($(wc -l < "$out/test.csv") - 1)) test clips in $out"
