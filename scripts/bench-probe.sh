#!/usr/bin/env bash
# Benchmark (not part of the tests): linear-probe parity with scikit-learn. On the same frozen
# features (disjoint 2,000 train / 2,000 test texts of IMDB and of State of the Union tasks,
# scripts/make-text-tasks.py), each catalogue text backbone's probe is fitted by
#   before  a jar built from BASE (default 1beb4cf: Adam through the training loop, L2 from
#           {1e-3..1} chosen on a 15% validation split),
#   after   this tree (L-BFGS to the optimum, L2 from 15 half-decades chosen by 5-fold CV), and
#   sklearn LogisticRegressionCV (lbfgs, C from logspace(-4, 4, 17), 5-fold CV; Debian's python3),
# each with SEEDS (5) seeds (the split of the folds; before: of the validation split), all in this
# run; prints the mean test accuracy over the seeds, its range, the gap to scikit-learn's mean and
# the median fit time.
# Needs scripts/fetch-data.sh imdb sotu and Debian's python3-sklearn (apt-get install python3-sklearn).
# Env: BASE, OUT (/tmp/bench-probe), TASKS ("imdb party era"), BACKBONES, MAX_LENGTH (128), SEEDS (5).
set -euo pipefail
cd "$(dirname "$0")/.."
home="${TRANSFER4J_HOME:-$HOME/.cache/transfer4j}"
out="${OUT:-/tmp/bench-probe}"
base="${BASE:-1beb4cf}"
tasks="${TASKS:-imdb party era}"
backbones="${BACKBONES:-minilm,minilm-q,bge-small,bge-small-q,e5-small,e5-small-q}"
py=/usr/bin/python3
"$py" -c "import sklearn" 2>/dev/null || { echo "error: Debian's python3-sklearn is missing; run apt-get install -y python3-sklearn" >&2; exit 1; }
mkdir -p "$out"
scripts/fetch-data.sh imdb sotu
# shellcheck disable=SC2086
python3 scripts/make-text-tasks.py "$home/data" "$out" $tasks
scripts/base-jar.sh "$base" "$out"
# parity COMMAND OPTION...: COMMAND (word-split: "java -jar X") bench probe-parity ... OPTION...
parity() { local cmd="$1"; shift; $cmd bench probe-parity -q --backbones "$backbones" --max-length "${MAX_LENGTH:-128}" -d "$out/$t-train.csv" --test-data "$out/$t-test.csv" "$@"; }
seeds="${SEEDS:-5}"
for t in $tasks; do
  # the after pass first: it fills the embedding cache and dumps the features both others read
  parity ./transfer4j --seed 1 --dump "$out/dump-$t" --json "$out/after-$t-1.json" > "$out/after-$t-1.txt"
  for s in $(seq 2 "$seeds"); do parity ./transfer4j --seed "$s" --json "$out/after-$t-$s.json" > "$out/after-$t-$s.txt"; done
  for s in $(seq 1 "$seeds"); do
    TORCH_CPP_LOG_LEVEL=ERROR parity "java -Xmx4g -jar $out/before.jar" --seed "$s" --json "$out/before-$t-$s.json" > "$out/before-$t-$s.txt"
  done
  "$py" scripts/probe_sklearn.py "$out/dump-$t" "$out/sklearn-$t.json" "$seeds" 2> "$out/sklearn-$t.txt"
done
python3 - "$out" "$seeds" $tasks <<'PY'
import json, statistics, sys
out, seeds, tasks = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def runs(kind, t):
    by = {}
    for s in range(1, seeds + 1):
        for r in json.load(open(f"{out}/{kind}-{t}-{s}.json")):
            by.setdefault(r["backbone"], []).append(r)
    return by
def span(v):
    return f"{100 * statistics.mean(v):.2f} ({100 * min(v):.1f}-{100 * max(v):.1f})"
print(f"mean test accuracy over {seeds} seeds (range); fit time median of the seeds\n")
print("| task | backbone | before % | after % | scikit-learn % | after - sklearn | before - sklearn | fit s before / after / sklearn |")
print("|---|---|---|---|---|---|---|---|")
gaps, old_gaps, ratios = [], [], []
for t in tasks:
    a, b, s = runs("after", t), runs("before", t), json.load(open(f"{out}/sklearn-{t}.json"))
    for k in a:
        av, bv, sv = ([r["accuracy"] for r in x] for x in (a[k], b[k], s[k]))
        gap, old = 100 * (statistics.mean(av) - statistics.mean(sv)), 100 * (statistics.mean(bv) - statistics.mean(sv))
        fa, fb = statistics.median(r["fitMillis"] / 1000 for r in a[k]), statistics.median(r["fitMillis"] / 1000 for r in b[k])
        fs = statistics.median(r["fitSeconds"] for r in s[k])
        gaps.append(gap); old_gaps.append(old); ratios.append(fa / fs)
        print(f"| {t} | {k} | {span(bv)} | {span(av)} | {span(sv)} | {gap:+.2f} | {old:+.2f} | {fb:.1f} / {fa:.1f} / {fs:.1f} |")
print(f"\n{len(gaps)} probes: after - sklearn mean {statistics.mean(gaps):+.2f}, worst {min(gaps):+.2f} points, "
      f"at or above sklearn - 0.3: {sum(g >= -0.3 for g in gaps)} of {len(gaps)}; before - sklearn mean {statistics.mean(old_gaps):+.2f}, "
      f"worst {min(old_gaps):+.2f}; fit time after / sklearn median {statistics.median(ratios):.2f}x")
PY
