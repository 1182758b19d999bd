#!/usr/bin/env python3
"""NumPy reference of `initscope bench --train`: steps per second of the MLP training loop of `initscope train`,
written from its description (issue 12, README "initscope train"), not from the Swift code.

Network: an MLP of L layers of width n with biases, h^l = x^{l-1} W^l + b^l, x^l = phi(h^l), and a read-out
z = x^L W_out + b_out (n x 1), float32; He-normal weights N(0, 2 / n) (ReLU) or Xavier-normal (tanh), zero biases, an
Xavier-normal read-out. Task `teacher`: x ~ N(0, 1) (B x n), y = tanh(x A) v with A (n x n) ~ N(0, 1/n), v (n x 1)
~ N(0, 1/n), drawn and computed in float64 as the task's stream, then rounded to float32; loss mean squared error.
One training step, as the trainer takes it:
  batch     draw a fresh teacher batch
  forward   every h^l and x^l kept, z
  loss      MSE and dL/dz = 2 (z - y) / B
  backward  delta = dL/dh: dW = x^T delta, db = column sums, dx = delta W^T, delta = dx phi'(h)
  norm      global gradient norm (float64 sum of squares)
  held-out  every 10th step (1, 11, 21, ...): forward and MSE on a fixed held-out batch
  report    per weight layer (and the read-out): variance of dW and of x^l (the read-out: of z)
  adam      PyTorch's Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8, bias correction) on every parameter, in place,
            after keeping each weight matrix's values before the step; the update-to-data ratio
            std(W after - W before) / std(W before) per weight layer
Statistics use NumPy's own float32 reductions (pairwise summation); buffers are preallocated and updated in place
(the fastest plain NumPy we could write). Prints one JSON object: steps per second over --steps timed steps after
--warmup steps, the median seconds of a step, the loss at the first and last timed step, and the other processes' load.
Usage: python3 Benchmarks/train_numpy.py [--depth 20] [--width 512] [--batch 256] [--activation relu] [--steps 30]
"""
import argparse
import json
import os
import resource
import statistics
import time

import numpy as np

now = time.perf_counter


def arguments():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--depth", type=int, default=20)
    p.add_argument("--width", type=int, default=512)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--activation", choices=("relu", "tanh"), default="relu")
    p.add_argument("--steps", type=int, default=30, help="timed steps")
    p.add_argument("--warmup", type=int, default=3, help="steps before the timed ones")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args()


