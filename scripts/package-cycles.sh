#!/usr/bin/env bash
# Package dependencies of the built classes by the JDK's own jdeps, and every cycle among
# transfer4j's packages (strongly connected components). Exit 1 when there is a cycle.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d target/classes ] || mvn -B -q -Dmaven.test.skip=true package
jdeps -verbose:package -filter:none target/classes 2>/dev/null \
  | awk '$1 ~ /^io\.transfer4j/ && $3 ~ /^io\.transfer4j/ && $1 != $3 {print $1, $3}' | sort -u > target/package-deps.txt
python3 - target/package-deps.txt <<'PY'
import collections, sys
edges = collections.defaultdict(set)
for line in open(sys.argv[1]):
    a, b = line.split()
    edges[a].add(b)
short = lambda p: p.replace("io.transfer4j.", "").replace("io.transfer4j", "(root)")
for a in sorted(edges):
    print(f"{short(a):12} -> {', '.join(short(b) for b in sorted(edges[a]))}")
index, low, stack, on, comps, n = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1: comps.append(sorted(comp))
for v in list(edges):
    if v not in index: visit(v)
pairs = [(a, b) for a in edges for b in edges[a] if a in edges.get(b, ()) and a < b]
for a, b in sorted(pairs):
    print(f"cycle: {short(a)} <-> {short(b)}")
for c in comps:
    print("cycle among: " + ", ".join(short(p) for p in c))
print("no package cycles" if not comps else f"{len(comps)} group(s) of packages in cycles")
sys.exit(1 if comps else 0)
PY
