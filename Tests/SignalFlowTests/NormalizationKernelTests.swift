// The backward passes of LayerNorm, RMSNorm, BatchNorm and the residual add, run in Double, against central
// finite differences of L = sum(w * y(x)) with a random w (so dL/dy = w).
// Legend: x is R x C = 4 x 5 (batch x width); eps = 1e-5 as PyTorch.
import Foundation
import Testing
@testable import SignalFlow

/// A deterministic block of N(0, scale^2)-ish values in Double from the engine's generator.
private func randomBlock(_ count: Int, seed: UInt64, scale: Double = 1, shift: Double = 0) -> [Double] {
    var random = RandomSource(seed: seed, stream: 77)
    return (0..<count).map { _ in shift + scale * random.nextZigguratNormal() }
}

private func normalize(_ kind: Normalization, _ x: [Double], rows: Int, cols: Int) -> (y: [Double], r: [Double]) {
    var y = [Double](repeating: 0, count: x.count)
    var r = [Double](repeating: 0, count: NormalizationKernel.groupCount(kind, rows: rows, cols: cols))
    x.withUnsafeBufferPointer { xs in
        y.withUnsafeMutableBufferPointer { ys in
            r.withUnsafeMutableBufferPointer { NormalizationKernel.forward(kind, xs, rows: rows, cols: cols, into: ys, inverseScale: $0) }
        }
    }
    return (y, r)
}

@Test(arguments: [Normalization.layer, .rms, .batch])
func normalizationBackwardMatchesCentralFiniteDifferences(kind: Normalization) {
    let rows = 4, cols = 5
    // Shifted and scaled input, so centring and scaling both matter; one small group tests eps.
    var x = randomBlock(rows * cols, seed: 3, scale: 1.7, shift: 0.4)
    for j in 0..<cols { x[j] *= 1e-3 }
    let w = randomBlock(rows * cols, seed: 4)
    func loss(_ input: [Double]) -> Double { zip(normalize(kind, input, rows: rows, cols: cols).y, w).map { $0 * $1 }.reduce(0, +) }
    let (y, r) = normalize(kind, x, rows: rows, cols: cols)
    var dx = [Double](repeating: 0, count: x.count)
    y.withUnsafeBufferPointer { ys in
        r.withUnsafeBufferPointer { rs in
            w.withUnsafeBufferPointer { ws in
                dx.withUnsafeMutableBufferPointer {
                    NormalizationKernel.backward(kind, output: ys, inverseScale: rs, rows: rows, cols: cols, gradient: ws, into: $0)
                }
            }
        }
    }
    var worst = 0.0, scale = 0.0
    for i in x.indices {
        let step = 1e-6 * Swift.max(Swift.abs(x[i]), 1e-3)
        var plus = x, minus = x
        plus[i] += step; minus[i] -= step
        let numeric = (loss(plus) - loss(minus)) / (2 * step)
        worst = Swift.max(worst, Swift.abs(numeric - dx[i]) / Swift.max(Swift.abs(numeric), 1))
        scale = Swift.max(scale, Swift.abs(numeric))
    }
    #expect(scale > 0.1, "\(kind) gradient is not trivially zero")
    #expect(worst < 1e-6, "\(kind): worst relative error \(worst)")
}

@Test(arguments: [Normalization.layer, .rms, .batch])
func normalizationForwardGivesUnitMomentsPerGroup(kind: Normalization) {
    let rows = 6, cols = 7
    let x = randomBlock(rows * cols, seed: 5, scale: 3, shift: 2)
    let (y, _) = normalize(kind, x, rows: rows, cols: cols)
    let groups = kind == .batch ? (0..<cols).map { j in (0..<rows).map { y[$0 * cols + j] } }
                                : (0..<rows).map { i in Array(y[(i * cols)..<((i + 1) * cols)]) }
    for group in groups {
        let mean = group.reduce(0, +) / Double(group.count)
        let second = group.map { $0 * $0 }.reduce(0, +) / Double(group.count)
        // Exact up to eps: mean 0 (layer, batch) and second moment var / (var + 1e-5) with var ~ 9.
        if kind != .rms { #expect(Swift.abs(mean) < 1e-12) }
        #expect(Swift.abs(second - 1) < 1e-5)
    }
}

@Test func residualAddBackwardMatchesCentralFiniteDifferences() {
    let count = 12, alpha = 0.8, beta = -1.3
    let x = randomBlock(count, seed: 6), b = randomBlock(count, seed: 7), w = randomBlock(count, seed: 8)
    func loss(_ x: [Double], _ b: [Double]) -> Double {
        var y = [Double](repeating: 0, count: count)
        x.withUnsafeBufferPointer { xs in
            b.withUnsafeBufferPointer { bs in
                y.withUnsafeMutableBufferPointer { ResidualAddKernel.forward(skip: xs, branch: bs, alpha: alpha, beta: beta, into: $0) }
            }
        }
        return zip(y, w).map { $0 * $1 }.reduce(0, +)
    }
    var dx = [Double](repeating: 0, count: count), db = dx
    w.withUnsafeBufferPointer { ws in
        dx.withUnsafeMutableBufferPointer { dxs in
            db.withUnsafeMutableBufferPointer { ResidualAddKernel.backward(gradient: ws, alpha: alpha, beta: beta, skipGradient: dxs, branchGradient: $0) }
        }
    }
    let step = 1e-6
    for i in 0..<count {
        var xp = x, xm = x, bp = b, bm = b
        xp[i] += step; xm[i] -= step; bp[i] += step; bm[i] -= step
        #expect(Swift.abs((loss(xp, b) - loss(xm, b)) / (2 * step) - dx[i]) < 1e-8)
        #expect(Swift.abs((loss(x, bp) - loss(x, bm)) / (2 * step) - db[i]) < 1e-8)
    }
}
