// The transformer's operations: attention (each scale, with and without the causal mask), the FFN and whole blocks
// (pre-LN, post-LN, no LN), their backward passes in Double against central finite differences of
// L = sum(w * out) with a random w (so dL/dout = w); attention weights rows sum to 1; logit variance by scale.
// Legend: B = 2 sequences of T = 3 tokens, d = 4, H = 2 heads (d_k = 2) for the finite differences.
import Foundation
import Testing
@testable import SignalFlow

private let small = TransformerGeometry(sequences: 2, tokens: 3, width: 4, heads: 2)

/// Worst relative error between `analytic` and central differences of `loss` in each of the `count` entries of `p`.
private func worstError(_ p: UnsafeMutablePointer<Double>, count: Int, analytic: [Double], loss: () -> Double) -> (worst: Double, scale: Double) {
    var worst = 0.0, scale = 0.0
    for i in 0..<count {
        let saved = p[i], step = 1e-5 * Swift.max(Swift.abs(saved), 0.1)
        p[i] = saved + step; let plus = loss()
        p[i] = saved - step; let minus = loss()
        p[i] = saved
        let numeric = (plus - minus) / (2 * step)
        worst = Swift.max(worst, Swift.abs(numeric - analytic[i]) / Swift.max(Swift.abs(numeric), 1e-3))
        scale = Swift.max(scale, Swift.abs(numeric))
    }
    return (worst, scale)
}

private func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
    (0..<count).reduce(0) { $0 + a[$1] * b[$1] }
}

@Test(arguments: [AttentionScale.sqrt, .linear, .none], [false, true])
func attentionBackwardMatchesCentralFiniteDifferences(scale: AttentionScale, causal: Bool) {
    let g = small, block = DoubleTransformerBlock(g, weightScale: 1.5), count = g.rows * g.width
    let s = Double(scale.factor(headWidth: g.headWidth))
    let w = block.arena.random(count, stream: 40), u = block.input, out = block.buffers.branch
    func loss() -> Double {
        AttentionKernel.forward(g, scale: s, causal: causal, input: u, weights: block.weights.attention,
                                keep: block.buffers.attention, into: out)
        return dot(out, w, count)
    }
    _ = loss()
    var weightGradients: [WeightRole: [Double]] = [:]
    let du = block.arena.make(count)
    AttentionKernel.backward(g, scale: s, input: u, weights: block.weights.attention, kept: block.buffers.attention,
                             outputGradient: w, scratch: block.gradients.attention, into: du) { role, dW in
        weightGradients[role] = Array(dW)
    }
    let input = worstError(u, count: count, analytic: Array(UnsafeBufferPointer(start: du, count: count)), loss: loss)
    #expect(input.scale > 0.05, "dL/du is not trivially zero")
    #expect(input.worst < 1e-6, "dL/du: worst relative error \(input.worst)")
    for (index, role) in [WeightRole.query, .key, .value, .output].enumerated() {
        let result = worstError(block.weightPointers[index], count: g.width * g.width, analytic: weightGradients[role] ?? [], loss: loss)
        #expect(result.scale > 1e-3, "dL/dW \(role) is not trivially zero")
        #expect(result.worst < 1e-6, "dL/dW \(role): worst relative error \(result.worst)")
    }
}

@Test(arguments: [Activation.gelu, .tanh])
func feedForwardBackwardMatchesCentralFiniteDifferences(phi: Activation) {
    let g = small, block = DoubleTransformerBlock(g), count = g.rows * g.width
    let w = block.arena.random(count, stream: 41), u = block.input, b = block.buffers
    func loss() -> Double {
        FeedForwardKernel.forward(rows: g.rows, width: g.width, activation: phi, input: u, inWeights: block.weights.ffnIn,
                                  outWeights: block.weights.ffnOut, preactivation: b.preactivation, activation: b.activation,
                                  into: b.branch)
        return dot(b.branch, w, count)
    }
    _ = loss()
    var weightGradients: [WeightRole: [Double]] = [:]
    let du = block.arena.make(count)
    FeedForwardKernel.backward(rows: g.rows, width: g.width, activation: phi, input: u, inWeights: block.weights.ffnIn,
                               outWeights: block.weights.ffnOut, preactivation: b.preactivation, activation: b.activation,
                               outputGradient: w, hiddenGradient: block.gradients.hidden,
                               weightGradientScratch: block.gradients.ffnWeightGradient, into: du) { role, dW in
        weightGradients[role] = Array(dW)
    }
    let input = worstError(u, count: count, analytic: Array(UnsafeBufferPointer(start: du, count: count)), loss: loss)
    #expect(input.scale > 0.05 && input.worst < 1e-6, "\(phi.name) dL/du: worst relative error \(input.worst)")
    for (index, role) in [(4, WeightRole.ffnIn), (5, .ffnOut)] {
        let result = worstError(block.weightPointers[index], count: 4 * g.width * g.width, analytic: weightGradients[role] ?? [], loss: loss)
        #expect(result.scale > 1e-3 && result.worst < 1e-6, "\(phi.name) dL/dW \(role): worst relative error \(result.worst)")
    }
}

/// Options of the whole-block tests: pre-LN, post-LN with DeepNorm-like alpha, and no LN with a branch multiplier.
private let blockCases: [TransformerOptions] = [
    TransformerOptions(tokens: 3, heads: 2, attentionScale: .sqrt, causal: false, normalization: .layer, position: .pre),
    TransformerOptions(tokens: 3, heads: 2, attentionScale: .sqrt, causal: true, normalization: .layer, position: .post, skip: 1.7),
    TransformerOptions(tokens: 3, heads: 2, attentionScale: .none, causal: true, normalization: .none, position: .pre,
                       skip: 1, branchMultiplier: 0.6),
]

@Test(arguments: blockCases)
func transformerBlockBackwardMatchesCentralFiniteDifferences(options: TransformerOptions) {
    let g = small, block = DoubleTransformerBlock(g), count = g.rows * g.width
    let w = block.arena.random(count, stream: 42), dx = block.arena.make(count)
    func loss() -> Double {
        TransformerBlockKernel.forward(g, options: options, activation: .gelu, weights: block.weights, buffers: block.buffers)
        return dot(block.buffers.output, w, count)
    }
    _ = loss()
    var weightGradients: [WeightRole: [Double]] = [:]
    TransformerBlockKernel.backward(g, options: options, activation: .gelu, weights: block.weights, buffers: block.buffers,
                                    gradients: block.gradients, outputGradient: w, into: dx) { role, dW in
        weightGradients[role] = Array(dW)
    }
    let input = worstError(block.input, count: count, analytic: Array(UnsafeBufferPointer(start: dx, count: count)), loss: loss)
    #expect(input.scale > 0.05 && input.worst < 1e-6, "\(options.position) \(options.normalization) dL/dx: worst \(input.worst)")
    for (index, role) in TransformerOptions.weightRoles.enumerated() {
        let size = role == .ffnIn || role == .ffnOut ? 4 * g.width * g.width : g.width * g.width
        let result = worstError(block.weightPointers[index], count: size, analytic: weightGradients[role] ?? [], loss: loss)
        #expect(result.scale > 1e-4 && result.worst < 1e-6,
                "\(options.position) \(options.normalization) dL/dW \(role): worst \(result.worst), scale \(result.scale)")
    }
}
