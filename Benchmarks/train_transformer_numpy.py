#!/usr/bin/env python3
"""NumPy reference of `initscope bench --train --arch transformer`: steps per second of the bigram training loop of
`initscope train --arch transformer`, written from its description (issue 12, README "initscope train"), not from
the Swift code.

Model, float32: token embeddings E (V x d) ~ N(0, 1); L pre-LN blocks x1 = x + Attn(LN1(x)), y = x1 + FFN(LN2(x1)),
LayerNorm with a gain per feature (start 1), no shift, biased variance, eps 1e-5; H heads of width d/H, logits scaled
by 1/sqrt(d_k), causal mask; FFN d -> 4d -> d with ReLU or tanh; Xavier-normal weights; a read-out z = y W_out + b_out
(d x V Xavier normal, zero bias). Task: B sequences of T + 1 tokens of a random bigram language over V tokens (rows
softmax(3 z), first token uniform); predict tokens 1...T from 0...T-1; mean softmax cross-entropy over the B T rows.
One training step: draw a batch; forward keeping what backward needs; loss and dL/dz; backward to every parameter
(E, Wq, Wk, Wv, Wo, W1, W2, both gains per block, W_out, b_out); the global gradient norm (float64); the held-out loss
every 10th step; per block the variance of its weight gradients and of its output stream; PyTorch's Adam (lr 1e-3) in
place on every parameter and the update-to-data ratio of each block's weights. Preallocated Adam state; NumPy's
float32 reductions. Prints one JSON object like Benchmarks/train_numpy.py.
Usage: python3 Benchmarks/train_transformer_numpy.py [--depth 12] [--width 256] [--tokens 32] [--batch 8] [--heads 4]
       [--vocab 64] [--activation relu] [--steps 20]
"""
import argparse
import json
import os
import resource
import statistics
import time

import numpy as np

EPS = np.float32(1e-5)
now = time.perf_counter


def arguments():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--depth", type=int, default=12)
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--tokens", type=int, default=32)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--vocab", type=int, default=64)
    p.add_argument("--activation", choices=("relu", "tanh"), default="relu")
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args()


