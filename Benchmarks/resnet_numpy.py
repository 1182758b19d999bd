#!/usr/bin/env python3
"""NumPy reference of `initscope bench --arch resnet`: one pass of an unnormalized residual network, written from
the formulas (issue 11), not from the Swift code.

Workload ("one pass"), float32, batch B, width n, L blocks, He-normal weights N(0, gain^2 / n) (gain sqrt 2 for
relu, 5/3 for tanh), no biases:
  init      draw W1[l], W2[l] (n x n), the input X ~ N(0, 1) (B x n) and the upstream gradient G ~ N(0, 1)
  forward   a = phi(x @ W1[l]); x <- x + a @ W2[l]          (every x and every a kept)
  backward  from the top, g = dL/dx: dF = g; dW2 = a^T dF; dA = dF W2^T; dH = dA * phi'(a);
            dW1 = x_prev^T dH; g <- g + dH W1^T (not needed below block 1)
  stats     per block mean, variance and a 64-bin histogram (range from the data) of the stream x and of g
GEMM flops per pass: (6 L - 1) products of 2 B n^2.
Prints one JSON object: median seconds per phase over --repeats passes after a warm-up, and the layer-averaged growth
per block of the stream's second moment (forward) and of the gradient's (backward), the figures both
implementations must agree on within 2% (Benchmarks/resnet.sh).
Usage: python3 Benchmarks/resnet_numpy.py [--depth 100] [--width 512] [--batch 256] [--activation relu] [--repeats 5]
"""
import numpy as np

import numpy_pass


class Network:
    def __init__(self, depth, width, batch, activation):
        f32 = np.float32
        self.act = activation
        self.gain = np.sqrt(2.0) if activation == "relu" else 5.0 / 3.0
        self.w1 = np.empty((depth, width, width), f32)
        self.w2 = np.empty((depth, width, width), f32)
        self.xs = np.empty((depth + 1, batch, width), f32)   # x^0 .. x^L
        self.acts = np.empty((depth, batch, width), f32)     # a = phi(x W1) per block
        self.upstream = np.empty((batch, width), f32)
        self.g = np.empty((depth, batch, width), f32)        # dL/dx^l per block, kept for the statistics
        self.f = np.empty((batch, width), f32)
        self.d = np.empty((batch, width), f32)
        self.dw = np.empty((width, width), f32)

    def draw(self, seed):
        rng = np.random.default_rng(seed)
        n = self.w1.shape[1]
        for w in (self.w1, self.w2):
            rng.standard_normal(dtype=np.float32, out=w)
            w *= np.float32(self.gain / np.sqrt(n))
        rng.standard_normal(dtype=np.float32, out=self.xs[0])
        rng.standard_normal(dtype=np.float32, out=self.upstream)

    def phi(self, a):
        if self.act == "relu":
            np.maximum(a, 0, out=a)
        else:
            np.tanh(a, out=a)

    def forward(self):
        for l in range(len(self.w1)):
            a = self.acts[l]
            np.matmul(self.xs[l], self.w1[l], out=a)
            self.phi(a)
            np.matmul(a, self.w2[l], out=self.f)
            np.add(self.xs[l], self.f, out=self.xs[l + 1])

    def backward(self):
        depth = len(self.w1)
        self.g[depth - 1][...] = self.upstream
        for l in reversed(range(depth)):
            g, a = self.g[l], self.acts[l]
            np.matmul(a.T, g, out=self.dw)                  # dW2 (dF = g, alpha = beta = 1)
            np.matmul(g, self.w2[l].T, out=self.d)          # dA
            if self.act == "relu":
                self.d *= a > 0
            else:
                self.d *= 1 - a * a
            np.matmul(self.xs[l].T, self.d, out=self.dw)    # dW1
            if l > 0:
                np.matmul(self.d, self.w1[l].T, out=self.g[l - 1])
                self.g[l - 1] += g

    @property
    def streams(self):       # x^1 ... x^L
        return self.xs[1:]

    @property
    def gradients(self):     # dL/dx^1 ... dL/dx^L
        return self.g


def main():
    args = numpy_pass.parser(__doc__.splitlines()[0], depth=100, width=512, batch=256, activation="relu").parse_args()
    numpy_pass.run(Network(args.depth, args.width, args.batch, args.activation), args,
                   {"arch": "resnet", "L": args.depth, "n": args.width, "B": args.batch, "act": args.activation})


if __name__ == "__main__":
    main()
