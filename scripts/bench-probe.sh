#!/usr/bin/env bash
# Benchmark (not part of the tests): linear-probe parity with scikit-learn. On the same frozen
# features (disjoint 2,000 train / 2,000 test texts of IMDB and of two State of the Union tasks,
# scripts/make-text-tasks.py), each catalogue text backbone's probe is fitted by
#   before  a jar built from BASE (default 1beb4cf: Adam through the training loop, L2 from
#           {1e-3..1} chosen on a 15% validation split),
#   after   this tree (L-BFGS to the optimum, L2 from 15 half-decades chosen by 5-fold CV), and
#   sklearn LogisticRegressionCV (lbfgs, C from logspace(-4, 4, 17), 5-fold CV; Debian's python3),
# all in this run; prints test accuracy, the gap to scikit-learn and each fit's time.
# Needs scripts/fetch-data.sh imdb sotu and Debian's python3-sklearn (apt-get install python3-sklearn).
# Env: BASE, OUT (/tmp/bench-probe), TASKS ("imdb party era"), BACKBONES, MAX_LENGTH (128).
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
if [ ! -f "$out/before.jar" ]; then
  rm -rf "$out/worktree"
  git worktree add -f --detach "$out/worktree" "$base" >/dev/null
  (cd "$out/worktree" && mvn -B -o -q -Dmaven.test.skip=true package)
  cp "$out/worktree/target/transfer4j.jar" "$out/before.jar"
  mkdir -p "$out/lib" && cp "$out/worktree/target/lib/"* "$out/lib/"
  git worktree remove --force "$out/worktree"
fi
# parity COMMAND OPTION...: COMMAND (word-split: "java -jar X") bench probe-parity ... OPTION...
parity() { local cmd="$1"; shift; $cmd bench probe-parity -q --backbones "$backbones" --max-length "${MAX_LENGTH:-128}" -d "$out/$t-train.csv" --test-data "$out/$t-test.csv" "$@"; }
for t in $tasks; do
  # the after pass first: it fills the embedding cache and dumps the features both others read
  parity ./transfer4j --dump "$out/dump-$t" --json "$out/after-$t.json" > "$out/after-$t.txt"
  TORCH_CPP_LOG_LEVEL=ERROR parity "java -Xmx4g -jar $out/before.jar" --json "$out/before-$t.json" > "$out/before-$t.txt"
  "$py" scripts/probe_sklearn.py "$out/dump-$t" "$out/sklearn-$t.json" 2> "$out/sklearn-$t.txt"
done
python3 - "$out" $tasks <<'PY'
import json, statistics, sys
out, tasks = sys.argv[1], sys.argv[2:]
print("| task | backbone | before % | after % | scikit-learn % | after - sklearn | before - sklearn | fit s before / after / sklearn | L2 after (sklearn) |")
print("|---|---|---|---|---|---|---|---|---|")
gaps, old_gaps, ratios = [], [], []
for t in tasks:
    a = {r["backbone"]: r for r in json.load(open(f"{out}/after-{t}.json"))}
    b = {r["backbone"]: r for r in json.load(open(f"{out}/before-{t}.json"))}
    s = json.load(open(f"{out}/sklearn-{t}.json"))
    for k, x in a.items():
        y, z = b[k], s[k]
        gap, old = 100 * (x["accuracy"] - z["accuracy"]), 100 * (y["accuracy"] - z["accuracy"])
        gaps.append(gap); old_gaps.append(old); ratios.append(x["fitMillis"] / 1000 / z["fitSeconds"])
        print(f"| {t} | {k} | {100*y['accuracy']:.2f} | {100*x['accuracy']:.2f} | {100*z['accuracy']:.2f} | {gap:+.2f} | {old:+.2f} | "
              f"{y['fitMillis']/1000:.1f} / {x['fitMillis']/1000:.1f} / {z['fitSeconds']:.1f} | {x['l2']:.2g} ({z['l2']:.2g}) |")
print(f"\n{len(gaps)} probes: |after - sklearn| mean {statistics.mean(map(abs, gaps)):.2f}, max {max(map(abs, gaps)):.2f} points; "
      f"|before - sklearn| mean {statistics.mean(map(abs, old_gaps)):.2f}, max {max(map(abs, old_gaps)):.2f}; "
      f"within 0.3 points: {sum(abs(g) <= 0.3 for g in gaps)} of {len(gaps)}; fit time after / sklearn median {statistics.median(ratios):.2f}x")
PY
