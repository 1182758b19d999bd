#!/usr/bin/env python3
"""How much a second core adds to the engine's products on this machine: Debian's OpenBLAS (the library initscope
links), single-threaded as the engine calls it, on the block shapes of the transformer and resnet passes; each shape
timed alone on one thread, then on two threads at once (each its own C, as the engine's pool runs two blocks).
Prints GFLOP/s of one thread alone, and per thread when both run (each thread's calls over the wall time both took). ctypes releases the GIL during each call.
Usage: python3 Benchmarks/sgemm_concurrency.py [SECONDS_PER_SHAPE]      (default 0.5; run it on a quiet machine)
"""
import ctypes
import sys
import threading
import time

import numpy as np

blas = ctypes.CDLL("libopenblas.so.0")
blas.openblas_set_num_threads(1)
ROW_MAJOR, NO_TRANS, TRANS = 101, 111, 112
# (m, n, k, A transposed): the blocks GEMM.blocking cuts the transformer's products into (R = 1024, d = 256: the
# projections' 256-row blocks, the FFN's 1024 x 256 column blocks and 256-row blocks of k = 4d, the dW blocks) and the
# resnet's (B = 256, n = 512: 128-column blocks).
SHAPES = [(256, 256, 256, False), (1024, 256, 256, False), (256, 256, 1024, False), (256, 128, 1024, True),
          (256, 256, 1024, True), (256, 128, 512, False)]


def caller(m, n, k, transposed):
    a = np.random.standard_normal((k, m) if transposed else (m, k)).astype(np.float32)
    b = np.random.standard_normal((k, n)).astype(np.float32)
    c = np.zeros((m, n), dtype=np.float32)
    p = [x.ctypes.data_as(ctypes.c_void_p) for x in (a, b, c)]
    lda = m if transposed else k
    def call():
        blas.cblas_sgemm(ROW_MAJOR, TRANS if transposed else NO_TRANS, NO_TRANS, m, n, k, ctypes.c_float(1), p[0], lda,
                         p[1], n, ctypes.c_float(0), p[2], n)
    return call, (a, b, c)


def rate(call, calls, flops):
    t0 = time.perf_counter()
    for _ in range(calls):
        call()
    return flops * calls / (time.perf_counter() - t0) / 1e9


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
    print("shape (m x n x k)      one thread alone   each of two at once  (GFLOP/s, Debian OpenBLAS, 1 thread per call)")
    for m, n, k, transposed in SHAPES:
        flops = 2.0 * m * n * k
        first, keep1 = caller(m, n, k, transposed)
        second, keep2 = caller(m, n, k, transposed)
        first()
        calls = max(5, int(seconds * 80e9 / flops))
        alone = max(rate(first, calls, flops) for _ in range(3))
        threads = [threading.Thread(target=rate, args=(f, calls, flops)) for f in (first, second)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        both = flops * calls / (time.perf_counter() - t0) / 1e9   # per thread: each made `calls` calls in that wall time
        label = f"{m} x {n} x {k}{' (A^T)' if transposed else ''}"
        print(f"{label:22} {alone:10.1f} {both:18.1f}")


if __name__ == "__main__":
    main()
