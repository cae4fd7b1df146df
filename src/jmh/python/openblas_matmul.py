"""OpenBLAS's single-precision matmul (sgemm) through NumPy, to run beside JMH's MatmulBenchmarks in one session.

The same products as MatmulBenchmarks.blocked (n x n times n x n, float32, row-major, C overwritten). NumPy's
matmul on float32 calls the BLAS it is linked with; Debian's python3-numpy links the BLAS chosen by
update-alternatives, which with libopenblas0-pthread installed is OpenBLAS with its DYNAMIC_ARCH kernels for the CPU
it finds (override with OPENBLAS_CORETYPE). Threads: OPENBLAS_NUM_THREADS (2 to compare with threads=2).

    OPENBLAS_NUM_THREADS=2 /usr/bin/python3 src/jmh/python/openblas_matmul.py

Prints, per n, the median and best of the runs in ms and GFLOP/s (2 n^3 flops per product), and which BLAS NumPy
uses, so the figure names its kernel.
"""
import argparse
import time

import numpy as np


def blas_name():
    """The BLAS library NumPy loaded, and OpenBLAS's own description of its build and kernel when it is OpenBLAS."""
    import ctypes
    np.matmul(np.ones((64, 64), np.float32), np.ones((64, 64), np.float32))
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line})
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return f"{path}: {lib.openblas_get_config().decode()}, kernel {lib.openblas_get_corename().decode()}"
        except (OSError, AttributeError):
            continue
    return ", ".join(paths) or "unknown"


def measure(n, seconds):
    rng = np.random.default_rng(1)
    a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    c = np.empty((n, n), dtype=np.float32)
    end = time.perf_counter() + seconds  # warm-up, as JMH's
    while time.perf_counter() < end:
        np.matmul(a, b, out=c)
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 5:
        start = time.perf_counter()
        np.matmul(a, b, out=c)
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2], times[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="256,512,1024,2048")
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    print(f"numpy {np.__version__}, BLAS: {blas_name()}")
    for n in (int(s) for s in args.sizes.split(",")):
        median, best = measure(n, args.seconds)
        flops = 2.0 * n ** 3
        print(f"n={n}: median {median * 1e3:.3f} ms = {flops / median / 1e9:.0f} GFLOP/s, "
              f"best {best * 1e3:.3f} ms = {flops / best / 1e9:.0f} GFLOP/s")


if __name__ == "__main__":
    main()
