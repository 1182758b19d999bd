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
import numpy as np

import numpy_pass

EPS = np.float32(1e-5)


def arguments():
    p = numpy_pass.parser(__doc__.splitlines()[0], depth=12, width=256, batch=16, activation="tanh")
    p.add_argument("--tokens", type=int, default=64)
    p.add_argument("--heads", type=int, default=4)
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


def main():
    args = arguments()
    numpy_pass.run(Transformer(args), args,
                   {"arch": "transformer", "L": args.depth, "d": args.width, "T": args.tokens, "B": args.batch,
                    "H": args.heads, "act": args.activation})


if __name__ == "__main__":
    main()
