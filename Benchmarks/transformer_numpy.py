#!/usr/bin/env python3
"""NumPy reference of `initscope bench --arch transformer`: one pass of a pre-LN transformer, written from the
formulas (issue 11, README "Transformers"), not from the Swift code.

Workload ("one pass"), float32, B sequences of T tokens of width d, H heads (d_k = d / H), L blocks, Xavier-normal
weights N(0, 2 / (fan_in + fan_out)), no biases, LayerNorm gain 1 shift 0 (biased variance, eps 1e-5):
  init      draw Wq, Wk, Wv, Wo (d x d), W1 (d x 4d), W2 (4d x d) per block, X ~ N(0, 1) (B T x d), G ~ N(0, 1)
  forward   u = LN(x); q, k, v = u Wq, u Wk, u Wv split into heads (B, H, T, d_k); P = softmax(q k^T / sqrt d_k);
            x1 = x + (P v merged) Wo; u2 = LN(x1); h = u2 W1; a = phi(h); x <- x1 + a W2     (every tensor kept)
  backward  from the top, g = dL/dx: the FFN (dW2, da, dh, dW1, du2), LN backward, added to g; then the attention
            (dWo, dz, dP, dv, dS = P (dP - rowsum(dP P)), dq, dk, dWq/k/v, du), LN backward, added
  stats     per block mean, variance and a 64-bin histogram (range from the data) of the stream x and of g
Prints one JSON object: median seconds per phase over --repeats passes after a warm-up, and the layer-averaged growth
per block of the stream's second moment (forward) and of the gradient's (backward), the figures both
implementations must agree on within 2% (Benchmarks/transformer.sh).
Usage: python3 Benchmarks/transformer_numpy.py [--depth 12] [--width 256] [--tokens 64] [--batch 16] [--heads 4]
                                               [--activation tanh] [--repeats 5]
"""
import argparse
import json
import statistics
import time

import numpy as np

BINS = 64
EPS = np.float32(1e-5)
now = time.perf_counter


def arguments():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--depth", type=int, default=12)
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--tokens", type=int, default=64)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--activation", choices=("relu", "tanh"), default="tanh")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args()


def layer_norm(x):
    mu = x.mean(axis=1, keepdims=True)
    c = x - mu
    r = 1 / np.sqrt((c * c).mean(axis=1, keepdims=True) + EPS)
    return c * r, r


def layer_norm_backward(y, r, g):
    return r * (g - g.mean(axis=1, keepdims=True) - y * (g * y).mean(axis=1, keepdims=True))


