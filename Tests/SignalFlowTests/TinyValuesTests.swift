// Tiny values keep their moments: squares are formed in Double (a Float square of 1e-24 underflows), so a deep
// linear network with N(0, 0.01^2) weights follows the exact product law q_l = q_1 (n s^2)^(l-1) down to layer 50.
import Foundation
import Testing
@testable import SignalFlow

@Test func squaresOfTinyValuesAreFormedInDouble() {
    // 1e-24 is a normal Float32, its square (1e-48) is not even a subnormal one.
    var random = RandomSource(seed: 5, stream: 9)
    var values = [Float](repeating: 0, count: 10_003)
    random.fillNormal(&values, mean: 0, standardDeviation: 1e-24)
    let doubles = values.map(Double.init)
    let mean = doubles.reduce(0, +) / Double(doubles.count)
    let secondMoment = doubles.map { $0 * $0 }.reduce(0, +) / Double(doubles.count)
    let s = TensorStatistics.scan(values.span).stats
    #expect(Swift.abs(s.secondMoment / secondMoment - 1) < 1e-12, "\(s.secondMoment) vs \(secondMoment)")
    #expect(Swift.abs(s.variance / (secondMoment - mean * mean) - 1) < 1e-12)
    #expect(Swift.abs(s.mean - mean) < 1e-12 * 1e-24)
}

/// Standard deviation of ln(q_{l+1} / q_l) for a Gaussian layer on a B x n signal that has passed `factors`
/// Gaussian n x n weight matrices: q_{l+1}/q_l = (1/n) sum_j w_j^T A w_j with A = H^T H / B, whose relative
/// variance is 2 tr(A^2) / (n tr(A)^2) = 2 phi2 / n^2, phi2 = tr(A^2) n / tr(A)^2 = 1 + factors + n / B (free
/// probability: each Ginibre factor adds 1 to the normalised second moment, the B x n Gaussian input adds n/B).
func linearStepNoise(factors: Int, width n: Int, batch b: Int) -> Double {
    (2 * (1 + Double(factors) + Double(n) / Double(b))).squareRoot() / Double(n)
}

@Test func aDeepLinearNetworkFollowsTheExactProductLawToTheLastLayer() throws {
    // report --activation linear --init normal:0.01 --depth 50: n s^2 = 512 * 1e-4 = 0.0512 per layer, forward
    // (q = mean h^2, from 0.05 down to about 1e-65) and backward (mean (dL/dh)^2, from 1 down to about 1e-64).
    let n = 512, b = 256, depth = 50, multiplier = 0.0512
    let run = try deepRun(.linear, .normal(std: 0.01), depth: depth, width: n, batch: b, seed: 7)
    let q = measuredQ(run), g = measuredG(run)
    var forwardVariance = 0.0, backwardVariance = 0.0
    for l in 1..<depth {
        // Forward step l -> l+1: h^l has passed l weight matrices; backward step l+1 -> l: L - l of them.
        let forwardNoise = linearStepNoise(factors: l, width: n, batch: b)
        let backwardNoise = linearStepNoise(factors: depth - l, width: n, batch: b)
        forwardVariance += forwardNoise * forwardNoise
        backwardVariance += backwardNoise * backwardNoise
        let forwardStep = Foundation.log(q[l] / (multiplier * q[l - 1]))
        let backwardStep = Foundation.log(g[l - 1] / (multiplier * g[l]))
        #expect(Swift.abs(forwardStep) <= 5 * forwardNoise, "forward step \(l) -> \(l + 1): ln ratio \(forwardStep)")
        #expect(Swift.abs(backwardStep) <= 5 * backwardNoise, "backward step \(l + 1) -> \(l): ln ratio \(backwardStep)")
        let forwardLaw = Foundation.log(q[l] / (q[0] * Foundation.pow(multiplier, Double(l))))
        let backwardLaw = Foundation.log(g[depth - 1 - l] / (g[depth - 1] * Foundation.pow(multiplier, Double(l))))
        #expect(Swift.abs(forwardLaw) <= 5 * forwardVariance.squareRoot(), "layer \(l + 1): ln(q / law) = \(forwardLaw)")
        #expect(Swift.abs(backwardLaw) <= 5 * backwardVariance.squareRoot(),
                "layer \(depth - l): ln(g / law) = \(backwardLaw)")
    }
    for layer in run.layers {
        // x = h: the same numbers, and var(x) = q(h) - mean^2 with mean^2 / q about 1 / (B n) = 8e-6.
        let h = try #require(layer.stats(.preactivation)), x = try #require(layer.stats(.activation))
        #expect(h == x)
        #expect(Swift.abs(x.variance / h.secondMoment - 1) < 1e-3, "layer \(layer.index): var(x) \(x.variance), q(h) \(h.secondMoment)")
        #expect(layer.quantities.values.allSatisfy { $0.stats.nonFiniteCount == 0 })
        #expect(h.zeroFraction == 0)
    }
}