def cpu_snapshot():
    """(wall s, CPU s busy on the whole machine, CPU s used by this process)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return (time.monotonic(), (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK"), ru.ru_utime + ru.ru_stime)


class Teacher:
    def __init__(self, n, rng):
        self.a = rng.standard_normal((n, n)) / np.sqrt(n)
        self.v = rng.standard_normal((n, 1)) / np.sqrt(n)
        self.n = n

    def batch(self, rows, rng):
        x = rng.standard_normal((rows, self.n))
        y = np.tanh(x @ self.a) @ self.v
        return x.astype(np.float32), y.astype(np.float32)


class Network:
    def __init__(self, a, rng):
        L, n, B = a.depth, a.width, a.batch
        self.L, self.n, self.B, self.relu = L, n, B, a.activation == "relu"
        std = np.sqrt(2.0 / n) if self.relu else np.sqrt(2.0 / (n + n))
        self.w = [(rng.standard_normal((n, n)) * std).astype(np.float32) for _ in range(L)]
        self.w.append((rng.standard_normal((n, 1)) * np.sqrt(2.0 / (n + 1))).astype(np.float32))
        self.b = [np.zeros(n, np.float32) for _ in range(L)] + [np.zeros(1, np.float32)]
        self.params = [p for pair in zip(self.w, self.b) for p in pair]
        self.grads = [np.zeros_like(p) for p in self.params]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.scratch = [np.zeros_like(p) for p in self.params]
        self.before = [np.zeros_like(w) for w in self.w]
        self.h = [np.zeros((B, n), np.float32) for _ in range(L)]
        self.x = [np.zeros((B, n), np.float32) for _ in range(L)]
        self.z = np.zeros((B, 1), np.float32)
        self.delta = np.zeros((B, n), np.float32)
        self.upstream = np.zeros((B, n), np.float32)
        self.t = 0

    def forward(self, x0, keep=True):
        x = x0
        for l in range(self.L):
            h = self.h[l] if keep else np.empty((x.shape[0], self.n), np.float32)
            np.matmul(x, self.w[l], out=h)
            h += self.b[l]
            out = self.x[l] if keep else h
            if self.relu:
                np.maximum(h, 0, out=out)
            else:
                np.tanh(h, out=out)
            x = out
        z = x @ self.w[self.L] + self.b[self.L]
        if keep:
            self.z[...] = z
        return z

    def backward(self, x0, dz):
        delta = dz
        for l in range(self.L, -1, -1):
            x = x0 if l == 0 else self.x[l - 1]
            np.matmul(x.T, delta, out=self.grads[2 * l])
            np.sum(delta, axis=0, out=self.grads[2 * l + 1])
            if l == 0:
                break
            np.matmul(delta, self.w[l].T, out=self.upstream)
            if self.relu:
                np.multiply(self.upstream, self.h[l - 1] > 0, out=self.delta)
            else:
                np.multiply(self.x[l - 1], self.x[l - 1], out=self.delta)
                np.subtract(1, self.delta, out=self.delta)
                self.delta *= self.upstream
            delta = self.delta

    def adam(self, lr, b1=0.9, b2=0.999, eps=1e-8):
        self.t += 1
        step = np.float32(lr / (1 - b1 ** self.t))
        root2 = np.float32(np.sqrt(1 - b2 ** self.t))
        for p, g, m, v, s in zip(self.params, self.grads, self.m, self.v, self.scratch):
            m *= np.float32(b1)
            m += np.float32(1 - b1) * g
            v *= np.float32(b2)
            np.multiply(g, g, out=s)
            s *= np.float32(1 - b2)
            v += s
            np.sqrt(v, out=s)
            s /= root2
            s += np.float32(eps)
            np.divide(m, s, out=s)
            s *= step
            p -= s


def main():
    a = arguments()
    rng = np.random.default_rng(a.seed)
    teacher = Teacher(a.width, rng)
    net = Network(a, rng)
    held_x, held_y = teacher.batch(a.batch, rng)
    times, losses = [], []
    start = cpu_snapshot()
    for t in range(1, a.warmup + a.steps + 1):
        t0 = now()
        x, y = teacher.batch(a.batch, rng)
        z = net.forward(x)
        err = z - y
        loss = float(np.mean(err * err))
        net.backward(x, err * np.float32(2 / err.size))
        norm = float(np.sqrt(sum(np.dot(g.ravel().astype(np.float64), g.ravel().astype(np.float64)) for g in net.grads)))
        if (t - 1) % 10 == 0:
            hz = net.forward(held_x, keep=False)
            held = float(np.mean((hz - held_y) ** 2))
        grad_var = [float(net.grads[2 * l].var()) for l in range(a.depth + 1)]
        act_var = [float(x.var()) for x in net.x] + [float(net.z.var())]
        for w, keep in zip(net.w, net.before):
            keep[...] = w
        net.adam(a.lr)
        ratio = [float(np.std(w - keep) / np.std(keep)) for w, keep in zip(net.w, net.before)]
        elapsed = now() - t0
        if not np.isfinite(loss + norm + held) or not all(np.isfinite(grad_var + act_var + ratio)):
            raise SystemExit(f"train_numpy.py: diverged at step {t}")
        if t > a.warmup:
            times.append(elapsed)
            losses.append(loss)
    end = cpu_snapshot()
    other = ((end[1] - start[1]) - (end[2] - start[2])) / max(end[0] - start[0], 1e-9)
    print(json.dumps({
        "impl": "numpy", "L": a.depth, "n": a.width, "B": a.batch, "act": a.activation, "optimizer": "adam",
        "steps": a.steps, "steps_per_second": a.steps / sum(times), "median_step_seconds": statistics.median(times),
        "first_loss": losses[0], "last_loss": losses[-1], "other_load": other,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