class Transformer:
    def __init__(self, a):
        self.L, self.d, self.T, self.B, self.H = a.depth, a.width, a.tokens, a.batch, a.heads
        self.dk = self.d // self.H
        self.act = a.activation
        self.rows = self.B * self.T

    def heads(self, m):     # (B T, d) -> (B, H, T, d_k)
        return m.reshape(self.B, self.T, self.H, self.dk).transpose(0, 2, 1, 3)

    def merge(self, m):     # (B, H, T, d_k) -> (B T, d)
        return m.transpose(0, 2, 1, 3).reshape(self.rows, self.d)

    def draw(self, seed):
        rng = np.random.default_rng(seed)
        d = self.d
        def xavier(fi, fo):
            return (rng.standard_normal((fi, fo), dtype=np.float32) * np.float32(np.sqrt(2.0 / (fi + fo))))
        self.w = [dict(q=xavier(d, d), k=xavier(d, d), v=xavier(d, d), o=xavier(d, d), f1=xavier(d, 4 * d),
                       f2=xavier(4 * d, d)) for _ in range(self.L)]
        self.x0 = rng.standard_normal((self.rows, d), dtype=np.float32)
        self.upstream = rng.standard_normal((self.rows, d), dtype=np.float32)

    def phi(self, h):
        return np.maximum(h, 0) if self.act == "relu" else np.tanh(h)

    def phi_prime_from_value(self, a):
        return (a > 0).astype(np.float32) if self.act == "relu" else 1 - a * a

    def forward(self):
        x = self.x0
        self.kept, self.streams = [], []
        scale = np.float32(1 / np.sqrt(self.dk))
        for w in self.w:
            u, r1 = layer_norm(x)
            q, k, v = self.heads(u @ w["q"]), self.heads(u @ w["k"]), self.heads(u @ w["v"])
            s = (q @ k.transpose(0, 1, 3, 2)) * scale
            s -= s.max(axis=3, keepdims=True)
            p = np.exp(s)
            p /= p.sum(axis=3, keepdims=True)
            z = self.merge(p @ v)
            x1 = x + z @ w["o"]
            u2, r2 = layer_norm(x1)
            a = self.phi(u2 @ w["f1"])
            y = x1 + a @ w["f2"]
            self.kept.append((x, u, r1, q, k, v, p, z, x1, u2, r2, a))
            self.streams.append(y)
            x = y

    def backward(self):
        g = self.upstream
        self.gradients = [None] * self.L
        scale = np.float32(1 / np.sqrt(self.dk))
        for l in reversed(range(self.L)):
            self.gradients[l] = g
            w = self.w[l]
            x, u, r1, q, k, v, p, z, x1, u2, r2, a = self.kept[l]
            # FFN sublayer: y = x1 + a W2, a = phi(u2 W1).
            dW2 = a.T @ g
            dh = (g @ w["f2"].T) * self.phi_prime_from_value(a)
            dW1 = u2.T @ dh
            g1 = g + layer_norm_backward(u2, r2, dh @ w["f1"].T)
            # Attention sublayer: x1 = x + z Wo.
            dWo = z.T @ g1
            dz = self.heads(g1 @ w["o"].T)
            dp = dz @ v.transpose(0, 1, 3, 2)
            dv = p.transpose(0, 1, 3, 2) @ dz
            ds = p * (dp - (dp * p).sum(axis=3, keepdims=True)) * scale
            dq, dkk = ds @ k, ds.transpose(0, 1, 3, 2) @ q
            dq, dkk, dv = self.merge(dq), self.merge(dkk), self.merge(dv)
            dWq, dWk, dWv = u.T @ dq, u.T @ dkk, u.T @ dv
            du = dq @ w["q"].T + dkk @ w["k"].T + dv @ w["v"].T
            g = g1 + layer_norm_backward(u, r1, du)
            del dW1, dW2, dWo, dWq, dWk, dWv

    @staticmethod
    def statistics(stack):
        """Per block mean, variance (float64 accumulation) and a 64-bin histogram over [min, max]."""
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


def main():
    args = arguments()
    net = Transformer(args)
    passes, result = [], None
    for repeat in range(args.repeats + 1):
        t0 = now(); net.draw(args.seed)
        t1 = now(); net.forward()
        t2 = now(); net.backward()
        t3 = now(); stream = net.statistics(net.streams); gradient = net.statistics(net.gradients)
        t4 = now()
        if repeat > 0:
            passes.append({"init": t1 - t0, "forward": t2 - t1, "backward": t3 - t2, "stats": t4 - t3, "total": t4 - t0})
        result = (stream, gradient)
    stream, gradient = result
    steps = args.depth - 1
    print(json.dumps({
        "impl": "numpy", "arch": "transformer", "L": args.depth, "d": args.width, "T": args.tokens, "B": args.batch,
        "H": args.heads, "act": args.activation,
        "median": {k: statistics.median(p[k] for p in passes) for k in passes[0]},
        "check": {"stream_growth_per_block": (stream[-1][2] / stream[0][2]) ** (1 / steps) if steps else 1.0,
                  "gradient_growth_per_block": (gradient[0][2] / gradient[-1][2]) ** (1 / steps) if steps else 1.0},
        "numpy": np.__version__}))


if __name__ == "__main__":
    main()
