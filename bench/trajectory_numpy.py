"""Optional check that NumPy reads the trajectory files of `mft simulate --trajectory` (not part of npm test).

usage: python3 bench/trajectory_numpy.py RUN.npy [RUN.f64]

Loads RUN.npy with np.load (and RUN.times.npy), reads RUN.f64 by the raw layout of docs/outputs.md with
np.fromfile, and checks shapes, dtypes, unit norms and, when both are given for the same run and
stride, that they hold the same values. Exits 1 on a mismatch.
"""
import sys

import numpy as np


def read_f64(path):
    header = np.fromfile(path, dtype="<u4", count=7, offset=8)
    version, header_bytes, frames, n, d = (int(v) for v in header[:5])
    assert version == 1, f"version {version}"
    x = np.fromfile(path, dtype="<f8", count=frames * n * d, offset=header_bytes).reshape(frames, n, d)
    t = np.fromfile(path, dtype="<f8", count=frames, offset=header_bytes + 8 * frames * n * d)
    return x, t


def main(argv):
    npy = argv[1]
    x = np.load(npy)
    t = np.load(npy[: -len(".npy")] + ".times.npy")
    print(f"{npy}: shape {x.shape}, dtype {x.dtype}, C order {x.flags['C_CONTIGUOUS']}, times {t[0]} .. {t[-1]} ({t.size})")
    ok = x.dtype == np.dtype("<f8") and x.ndim == 3 and t.shape == (x.shape[0],)
    drift = np.abs(np.linalg.norm(x, axis=2) - 1).max()
    print(f"  max | |x_i| - 1 | = {drift:.2e}")
    ok = ok and drift < 1e-9
    if len(argv) > 2:
        y, s = read_f64(argv[2])
        same = y.shape == x.shape and np.array_equal(y, x) and np.array_equal(s, t)
        print(f"{argv[2]}: shape {y.shape}; equal to the NPY file: {same}")
        ok = ok and same
    print("ok" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
