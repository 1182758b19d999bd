// Attention in Float32 as the engine runs it: every row of the weights sums to 1 (masked entries exactly 0), and
// the logits' second moment on unit-variance queries and keys is d_k s^2 (1 with 1/sqrt(d_k), d_k unscaled).
// Legend: B sequences of T tokens, width d, H heads, d_k = d / H; u ~ N(0, 1) is (B T) x d.
import Foundation
import Testing
@testable import SignalFlow

/// Float buffers of one attention sublayer with Wq = I and Wk a Haar orthogonal matrix, so q = u and k = u Wk both
/// have independent N(0, 1) entries within a token.
private final class FloatAttention {
    let g: TransformerGeometry
    let u, wq, wk, wv, wo, projections, packed, z, p, out: Matrix

    init(_ g: TransformerGeometry, seed: UInt64) {
        self.g = g
        let rows = g.rows, d = g.width
        u = Matrix(rows: rows, cols: d); wq = Matrix(rows: d, cols: d); wk = Matrix(rows: d, cols: d)
        wv = Matrix(rows: d, cols: d); wo = Matrix(rows: d, cols: d)
        projections = Matrix(rows: rows, cols: 3 * d); packed = Matrix(rows: d, cols: 3 * d)
        z = Matrix(rows: rows, cols: d); out = Matrix(rows: rows, cols: d); p = Matrix(rows: g.attentionRows, cols: g.tokens)
        var random = RandomSource(seed: seed, stream: 1)
        random.fillNormal(u.buffer)
        for i in 0..<d { wq[i, i] = 1 }
        let context = InitContext(fanIn: d, fanOut: d, activation: .linear)
        var orthogonal = RandomSource(seed: seed, stream: 2)
        Initializer.orthogonal(gain: 1).fill(wk, context: context, random: &orthogonal)
        var others = RandomSource(seed: seed, stream: 3)
        Initializer.xavierNormal(gain: 1).fill(wv, context: context, random: &others)
        Initializer.xavierNormal(gain: 1).fill(wo, context: context, random: &others)
    }

    /// Runs the forward pass; returns the second moment and count of the logits seen by the observer.
    @discardableResult
    func forward(scale: AttentionScale, causal: Bool) -> (secondMoment: Double, count: Int) {
        var seen = (0.0, 0)
        let weights = AttentionWeights<Float>(query: UnsafePointer(wq.base), key: UnsafePointer(wk.base),
                                              value: UnsafePointer(wv.base), output: UnsafePointer(wo.base))
        let keep = AttentionActivations<Float>(projections: projections.base, mixed: z.base, weights: p.base,
                                               projectionWeights: packed.base)
        AttentionKernel.forward(g, scale: Float(scale.factor(headWidth: g.headWidth)), causal: causal, input: UnsafePointer(u.base),
                                weights: weights, keep: keep, into: out.base) { logits in
            let stats = TensorStatistics.scan(logits).stats
            seen = (stats.secondMoment, stats.count)
        }
        return seen
    }
}

@Test(arguments: [false, true])
func attentionWeightRowsSumToOne(causal: Bool) {
    let g = TransformerGeometry(sequences: 3, tokens: 17, width: 32, heads: 4)
    let attention = FloatAttention(g, seed: 5)
    attention.forward(scale: .none, causal: causal)
    let p = attention.p
    var worst = 0.0
    for row in 0..<g.attentionRows {
        let i = row % g.tokens
        var sum = 0.0
        for j in 0..<g.tokens {
            let w = p[row, j]
            #expect(w >= 0)
            if causal && j > i { #expect(w == 0, "masked weight (\(i), \(j)) is \(w)") }
            sum += Double(w)
        }
        worst = Swift.max(worst, Swift.abs(sum - 1))
    }
    // Float32 rounding of T terms, each below 1: a few ulp of 1 per term.
    #expect(worst < Double(g.tokens) * 1.2e-7, "worst row sum error \(worst)")
}

@Test(arguments: [AttentionScale.sqrt, .linear, .none])
func attentionLogitSecondMomentIsHeadWidthTimesScaleSquared(scale: AttentionScale) {
    // E[(q . k)^2] = d_k for independent unit-variance q, k within a head (i != j; the diagonal adds O(1/T d)).
    let g = TransformerGeometry(sequences: 16, tokens: 32, width: 256, heads: 4)
    let attention = FloatAttention(g, seed: 9)
    let (measured, count) = attention.forward(scale: scale, causal: false)
    #expect(count == g.attentionRows * g.tokens)
    let dk = Double(g.headWidth), s = scale.factor(headWidth: g.headWidth)
    let expected = dk * s * s
    // Relative standard error: each logit^2 has relative variance ~2 over B H T^2 pairs, and every query's and key's
    // squared norm (relative variance 2/d_k) is shared by T pairs: sqrt(2 / (B H T^2) + 2 * 2 / (d_k B T H)).
    let pairs = Double(g.attentionRows * g.tokens), tokenHeads = Double(g.sequences * g.tokens * g.heads)
    let standardError = (2 / pairs + 4 / (dk * tokenHeads)).squareRoot()
    #expect(Swift.abs(measured / expected - 1) < 5 * standardError,
            "\(scale): logit second moment \(measured), expected \(expected) (5 se = \(5 * standardError))")
    if scale == .sqrt { #expect(Swift.abs(measured - 1) < 0.1) }
    if scale == .none { #expect(Swift.abs(measured / dk - 1) < 0.1) }
}
