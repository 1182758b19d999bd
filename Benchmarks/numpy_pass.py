"""What the NumPy references of `initscope bench --arch resnet|transformer` share: the command-line sizes, the
per-block statistics (mean, variance in float64 accumulation, a 64-bin histogram over [min, max], as the engine
takes them), the timed passes (a warm-up, then --repeats passes: init, forward, backward, stats) and the JSON line
Benchmarks/compare_numpy.sh reads: the median seconds per phase and the layer-averaged growth per block of the
stream's second moment (forward) and of its gradient's (backward).
A network here has draw(seed), forward(), backward(), and the lists `streams` (x^1 ... x^L) and `gradients`
(dL/dx^1 ... dL/dx^L) filled by them.
"""
import argparse
import json
import statistics as median_of
import time

import numpy as np

BINS = 64
now = time.perf_counter


def parser(description, depth, width, batch, activation):
    """The sizes both references take (each with its own defaults); a caller adds its own flags."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--depth", type=int, default=depth)
    p.add_argument("--width", type=int, default=width)
    p.add_argument("--batch", type=int, default=batch)
    p.add_argument("--activation", choices=("relu", "tanh"), default=activation)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    return p


def statistics(stack):
    """Per block mean, variance (float64 accumulation), second moment and a 64-bin histogram over [min, max]."""
    out = []
    for m in stack:
        flat = m.reshape(-1)
        f64 = flat.astype(np.float64)
        mean = f64.mean()
        second = np.dot(f64, f64) / flat.size
        lo, hi = float(flat.min()), float(flat.max())
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
        counts = np.bincount(np.minimum(((flat - lo) * (BINS / (hi - lo))).astype(np.int64), BINS - 1), minlength=BINS)
        out.append((mean, second - mean * mean, second, counts))
    return out


def run(net, args, meta):
    """Times a warm-up and args.repeats passes of `net`, then prints one JSON object: `meta`, the median seconds
    per phase, the growth figures and NumPy's version."""
    passes, result = [], None
    for repeat in range(args.repeats + 1):
        t0 = now(); net.draw(args.seed)
        t1 = now(); net.forward()
        t2 = now(); net.backward()
        t3 = now(); stream = statistics(net.streams); gradient = statistics(net.gradients)
        t4 = now()
        if repeat > 0:
            passes.append({"init": t1 - t0, "forward": t2 - t1, "backward": t3 - t2, "stats": t4 - t3, "total": t4 - t0})
        result = (stream, gradient)
    stream, gradient = result
    steps = args.depth - 1
    print(json.dumps({
        "impl": "numpy", **meta,
        "median": {k: median_of.median(p[k] for p in passes) for k in passes[0]},
        "check": {"stream_growth_per_block": (stream[-1][2] / stream[0][2]) ** (1 / steps) if steps else 1.0,
                  "gradient_growth_per_block": (gradient[0][2] / gradient[-1][2]) ** (1 / steps) if steps else 1.0},
        "numpy": np.__version__}))
