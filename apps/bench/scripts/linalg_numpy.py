#!/usr/bin/env python3
"""numpy (LAPACK) reference timings for the linalg bench: QR and thin SVD at the same sizes.

The physical-limit reference for @tenzo/linalg's README; numpy is never a project dependency.
Prints one JSON object: {"numpy": version, "blas": ..., "env": {...}, "rows": [{case, medianMs, minMs, samples}]}.
Usage: python3 apps/bench/scripts/linalg_numpy.py [--threads N]
"""
import json
import os
import statistics
import sys
import time

if "--threads" in sys.argv:
    n = sys.argv[sys.argv.index("--threads") + 1]
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = n

import numpy as np  # noqa: E402  (after the thread variables are set)

SIZES = [(512, 32), (1024, 64), (256, 256), (512, 512)]


def measure(fn, min_samples=7, min_time=0.3, warmup=3):
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_samples or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
        if len(times) >= 200:
            break
    return {"medianMs": statistics.median(times), "minMs": min(times), "samples": len(times)}


def blas_name():
    try:
        cfg = np.show_config(mode="dicts")
        return cfg.get("Build Dependencies", {}).get("blas", {}).get("name", "unknown")
    except Exception:  # older numpy without mode=
        return "unknown"


def main():
    rng = np.random.default_rng(1)
    rows = []
    for m, n in SIZES:
        a = rng.standard_normal((m, n))
        rows.append({"case": f"qr {m}x{n}", **measure(lambda: np.linalg.qr(a))})
        rows.append({"case": f"svd {m}x{n}", **measure(lambda: np.linalg.svd(a, full_matrices=False))})
    env = {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP_", "MKL_"))}
    print(json.dumps({"numpy": np.__version__, "blas": blas_name(), "cpus": os.cpu_count(), "env": env, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
