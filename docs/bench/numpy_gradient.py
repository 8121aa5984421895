#!/usr/bin/env python3
"""NumPy's logistic full gradient on the shape of FullGradientBenchmark's dense case.

    g = X^T (-y * sigmoid(-y * Xw)) / n + l2 w,   F = mean(log(1 + exp(-y * Xw))) + l2/2 ||w||^2

X is 500,000 x 256 doubles (1.02 GB, C order), filled like the JMH setup (uniform in [-1, 1),
labels +-1). Two BLAS-2 calls (X @ w, X.T @ r) read X twice; that is NumPy's natural form
(there is no fused one-pass gradient). Threads: set OPENBLAS_NUM_THREADS=1 or 2 to compare
with the JMH threads=1 / threads=2 rows.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 docs/bench/numpy_gradient.py
    OPENBLAS_NUM_THREADS=2 /usr/bin/python3 docs/bench/numpy_gradient.py --rows 500000 --cols 256 --reps 20
"""
import argparse
import time

import numpy as np


def gradient(X, y, w, l2):
    z = y * (X @ w)
    # log(1 + exp(-z)) and its derivative, stable for any z
    loss = np.logaddexp(0.0, -z)
    r = -y / (1.0 + np.exp(z))
    g = X.T @ r
    n = X.shape[0]
    g /= n
    g += l2 * w
    return loss.mean() + 0.5 * l2 * (w @ w), g


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=500_000)
    ap.add_argument("--cols", type=int, default=256)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--l2", type=float, default=1e-4)
    a = ap.parse_args()
    rng = np.random.default_rng(1)
    X = rng.uniform(-1.0, 1.0, size=(a.rows, a.cols))
    y = np.where(rng.random(a.rows) < 0.5, -1.0, 1.0)
    w = rng.uniform(-0.1, 0.1, size=a.cols)
    gradient(X, y, w, a.l2)  # warm-up
    times = []
    for _ in range(a.reps):
        t0 = time.perf_counter()
        gradient(X, y, w, a.l2)
        times.append(time.perf_counter() - t0)
    times.sort()
    gb = X.nbytes / 1e9
    print(f"numpy {np.__version__}: {a.rows}x{a.cols} ({gb:.2f} GB): "
          f"median {1e3 * times[len(times) // 2]:.1f} ms, best {1e3 * times[0]:.1f} ms per full gradient")


if __name__ == "__main__":
    main()
