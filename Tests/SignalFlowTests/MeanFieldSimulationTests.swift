// Mean field against a direct float32 simulation built only from RandomSource, Initializer.fill and cblas_sgemm
// (reference 4.4, D2, D5, D13, D14, D14b): width 512, batch 256, depth 50, sigma_b = 0, seed fixed.
import COpenBLAS
import Foundation
import Testing
@testable import SignalFlow

/// Measured per-layer second moments q^l = mean(h^l ^2) and g^l = mean((dL/dh^l)^2), accumulated in Double.
private struct Measured { var q: [Double]; var g: [Double] }

private func simulate(_ activation: Activation, _ initializer: Initializer, depth: Int = 50, width: Int = 512,
                      batch: Int = 256, seed: UInt64) -> Measured {
    let n = width, count = batch * width
    var x = [Float](repeating: 0, count: count)
    var random = RandomSource(seed: seed, stream: 0)
    random.fillNormal(&x)
    var weights = [[Float]](repeating: [], count: depth)
    var pre = [[Float]](repeating: [], count: depth)
    var q = [Double](repeating: 0, count: depth), g = [Double](repeating: 0, count: depth)
    for l in 0..<depth {
        var w = [Float](repeating: 0, count: n * n)
        var layerRandom = RandomSource(seed: seed, stream: 100 + UInt64(l))
        w.withUnsafeMutableBufferPointer { initializer.fill($0, fanIn: n, fanOut: n, activation: activation, random: &layerRandom) }
        var h = [Float](repeating: 0, count: count)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(batch), Int32(n), Int32(n), 1, x, Int32(n), w, Int32(n), 0, &h, Int32(n))
        q[l] = h.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(count)
        for i in 0..<count { x[i] = activation.value(h[i]) }
        weights[l] = w
        pre[l] = h
    }
    var upstream = [Float](repeating: 0, count: count)
    var gradientRandom = RandomSource(seed: seed, stream: 1)
    gradientRandom.fillNormal(&upstream)
    var delta = [Float](repeating: 0, count: count)
    for l in stride(from: depth - 1, through: 0, by: -1) {
        for i in 0..<count { delta[i] = upstream[i] * activation.derivative(pre[l][i]) }
        g[l] = delta.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(count)
        if l > 0 {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(batch), Int32(n), Int32(n), 1, delta, Int32(n),
                        weights[l], Int32(n), 0, &upstream, Int32(n))
        }
    }
    return Measured(q: q, g: g)
}

private func theory(_ activation: Activation, _ initializer: Initializer, seededWith q1: Double, depth: Int = 50) -> [MeanFieldLayer] {
    let sigmaW2 = initializer.meanFieldWeightVariance(fanIn: 512, fanOut: 512, activation: activation)
    return MeanField.predictLayers(activation: activation, widths: Array(repeating: 512, count: depth + 1),
                                   weightVariances: Array(repeating: sigmaW2, count: depth), biasVariance: 0,
                                   inputSecondMoment: 1, firstLayerSecondMoment: q1)
}

private func meanRatio(_ values: [Double], backward: Bool) -> Double {
    var sum = 0.0
    for l in 0..<(values.count - 1) {
        let ratio: Double = backward ? values[l] / values[l + 1] : values[l + 1] / values[l]
        sum += ratio
    }
    return sum / Double(values.count - 1)
}

@Test func tanhWithGainFiveThirdsFollowsMeanFieldAtEveryLayer() {
    // D13: |ln(q^l / q^l_MF)| <= 0.06 for all l (attracting fixed point), q^50 within 6 % of q* = 1.17848;
    // D14: |R_b - R_b^MF| <= 0.01.
    let initializer = Initializer.xavierNormal(gain: 5.0 / 3.0)
    let measured = simulate(.tanh, initializer, seed: 7)
    let predicted = theory(.tanh, initializer, seededWith: measured.q[0])
    for l in 0..<50 {
        #expect(Swift.abs(Foundation.log(measured.q[l] / predicted[l].preactivationSecondMoment)) <= 0.06, "layer \(l + 1)")
    }
    #expect(Swift.abs(measured.q[49] / 1.17848049039 - 1) < 0.06)
    let worst = (0..<50).map { Swift.abs(Foundation.log(measured.q[$0] / predicted[$0].preactivationSecondMoment)) }.max() ?? 0
    print("D13 tanh x 5/3: max |ln(q/q_MF)| = \(worst), q^50 = \(measured.q[49]); R_b = \(meanRatio(measured.g, backward: true)) vs MF \(meanRatio(predicted.map(\.gradientSecondMoment), backward: true))")
    let predictedBackward = meanRatio(predicted.map(\.gradientSecondMoment), backward: true)
    #expect(Swift.abs(meanRatio(measured.g, backward: true) - predictedBackward) <= 0.01)
    #expect(Swift.abs(predictedBackward - 1.19728) < 2e-3)
}

@Test func seluWithLeCunNormalFollowsMeanField() {
    // D14b: |ln(q^l / q^l_MF)| <= 0.10 for all l <= 50 (closed forms of reference 2.9).
    let measured = simulate(.selu, .lecunNormal, seed: 8)
    let predicted = theory(.selu, .lecunNormal, seededWith: measured.q[0])
    let worst = (0..<50).map { Swift.abs(Foundation.log(measured.q[$0] / predicted[$0].preactivationSecondMoment)) }.max() ?? 0
    print("D14b SELU/LeCun: max |ln(q/q_MF)| = \(worst)")
    for l in 0..<50 {
        #expect(Swift.abs(Foundation.log(measured.q[l] / predicted[l].preactivationSecondMoment)) <= 0.10, "layer \(l + 1)")
    }
}

@Test func reluLayerAveragedRatios() {
    // D2: ReLU/He R_f = 1 +- 0.07, R_b = 1 +- 0.03; D5: ReLU/Xavier R_f = 0.5 +- 0.035, R_b = 0.5 +- 0.016.
    let he = simulate(.relu, .heNormal(mode: .fanIn, gain: nil), seed: 9)
    #expect(Swift.abs(meanRatio(he.q, backward: false) - 1) <= 0.07)
    #expect(Swift.abs(meanRatio(he.g, backward: true) - 1) <= 0.03)
    #expect(Swift.abs(he.q[0] / 2 - 1) <= 0.03)  // D1
    let xavier = simulate(.relu, .xavierNormal(gain: 1), seed: 10)
    #expect(Swift.abs(meanRatio(xavier.q, backward: false) - 0.5) <= 0.035)
    #expect(Swift.abs(meanRatio(xavier.g, backward: true) - 0.5) <= 0.016)
    print("D2 ReLU/He: R_f = \(meanRatio(he.q, backward: false)), R_b = \(meanRatio(he.g, backward: true)), q1/2 = \(he.q[0] / 2); D5 ReLU/Xavier: R_f = \(meanRatio(xavier.q, backward: false)), R_b = \(meanRatio(xavier.g, backward: true))")
    // D6: orthogonal with the default gain (ReLU's sqrt 2): R_f = 1 +- 0.05.
    let orthogonal = simulate(.relu, .orthogonal(gain: nil), seed: 11)
    #expect(Swift.abs(meanRatio(orthogonal.q, backward: false) - 1) <= 0.05)
}
