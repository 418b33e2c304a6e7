"""NumPy peer of the wasm core: one USA force evaluation written the vectorised way
(docs/model.md "Dynamics", kappa = exp(beta u)/beta, W = 1, no gauges):
    G = X @ X.T;  E = exp(beta * G);  F = E @ X / n;  V = F - <F, x_i> x_i,
or one projected Heun step (docs/model.md "Integrator") made of two of them:
    Xt = normalize(X + h V(X));  X' = normalize(X + (h/2)(V(X) + V(Xt))).
It holds n x n matrices, so bench/run.mjs only runs it where they fit in memory.
Usage: python3 numpy_peer.py n d reps [evaluate|heun]
  -> one JSON line: the best seconds per evaluation (default) or per Heun step.
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


def normalize(Y):
    return Y / np.linalg.norm(Y, axis=1, keepdims=True)


def heun(X, beta, h):
    k1 = velocity(X, beta)
    k2 = velocity(normalize(X + h * k1), beta)
    return normalize(X + (h / 2) * (k1 + k2))


def main():
    n, d, reps = (int(a) for a in sys.argv[1:4])
    mode = sys.argv[4] if len(sys.argv) > 4 else "evaluate"
    if mode not in ("evaluate", "heun"):
        raise SystemExit(f"mode: got {mode!r}; allowed: evaluate, heun")
    rng = np.random.default_rng(1)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        V = velocity(X, 1.0) if mode == "evaluate" else heun(X, 1.0, 1e-4)
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({"n": n, "d": d, "mode": mode, "seconds": best, "checksum": float(np.abs(V).sum()), "numpy": np.__version__}))


if __name__ == "__main__":
    main()
