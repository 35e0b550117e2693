#!/usr/bin/env bash
# For the before/after benchmarks: builds transfer4j at commit BASE in a temporary worktree and
# leaves OUT/before.jar with its dependencies in OUT/lib (the jar's manifest reads lib/ beside it);
# does nothing when OUT/before.jar exists. Usage: scripts/base-jar.sh BASE OUT
set -euo pipefail
cd "$(dirname "$0")/.."
base="$1"; out="$2"
[ -f "$out/before.jar" ] && exit 0
mkdir -p "$out"
rm -rf "$out/worktree"
git worktree add -f --detach "$out/worktree" "$base" >/dev/null
(cd "$out/worktree" && mvn -B -o -q -Dmaven.test.skip=true package)
cp "$out/worktree/target/transfer4j.jar" "$out/before.jar"
mkdir -p "$out/lib" && cp "$out/worktree/target/lib/"* "$out/lib/"
git worktree remove --force "$out/worktree"
