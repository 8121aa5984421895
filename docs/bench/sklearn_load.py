#!/usr/bin/env python3
"""Times scikit-learn's load_svmlight_file on a LIBSVM file (best of N), for comparison
with Warthog's ParserBenchmark on the same file.

Usage: /usr/bin/python3 docs/bench/sklearn_load.py FILE [FILE ...] [--repeat 3]
"""
import argparse
import os
import time

import sklearn
from sklearn.datasets import load_svmlight_file


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"# scikit-learn {sklearn.__version__}")
    for f in args.files:
        size = os.path.getsize(f)
        best = float("inf")
        for _ in range(args.repeat):
            t = time.perf_counter()
            X, y = load_svmlight_file(f)
            best = min(best, time.perf_counter() - t)
        mem = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes + y.nbytes
        print(f"{f}: {size} bytes, {X.shape[0]} rows, {X.shape[1]} cols, {X.nnz} nnz, "
              f"best {best:.3f} s = {size / best / 1e6:.1f} MB/s, "
              f"{mem} bytes in memory ({mem / X.nnz:.2f} per nnz; "
              f"data {X.data.dtype}, indices {X.indices.dtype})")


if __name__ == "__main__":
    main()
