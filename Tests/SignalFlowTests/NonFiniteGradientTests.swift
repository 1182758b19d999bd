// Gradients below a forward overflow: phi'(h) at a NaN or infinite pre-activation is NaN for every activation,
// so the gradients there, and everything the backward pass builds from them, are counted as non-finite instead of
// reading as exact zeros ("vanished") where the truth is explosion.
import Foundation
import Testing
@testable import SignalFlow

@Test(arguments: Activation.all + [.leakyRelu(slope: -0.5), .leakyRelu(slope: 0)])
func theDerivativeAtANonFinitePreactivationIsNaN(activation: Activation) {
    let h: [Float] = [0.5, -0.5, .infinity, -.infinity, .nan, 2, -3, 0.25]
    var x = h
    var xSpan = x.mutableSpan
    activation.applyInPlace(&xSpan)
    let kept = activation.derivativeFromActivationValue ? x : h
    var gradient = [Float](repeating: 1.5, count: h.count)
    gradient[7] = .nan   // a NaN arriving from above stays NaN, wherever the unit is
    var gradientSpan = gradient.mutableSpan
    activation.multiplyByDerivative(&gradientSpan, kept: kept.span, preactivation: h.span)
    for i in h.indices {
        if !h[i].isFinite || i == 7 {
            #expect(gradient[i].isNaN, "\(activation.name): h = \(h[i]) gives \(gradient[i])")
        } else {
            let expected = 1.5 * activation.derivative(Double(h[i]))
            #expect(Swift.abs(Double(gradient[i]) - expected) <= 1e-5 * Swift.max(1, Swift.abs(expected)),
                    "\(activation.name): h = \(h[i]) gives \(gradient[i]), phi' says \(expected)")
        }
    }
}

@Test func gradientsBelowAForwardOverflowAreCountedAsNonFinite() throws {
    // report --activation relu --init normal:1 --depth 60 --width 256 --batch 64 --seed 7: chi_1 = 128, h overflows
    // Float32 near layer 36; before, every activation gradient read as exactly 0 (zeroFraction 1, nonFinite 0).
    let run = try deepRun(.relu, .normal(std: 1), depth: 60, width: 256, batch: 64, seed: 7)
    let firstOverflow = try #require(run.layers.first { $0.stats(.preactivation)!.nonFiniteCount > 0 }?.index)
    #expect((30...40).contains(firstOverflow), "first non-finite h at layer \(firstOverflow)")
    for layer in run.layers {
        let gradient = try #require(layer.stats(.activationGradient)), weightGradient = try #require(layer.stats(.weightGradient))
        // The upstream gradient meets NaN/inf pre-activations at the top; their NaN rows spread through every W^T.
        #expect(gradient.nonFiniteCount > 0 && gradient.zeroFraction < 1, "layer \(layer.index): \(gradient)")
        #expect(weightGradient.nonFiniteCount > 0, "layer \(layer.index): \(weightGradient)")
    }
    // Above the overflow nothing is finite any more in the gradients.
    for layer in run.layers where layer.index >= firstOverflow + 2 {
        #expect(layer.stats(.activationGradient)!.nonFiniteCount == layer.stats(.activationGradient)!.count)
    }
}
