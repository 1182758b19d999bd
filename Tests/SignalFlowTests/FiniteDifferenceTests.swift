// The engine's backward pass (Float32) against central finite differences of a Double reference MLP,
// for every activation. Loss L = sum(G * x^L) (the random linear read-out), so dL/dx^L = G.
// Legend: widths n_0 ... n_L = [5, 7, 6, 4], batch B = 3.
import Foundation
import Testing
@testable import SignalFlow

/// A plain MLP in Double with the engine's weights, biases and input.
private struct ReferenceMLP {
    var weights: [[Double]]   // W^l row-major n_{l-1} x n_l
    var biases: [[Double]]    // b^l (empty = none)
    let widths: [Int]
    let batch: Int
    let input: [Double]       // B x n_0
    let upstream: [Double]    // B x n_L
    let activation: Activation

    func loss() -> Double {
        var x = input
        for l in 1..<widths.count {
            let (nIn, nOut) = (widths[l - 1], widths[l])
            var next = [Double](repeating: 0, count: batch * nOut)
            for r in 0..<batch {
                for j in 0..<nOut {
                    var h = biases.isEmpty ? 0 : biases[l - 1][j]
                    for k in 0..<nIn { h += x[r * nIn + k] * weights[l - 1][k * nOut + j] }
                    next[r * nOut + j] = activation.value(h)
                }
            }
            x = next
        }
        return zip(x, upstream).map { $0 * $1 }.reduce(0, +)
    }
}

private let finiteDifferenceActivations: [Activation] = [.linear, .tanh, .relu, .leakyRelu(slope: 0.01),
                                                          .leakyRelu(slope: -0.3), .sigmoid, .gelu, .selu]

@Test(arguments: finiteDifferenceActivations)
func backwardPassMatchesCentralFiniteDifferences(activation: Activation) throws {
    let widths = [5, 7, 6, 4], batch = 3, depth = 3
    let workspace = MLPWorkspace(widths: widths, batch: batch, hasBias: true,
                                 keepsPreactivations: !activation.derivativeFromActivationValue)
    let propagator = Propagator(workspace: workspace, activation: activation)
    propagator.drawInputAndUpstream(seed: 21)
    propagator.drawParameters(initializer: .xavierNormal(gain: 1.5), seed: 21, biasStandardDeviation: 0.2)
    let reference = ReferenceMLP(weights: workspace.weights.map { $0.elements.map(Double.init) },
                                 biases: workspace.biases.map { $0.elements.map(Double.init) },
                                 widths: widths, batch: batch, input: workspace.activations[0].elements.map(Double.init),
                                 upstream: workspace.upstream.elements.map(Double.init), activation: activation)
    for l in 1...depth { _ = propagator.forwardLayer(l, lsuv: nil) }
    propagator.beginBackward()
    var engineGradients = [[Double]](repeating: [], count: depth)
    for l in stride(from: depth, through: 1, by: -1) {
        _ = propagator.backwardLayer(l)
        engineGradients[l - 1] = workspace.weightGradient.elements.map(Double.init)
    }
    let step = 1e-6
    for l in 1...depth {
        var worst = 0.0, scale = 0.0
        for index in 0..<(widths[l - 1] * widths[l]) {
            var plus = reference, minus = reference
            plus.weights[l - 1][index] += step
            minus.weights[l - 1][index] -= step
            let numeric = (plus.loss() - minus.loss()) / (2 * step)
            worst = Swift.max(worst, Swift.abs(numeric - engineGradients[l - 1][index]))
            scale = Swift.max(scale, Swift.abs(numeric))
        }
        // Float32 forward/backward against Double differences: relative to the layer's largest gradient.
        #expect(scale > 1e-3, "layer \(l) gradient is not trivially zero")
        #expect(worst <= 2e-4 * scale, "\(activation.name) layer \(l): max error \(worst), scale \(scale)")
    }
}
