"""NumPy peer of the wasm core: one USA force evaluation written the vectorised way
(docs/model.md "Dynamics", kappa = exp(beta u)/beta, W = 1, no gauges):
    G = X @ X.T;  E = exp(beta * G);  F = E @ X / n;  V = F - <F, x_i> x_i.
It holds n x n matrices, so bench/run.mjs only runs it where they fit in memory.
Usage: python3 numpy_peer.py n d reps   -> one JSON line (best seconds per evaluation).
"""
import json
import sys
import time

import numpy as np


def velocity(X, beta):
    n = X.shape[0]
    G = X @ X.T
    E = np.exp(beta * G)
    F = E @ X / n
    return F - np.sum(F * X, axis=1, keepdims=True) * X


def main():
    n, d, reps = (int(a) for a in sys.argv[1:4])
    rng = np.random.default_rng(1)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        V = velocity(X, 1.0)
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({"n": n, "d": d, "seconds": best, "checksum": float(np.abs(V).sum()), "numpy": np.__version__}))


if __name__ == "__main__":
    main()
