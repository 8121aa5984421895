#!/usr/bin/env python3
"""scikit-learn's SAGA on a LIBSVM file, for the side-by-side in docs/benchmarks.md.

Objective (as Warthog's): F(w) = (1/n) sum log(1 + exp(-y x.w)) + (lam/2) ||w||^2, no
intercept, i.e. LogisticRegression(C = 1 / (n lam)). sklearn cannot report a trace, so every
point is a separate fit from w = 0 with max_iter = k epochs and tol = 0, timed on its own.
F* is given (Warthog's L-BFGS: `bin/warthog compare` prints it).

usage: /usr/bin/python3 sklearn_saga.py FILE LAMBDA FSTAR [MAX_EPOCHS]
"""
import sys
import time
import warnings

import numpy as np
from sklearn.datasets import load_svmlight_file
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression


def objective(X, y, w, lam):
    m = y * (X @ w)
    return np.mean(np.logaddexp(0.0, -m)) + 0.5 * lam * w.dot(w)


def main():
    path, lam, fstar = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    max_epochs = int(sys.argv[4]) if len(sys.argv) > 4 else 30
    X, y = load_svmlight_file(path)
    n = X.shape[0]
    warnings.simplefilter("ignore", ConvergenceWarning)
    print(f"{path}: {n} rows, {X.shape[1]} features, {X.nnz} non-zeros; lambda {lam}, F* {fstar!r}")
    print("epochs,seconds,objective,rel_subopt")
    reached = {}
    for k in range(1, max_epochs + 1):
        clf = LogisticRegression(solver="saga", C=1.0 / (n * lam), fit_intercept=False, tol=0.0, max_iter=k)
        t0 = time.perf_counter()
        clf.fit(X, y)
        secs = time.perf_counter() - t0
        f = objective(X, y, clf.coef_.ravel(), lam)
        sub = (f - fstar) / fstar
        print(f"{k},{secs:.4f},{f!r},{sub:.3e}", flush=True)
        for t in (1e-3, 1e-6, 1e-9):
            if sub <= t and t not in reached:
                reached[t] = secs
        if sub <= 1e-9:
            break
    for t in (1e-3, 1e-6, 1e-9):
        print(f"time to {t:g}: " + (f"{reached[t]:.3f} s" if t in reached else "not reached"))


if __name__ == "__main__":
    main()