def cpu_snapshot():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return (time.monotonic(), (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK"), ru.ru_utime + ru.ru_stime)


class Bigram:
    def __init__(self, v, rng):
        z = 3 * rng.standard_normal((v, v))
        p = np.exp(z - z.max(axis=1, keepdims=True))
        self.p = p / p.sum(axis=1, keepdims=True)
        self.cumulative = np.cumsum(self.p, axis=1)
        self.v = v

    def batch(self, sequences, tokens, rng):
        seq = np.empty((sequences, tokens + 1), np.int64)
        seq[:, 0] = rng.integers(0, self.v, sequences)
        for k in range(tokens):
            u = rng.random(sequences)
            seq[:, k + 1] = np.minimum((self.cumulative[seq[:, k]] <= u[:, None]).sum(axis=1), self.v - 1)
        return seq[:, :-1].reshape(-1), seq[:, 1:].reshape(-1)


def layer_norm(x, gain):
    mu = x.mean(axis=1, keepdims=True)
    c = x - mu
    r = 1 / np.sqrt((c * c).mean(axis=1, keepdims=True) + EPS)
    y = c * r
    return y * gain, y, r


def layer_norm_backward(y, r, gain, g):
    dgain = (g * y).sum(axis=0)
    g = g * gain
    return r * (g - g.mean(axis=1, keepdims=True) - y * (g * y).mean(axis=1, keepdims=True)), dgain


class Model:
    def __init__(self, a, rng):
        self.L, self.d, self.T, self.B, self.H, self.V = a.depth, a.width, a.tokens, a.batch, a.heads, a.vocab
        self.dk, self.rows, self.relu = self.d // self.H, self.B * self.T, a.activation == "relu"
        d, V = self.d, self.V

        def xavier(fi, fo):
            return rng.standard_normal((fi, fo), dtype=np.float32) * np.float32(np.sqrt(2.0 / (fi + fo)))
        self.params = {"E": rng.standard_normal((V, d), dtype=np.float32), "Wout": xavier(d, V),
                       "bout": np.zeros(V, np.float32)}
        for l in range(self.L):
            for name, shape in (("q", (d, d)), ("k", (d, d)), ("v", (d, d)), ("o", (d, d)), ("f1", (d, 4 * d)), ("f2", (4 * d, d))):
                self.params[f"{name}{l}"] = xavier(*shape)
            self.params[f"g1{l}"] = np.ones(d, np.float32)
            self.params[f"g2{l}"] = np.ones(d, np.float32)
        self.m = {k: np.zeros_like(p) for k, p in self.params.items()}
        self.v = {k: np.zeros_like(p) for k, p in self.params.items()}
        self.mask = np.triu(np.ones((self.T, self.T), bool), 1)
        self.t = 0

    def heads(self, m):
        return m.reshape(self.B, self.T, self.H, self.dk).transpose(0, 2, 1, 3)

    def merge(self, m):
        return m.transpose(0, 2, 1, 3).reshape(self.rows, self.d)

    def forward(self, tokens):
        P = self.params
        x = P["E"][tokens]
        scale = np.float32(1 / np.sqrt(self.dk))
        self.kept, self.streams = [], []
        for l in range(self.L):
            u, y1, r1 = layer_norm(x, P[f"g1{l}"])
            q, k, v = self.heads(u @ P[f"q{l}"]), self.heads(u @ P[f"k{l}"]), self.heads(u @ P[f"v{l}"])
            s = (q @ k.transpose(0, 1, 3, 2)) * scale
            s[..., self.mask] = -np.inf
            s -= s.max(axis=3, keepdims=True)
            p = np.exp(s)
            p /= p.sum(axis=3, keepdims=True)
            z = self.merge(p @ v)
            x1 = x + z @ P[f"o{l}"]
            u2, y2, r2 = layer_norm(x1, P[f"g2{l}"])
            h = u2 @ P[f"f1{l}"]
            act = np.maximum(h, 0) if self.relu else np.tanh(h)
            out = x1 + act @ P[f"f2{l}"]
            self.kept.append((u, y1, r1, q, k, v, p, z, u2, y2, r2, act))
            self.streams.append(out)
            x = out
        return x @ P["Wout"] + P["bout"]

    def backward(self, tokens, dz):
        P, G = self.params, {}
        scale = np.float32(1 / np.sqrt(self.dk))
        y = self.streams[-1]
        G["Wout"], G["bout"] = y.T @ dz, dz.sum(axis=0)
        g = dz @ P["Wout"].T
        for l in reversed(range(self.L)):
            u, y1, r1, q, k, v, p, z, u2, y2, r2, act = self.kept[l]
            G[f"f2{l}"] = act.T @ g
            da = g @ P[f"f2{l}"].T
            dh = da * (act > 0) if self.relu else da * (1 - act * act)
            G[f"f1{l}"] = u2.T @ dh
            dx1, G[f"g2{l}"] = layer_norm_backward(y2, r2, P[f"g2{l}"], dh @ P[f"f1{l}"].T)
            g1 = g + dx1
            G[f"o{l}"] = z.T @ g1
            dz_ = self.heads(g1 @ P[f"o{l}"].T)
            dp = dz_ @ v.transpose(0, 1, 3, 2)
            dv = p.transpose(0, 1, 3, 2) @ dz_
            ds = p * (dp - (dp * p).sum(axis=3, keepdims=True)) * scale
            dq, dk, dv = self.merge(ds @ k), self.merge(ds.transpose(0, 1, 3, 2) @ q), self.merge(dv)
            G[f"q{l}"], G[f"k{l}"], G[f"v{l}"] = u.T @ dq, u.T @ dk, u.T @ dv
            du = dq @ P[f"q{l}"].T + dk @ P[f"k{l}"].T + dv @ P[f"v{l}"].T
            dx, G[f"g1{l}"] = layer_norm_backward(y1, r1, P[f"g1{l}"], du)
            g = g1 + dx
        dE = np.zeros_like(P["E"])
        np.add.at(dE, tokens, g)
        G["E"] = dE
        return G

    def adam(self, G, lr, b1=0.9, b2=0.999, eps=1e-8):
        self.t += 1
        step = np.float32(lr / (1 - b1 ** self.t))
        root2 = np.float32(np.sqrt(1 - b2 ** self.t))
        for key, p in self.params.items():
            g, m, v = G[key], self.m[key], self.v[key]
            m *= np.float32(b1)
            m += np.float32(1 - b1) * g
            v *= np.float32(b2)
            v += np.float32(1 - b2) * (g * g)
            p -= step * m / (np.sqrt(v) / root2 + np.float32(eps))


def cross_entropy(z, labels):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    total = e.sum(axis=1, keepdims=True)
    loss = float(np.mean(np.log(total[:, 0]) - z[np.arange(len(labels)), labels]))
    grad = e / total
    grad[np.arange(len(labels)), labels] -= 1
    return loss, grad / np.float32(len(labels))


def main():
    a = arguments()
    rng = np.random.default_rng(a.seed)
    language = Bigram(a.vocab, rng)
    model = Model(a, rng)
    held_tokens, held_labels = language.batch(a.batch, a.tokens, rng)
    times, losses = [], []
    start = cpu_snapshot()
    weights = ("q", "k", "v", "o", "f1", "f2")
    for t in range(1, a.warmup + a.steps + 1):
        t0 = now()
        tokens, labels = language.batch(a.batch, a.tokens, rng)
        loss, dz = cross_entropy(model.forward(tokens), labels)
        G = model.backward(tokens, dz)
        norm = float(np.sqrt(sum(np.dot(g.ravel().astype(np.float64), g.ravel().astype(np.float64)) for g in G.values())))
        if (t - 1) % 10 == 0:
            held, _ = cross_entropy(model.forward(held_tokens), held_labels)
        grad_var = [float(np.concatenate([G[f"{w}{l}"].ravel() for w in weights]).var()) for l in range(a.depth)]
        act_var = [float(s.var()) for s in model.streams]
        before = {f"{w}{l}": model.params[f"{w}{l}"].copy() for l in range(a.depth) for w in weights}
        model.adam(G, a.lr)
        ratio = [float(np.concatenate([(model.params[f"{w}{l}"] - before[f"{w}{l}"]).ravel() for w in weights]).std()
                       / np.concatenate([before[f"{w}{l}"].ravel() for w in weights]).std()) for l in range(a.depth)]
        elapsed = now() - t0
        if not np.isfinite(loss + norm + held) or not all(np.isfinite(grad_var + act_var + ratio)):
            raise SystemExit(f"train_transformer_numpy.py: diverged at step {t}")
        if t > a.warmup:
            times.append(elapsed)
            losses.append(loss)
    end = cpu_snapshot()
    other = ((end[1] - start[1]) - (end[2] - start[2])) / max(end[0] - start[0], 1e-9)
    print(json.dumps({
        "impl": "numpy", "arch": "transformer", "L": a.depth, "n": a.width, "T": a.tokens, "B": a.batch, "H": a.heads,
        "V": a.vocab, "act": a.activation, "optimizer": "adam", "steps": a.steps,
        "steps_per_second": a.steps / sum(times), "median_step_seconds": statistics.median(times),
        "first_loss": losses[0], "last_loss": losses[-1], "other_load": other,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
