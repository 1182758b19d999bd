// LSUV oracles C1-C7 of reference 4.3: 10 dense layers 512 -> 512, zero biases, orthonormal pre-init,
// batch 256 x 512 of N(0, 1), Tol_var 0.1, T_max 10, population variance of the pre-activation.
import Foundation
import Testing
@testable import SignalFlow

private struct LSUVNet {
    let workspace: MLPWorkspace
    let propagator: Propagator
    init(activation: Activation, depth: Int = 10, width: Int = 512, batch: Int = 256, seed: UInt64 = 99) {
        workspace = MLPWorkspace(widths: Array(repeating: width, count: depth + 1), batch: batch, hasBias: false,
                                 keepsPreactivations: false)
        propagator = Propagator(workspace: workspace, activation: activation)
        propagator.drawInputAndUpstream(seed: seed)
        propagator.drawParameters(initializer: .lsuv(tolerance: 0.1, maxIterations: 10), seed: seed, biasStandardDeviation: 0)
    }
    /// Calibrates and runs forward; returns each layer's report (with its trace).
    func calibrate(_ options: LSUVOptions = LSUVOptions()) -> [LayerReport] {
        (1...workspace.depth).map { propagator.forwardLayer($0, lsuv: options) }
    }
}

@Test func lsuvReluConvergesWithOneRescalingPerLayer() {
    let net = LSUVNet(activation: .relu)
    let layers = net.calibrate()
    for layer in layers {
        let trace = layer.lsuv!
        let final = trace.varianceAfterIteration.last!
        #expect(Swift.abs(final - 1) < 0.1, "C1 layer \(layer.index): \(final)")
        #expect(trace.converged && !trace.degenerate)
        #expect(trace.rescalings == (layer.index == 1 ? 0 : 1), "C2 layer \(layer.index): \(trace.rescalings)")
        if layer.index > 1 { #expect(Swift.abs(final - 1) <= 1e-4, "C3 layer \(layer.index): \(final)") }
        #expect(trace.varianceAfterIteration.count == trace.rescalings + 1)
        // The reported pre-activation variance is the one LSUV stopped at.
        #expect(Swift.abs(layer.stats(.preactivation)!.variance - final) < 1e-12)
    }
    // C4: a second calibration of the calibrated weights makes no rescaling.
    let again = net.calibrate()
    #expect(again.allSatisfy { $0.lsuv!.rescalings == 0 }, "C4")
}

@Test func lsuvIsInvariantToScalingTheBatch() {
    let plain = LSUVNet(activation: .relu)
    _ = plain.calibrate()
    let scaled = LSUVNet(activation: .relu)
    scaled.workspace.activations[0].scale(by: 7)
    let traces = scaled.calibrate()
    #expect(traces[0].lsuv!.rescalings == 1)
    // C5: layers 2-10 produce the same outputs within 1e-5 relative.
    for l in 2...10 {
        let a = plain.workspace.activations[l].elements, b = scaled.workspace.activations[l].elements
        var worst = 0.0, scale = 0.0
        for i in 0..<a.count {
            worst = Swift.max(worst, Swift.abs(Double(a[i]) - Double(b[i])))
            scale = Swift.max(scale, Swift.abs(Double(a[i])))
        }
        #expect(worst <= 1e-5 * scale, "C5 layer \(l): \(worst) vs scale \(scale)")
    }
}

@Test func lsuvTanhMeasuredAfterActivationStopsAtTheCap() {
    let net = LSUVNet(activation: .tanh)
    let layers = net.calibrate(LSUVOptions(tolerance: 0.1, maxIterations: 10, measureAfterActivation: true))
    for layer in layers {
        let trace = layer.lsuv!
        #expect(trace.rescalings == 10 && !trace.converged && !trace.degenerate, "C6 layer \(layer.index)")
        #expect(trace.varianceAfterIteration.allSatisfy { $0.isFinite && $0 < 1 })
        #expect(layer.quantities.values.allSatisfy { $0.stats.nonFiniteCount == 0 })
    }
}

@Test func lsuvZeroBatchIsDegenerateWithoutNaN() {
    let net = LSUVNet(activation: .relu)
    let input = net.workspace.activations[0]
    input.withMutableSpan { $0.update(repeating: 0) }
    let layers = net.calibrate()
    for layer in layers {
        let trace = layer.lsuv!
        #expect(trace.rescalings == 0 && trace.degenerate && !trace.converged, "C7 layer \(layer.index)")
        #expect(layer.quantities.values.allSatisfy { $0.stats.nonFiniteCount == 0 })
    }
    for weights in net.workspace.weights { #expect(weights.elements.allSatisfy { $0.isFinite }) }
}

@Test func lsuvStopsWhenTheOutputDoesNotDependOnTheWeights() {
    // Dead input plus a non-zero bias: h = b whatever W is; one rescaling shows v unchanged.
    let workspace = MLPWorkspace(widths: [64, 64], batch: 32, hasBias: true, keepsPreactivations: false)
    let propagator = Propagator(workspace: workspace, activation: .relu)
    propagator.drawParameters(initializer: .lsuv(tolerance: 0.1, maxIterations: 10), seed: 1, biasStandardDeviation: 3)
    workspace.activations[0].withMutableSpan { $0.update(repeating: 0) }
    let trace = propagator.forwardLayer(1, lsuv: LSUVOptions()).lsuv!
    #expect(trace.degenerate && trace.rescalings == 1 && !trace.converged)
}
