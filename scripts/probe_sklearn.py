#!/usr/bin/env python3
"""Benchmark reference (not part of the product): scikit-learn's LogisticRegression with C chosen
by stratified 5-fold cross-validation (LogisticRegressionCV, its default accuracy score), on the
very features `transfer4j bench probe-parity --dump` wrote. Features standardised on the training
rows, as transfer4j's probe does; C from 17 values logspace(-4, 4); lbfgs, up to 5,000 iterations;
once per fold seed 0..SEEDS-1, since the folds move the choice. Run with Debian's python3.
Usage: probe_sklearn.py DUMP_DIR OUT_JSON [SEEDS]  (DUMP_DIR/<backbone>/{train,test}_{x,y}.npy)"""
import json, os, sys, time, warnings
import numpy as np
from sklearn.linear_model import LogisticRegressionCV
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler

dump, out = sys.argv[1], sys.argv[2]
seeds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
results = {}
for b in sorted(os.listdir(dump)):
    d = os.path.join(dump, b)
    if not os.path.isfile(os.path.join(d, "train_x.npy")):
        continue
    x, y = np.load(f"{d}/train_x.npy").astype(np.float64), np.load(f"{d}/train_y.npy")
    tx, ty = np.load(f"{d}/test_x.npy").astype(np.float64), np.load(f"{d}/test_y.npy")
    runs = []
    for seed in range(seeds):
        t0 = time.perf_counter()
        scaler = StandardScaler().fit(x)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            clf = LogisticRegressionCV(Cs=np.logspace(-4, 4, 17), cv=StratifiedKFold(5, shuffle=True, random_state=seed),
                                       max_iter=5000, n_jobs=1).fit(scaler.transform(x), y)
        fit_s = time.perf_counter() - t0
        acc = float((clf.predict(scaler.transform(tx)) == ty).mean())
        c = float(clf.C_[0])
        runs.append({"seed": seed, "accuracy": acc, "C": c, "l2": 1.0 / (c * len(y)), "fitSeconds": fit_s,
                     "convergenceWarnings": sum(1 for w in caught if "converge" in str(w.message).lower())})
    results[b] = runs
    print(f"{b}: sklearn " + " ".join(f"{100 * r['accuracy']:.2f}%/C={r['C']:.2g}" for r in runs), file=sys.stderr)
with open(out + ".tmp", "w") as f:
    json.dump(results, f, indent=1)
os.replace(out + ".tmp", out)
