// Mean-field oracles A11-A13, A17-A19 and the growth table of reference 3.7, plus overflow and shape behaviour.
import Foundation
import Testing
@testable import SignalFlow

private func relativeError(_ a: Double, _ b: Double) -> Double { Swift.abs(a - b) / Swift.abs(b) }

@Test func seluClosedFormsAtUnitVariance() {
    // A11.
    #expect(Activation.seluAlpha == 1.6732632423543772848170429916717)
    #expect(Activation.seluLambda == 1.0507009873554804934193349852946)
    #expect(Swift.abs(GaussianExpectation.mean(.selu, q: 1)) < 1e-15)
    #expect(Swift.abs(GaussianExpectation.squaredValue(.selu, q: 1) - 1) < 1e-14)
    #expect(Swift.abs(GaussianExpectation.squaredDerivative(.selu, q: 1) - 1.0715750) < 1e-7)
    // SELU/LeCun: L'(1) = 0.7826, xi_q = 4.08 (reference 2.9 / 3.8).
    let map = MeanFieldMap(activation: .selu, weightVariance: 1)
    let analysis = map.analysis(startingAt: 1)
    #expect(Swift.abs((analysis.fixedPoint ?? 0) - 1) < 1e-10)
    #expect(Swift.abs(analysis.chi1 - 1.0715750) < 1e-7)
    #expect(Swift.abs((analysis.lengthMapSlope ?? 0) - 0.7826) < 5e-5)
    #expect(Swift.abs((analysis.lengthDepthScale ?? 0) - 4.08) < 5e-3)
    // Closed forms agree with quadrature of the definition away from the kink's slow convergence (dense rule).
    for q in [0.3, 2.0, 40.0] {
        let numeric = GaussianExpectation.expectation(q: q) { let y = Activation.selu.value($0); return y * y }
        #expect(relativeError(GaussianExpectation.squaredValue(.selu, q: q), numeric) < 1e-4, "q \(q)")
    }
    // PyTorch's gain 3/4: q* = 0.023034, chi_1 = 1.00367.
    let gainMap = MeanFieldMap(activation: .selu, weightVariance: 9.0 / 16).analysis(startingAt: 9.0 / 16)
    #expect(Swift.abs((gainMap.fixedPoint ?? 0) - 0.023034) < 1e-6)
    #expect(Swift.abs(gainMap.chi1 - 1.00367) < 1e-5)
}

@Test func reluKernels() {
    // A12.
    #expect(Swift.abs(CrossMoment.reluKernel(qa: 1, qb: 1, c: 0) - 0.15915494309189535) < 1e-15)
    #expect(Swift.abs(CrossMoment.reluKernel(qa: 1, qb: 1, c: 0.4) - 0.2720658908758908) < 1e-15)
    #expect(Swift.abs(CrossMoment.reluDerivativeKernel(c: 0.4) - 0.3154949402172273) < 1e-15)
    #expect(Swift.abs(CrossMoment.reluKernel(qa: 2, qb: 2, c: 1) - 1) < 1e-15)
}

@Test func reluCorrelationMapFromZero() {
    // A13: c^{l+1} after k applications from c = 0 (sigma_b = 0; independent of sigma_w^2).
    let map = MeanFieldMap(activation: .relu, weightVariance: 2)
    let expected: [Int: Double] = [1: 0.318310, 2: 0.493731, 3: 0.604826, 5: 0.735946, 10: 0.871536, 20: 0.948428, 50: 0.987862]
    var c = 0.0
    for k in 1...50 {
        c = map.correlation(c, q: 1)
        if let value = expected[k] { #expect(Swift.abs(c - value) < 1e-6, "k = \(k): \(c)") }
    }
    // The same map for tanh by tensor Gauss-Hermite stays odd: c = 0 is fixed when sigma_b = 0.
    #expect(Swift.abs(MeanFieldMap(activation: .tanh, weightVariance: 25.0 / 9).correlation(0, q: 1)) < 1e-14)
}

@Test func tanhFixedPointsAndDepthScales() {
    // A17 and the reference 3.5 table.
    struct Row { let sigmaW2, sigmaB2, qStar, chi1: Double; let xiQ, xiC: Double?; let cStar: Double }
    let rows = [
        Row(sigmaW2: 25.0 / 9, sigmaB2: 0, qStar: 1.17848049039, chi1: 1.20983132038, xiQ: 1.1878, xiC: 12.12, cStar: 0),
        Row(sigmaW2: 2, sigmaB2: 0, qStar: 0.617964769769, chi1: 1.10552882044, xiQ: 1.6856, xiC: 21.72, cStar: 0),
        Row(sigmaW2: 1.5, sigmaB2: 0.05, qStar: 0.418037200533, chi1: 0.938636268199, xiQ: 1.6828, xiC: 15.79, cStar: 1),
        Row(sigmaW2: 1.0, sigmaB2: 0.05, qStar: 0.19359, chi1: 0.75903, xiQ: nil, xiC: 3.627, cStar: 1),
    ]
    for row in rows {
        let analysis = MeanFieldMap(activation: .tanh, weightVariance: row.sigmaW2, biasVariance: row.sigmaB2).analysis(startingAt: 1)
        let label = "sigma_w^2 \(row.sigmaW2), sigma_b^2 \(row.sigmaB2)"
        let digits = row.qStar == 0.19359 ? 5e-6 : 1e-8
        #expect(Swift.abs((analysis.fixedPoint ?? .nan) - row.qStar) < digits, "\(label): q* \(String(describing: analysis.fixedPoint))")
        #expect(Swift.abs(analysis.chi1 - row.chi1) < digits, "\(label): chi1 \(analysis.chi1)")
        if let xiQ = row.xiQ { #expect(Swift.abs((analysis.lengthDepthScale ?? .nan) - xiQ) < 1e-3, "\(label): xi_q") }
        if let xiC = row.xiC { #expect(Swift.abs((analysis.correlationDepthScale ?? .nan) - xiC) < 6e-3, "\(label): xi_c \(String(describing: analysis.correlationDepthScale))") }
        #expect(Swift.abs((analysis.correlationFixedPoint ?? .nan) - row.cStar) < 1e-6, "\(label): c*")
        #expect(analysis.phase == (row.chi1 > 1 ? .chaotic : .ordered))
    }
}

@Test func tanhXavierLengthSequence() {
    // A18 and the reference 3.7 row: q^1 = 1, q^2 ... q^50 with sigma_w^2 = 1, sigma_b = 0.
    let layers = MeanField.predictLayers(activation: .tanh, widths: Array(repeating: 512, count: 51),
                                         weightVariances: Array(repeating: 1, count: 50), biasVariance: 0, inputSecondMoment: 1)
    let q = [0] + layers.map(\.preactivationSecondMoment)
    let expected: [Int: Double] = [1: 1, 2: 0.3942944904, 3: 0.2364504105, 4: 0.166656, 5: 0.127905, 6: 0.103441,
                                   7: 0.086666, 8: 0.074480, 9: 0.065244, 10: 0.05801184784, 20: 0.02728615954, 50: 0.0104307384]
    for (l, value) in expected {
        let tolerance = value.description.count > 9 ? 1e-7 : 1e-6
        #expect(Swift.abs(q[l] - value) < tolerance, "q^\(l) = \(q[l]) vs \(value)")
    }
    // Gradient ratio g^1 / g^50 = 0.014629, mean forward ratio 0.91973 (D10), mean backward ratio 0.92384 (D12).
    #expect(relativeError(layers[0].gradientSecondMoment / layers[49].gradientSecondMoment, 0.014629) < 5e-5)
    let forward = (1..<50).map { q[$0 + 1] / q[$0] }.reduce(0, +) / 49
    let backward = (1..<50).map { layers[$0 - 1].gradientSecondMoment / layers[$0].gradientSecondMoment }.reduce(0, +) / 49
    #expect(Swift.abs(forward - 0.91973) < 1e-5)
    #expect(Swift.abs(backward - 0.92384) < 1e-5)
}

@Test func tanhEdgeOfChaos() {
    // A19: at sigma_b^2 = 0.05, chi_1 = 1 at sigma_w^2 = 1.760955 with q* = 0.570048.
    let edge = MeanFieldMap.edgeOfChaos(activation: .tanh, biasVariance: 0.05, lower: 1.2, upper: 2.5)
    #expect(Swift.abs((edge?.weightVariance ?? 0) - 1.760955) < 1e-5)
    #expect(Swift.abs((edge?.fixedPoint ?? 0) - 0.570048) < 1e-5)
    #expect(MeanFieldMap(activation: .tanh, weightVariance: 1.760955, biasVariance: 0.05).analysis().phase == .critical)
    // The rest of the reference curve.
    for (sigmaB2, sigmaW2) in [(0.01, 1.424205), (0.1, 1.986073), (0.5, 2.843167)] {
        let point = MeanFieldMap.edgeOfChaos(activation: .tanh, biasVariance: sigmaB2, lower: 1.05, upper: 3.5)
        #expect(Swift.abs((point?.weightVariance ?? 0) - sigmaW2) < 1e-5, "sigma_b^2 \(sigmaB2)")
    }
}

@Test func growthTableRows() {
    // Reference 3.7, sigma_b = 0, square 512-wide layers, x^0 ~ N(0, 1).
    func run(_ activation: Activation, _ sigmaW2: Double) -> [MeanFieldLayer] {
        MeanField.predictLayers(activation: activation, widths: Array(repeating: 512, count: 51),
                                weightVariances: Array(repeating: sigmaW2, count: 50), biasVariance: 0, inputSecondMoment: 1)
    }
    func forwardTotal(_ layers: [MeanFieldLayer]) -> Double { layers[49].preactivationSecondMoment / layers[0].preactivationSecondMoment }
    func backwardTotal(_ layers: [MeanFieldLayer]) -> Double { layers[0].gradientSecondMoment / layers[49].gradientSecondMoment }
    let reluXavier = run(.relu, 1)
    #expect(relativeError(forwardTotal(reluXavier), pow(2, -49)) < 1e-12)
    #expect(relativeError(backwardTotal(reluXavier), pow(2, -49)) < 1e-12)
    let reluHe = run(.relu, 2)
    #expect(relativeError(forwardTotal(reluHe), 1) < 1e-12 && relativeError(backwardTotal(reluHe), 1) < 1e-12)
    #expect(relativeError(forwardTotal(run(.relu, 1.0 / 3)), pow(6, -49)) < 1e-12)          // 7.4e-39
    #expect(relativeError(forwardTotal(run(.relu, 512)), pow(256, 49)) < 1e-12)           // 1.0e118
    #expect(relativeError(forwardTotal(run(.relu, 0.0512)), pow(0.0256, 49)) < 1e-12)     // 1.0e-78
    let leaky = run(.leakyRelu(slope: 0.2), 2 / 1.04)
    #expect(relativeError(forwardTotal(leaky), 1) < 1e-12 && relativeError(backwardTotal(leaky), 1) < 1e-12)
    // tanh with gain 5/3: q -> 1.17848, gradients x 6.36e3; mean backward ratio 1.19728 (D14).
    let tanhGain = run(.tanh, 25.0 / 9)
    #expect(Swift.abs(tanhGain[0].preactivationSecondMoment - 25.0 / 9) < 1e-12)
    #expect(Swift.abs(tanhGain[49].preactivationSecondMoment - 1.17848049039) < 1e-9)
    #expect(relativeError(backwardTotal(tanhGain), 6.36e3) < 1e-3)
    let backward = (1..<50).map { tanhGain[$0 - 1].gradientSecondMoment / tanhGain[$0].gradientSecondMoment }.reduce(0, +) / 49
    #expect(Swift.abs(backward - 1.19728) < 1e-5)
    // tanh with N(0, 0.01^2): first step 0.0466, then 0.05096, 0.05119.
    let tanhSmall = run(.tanh, 0.0512)
    let ratios = (0..<3).map { tanhSmall[$0 + 1].preactivationSecondMoment / tanhSmall[$0].preactivationSecondMoment }
    #expect(Swift.abs(ratios[0] - 0.0466) < 5e-5 && Swift.abs(ratios[1] - 0.05096) < 5e-6 && Swift.abs(ratios[2] - 0.05119) < 5e-6)
    // tanh with N(0, 1): q* = 493.6, chi_1 = 12.25 (saturated; composite rule).
    let saturated = MeanFieldMap(activation: .tanh, weightVariance: 512).analysis(startingAt: 512)
    #expect(Swift.abs((saturated.fixedPoint ?? 0) - 493.6) < 0.05)
    #expect(Swift.abs(saturated.chi1 - 12.25) < 5e-3)
    // sigmoid / Xavier: q* = 0.264687, chi_1 = 0.0557.
    let sigmoid = MeanFieldMap(activation: .sigmoid, weightVariance: 1).analysis(startingAt: 1)
    #expect(Swift.abs((sigmoid.fixedPoint ?? 0) - 0.264687) < 1e-6)
    #expect(Swift.abs(sigmoid.chi1 - 0.0557) < 5e-5)
    // SELU / LeCun: q* = 1, gradients x 29.6.
    let selu = run(.selu, 1)
    #expect(selu.allSatisfy { Swift.abs($0.preactivationSecondMoment - 1) < 1e-12 })
    #expect(relativeError(backwardTotal(selu), 29.6) < 2e-3)
}

@Test func rectangularLayersScaleTheBackwardFactor() {
    // Kaiming fan_in on 512 -> 2048: forward 1, backward (2048/512) = 4 (reference 3.7).
    let widths = [512, 512, 2048, 512]
    let variances = zip(widths, widths.dropFirst()).map { Initializer.heNormal(mode: .fanIn, gain: nil)
        .meanFieldWeightVariance(fanIn: $0.0, fanOut: $0.1, activation: .relu) }
    let layers = MeanField.predictLayers(activation: .relu, widths: widths, weightVariances: variances, biasVariance: 0, inputSecondMoment: 1)
    #expect(layers.map(\.preactivationSecondMoment) == [2, 2, 2])
    #expect(relativeError(layers[1].gradientSecondMoment / layers[2].gradientSecondMoment, 0.25) < 1e-12)  // 2048 -> 512 layer
    #expect(relativeError(layers[0].gradientSecondMoment / layers[1].gradientSecondMoment, 4) < 1e-12)     // 512 -> 2048 layer
    #expect(layers[2].gradientSecondMoment == 0.5)
    #expect(relativeError(layers[0].weightGradientSecondMoment, layers[0].gradientSecondMoment * 1) < 1e-15)
    #expect(relativeError(layers[1].weightGradientSecondMoment, layers[1].gradientSecondMoment * 1) < 1e-15)
}

@Test func hugeAndZeroWeightsNeverGiveNaN() {
    // N(0, 1) weights at width 512 for 200 layers: ReLU overflows Double to +inf, tanh saturates; zeros give 0.
    for activation in Activation.all {
        for sigmaW2 in [0.0, 512.0, 1e300] {
            let layers = MeanField.predictLayers(activation: activation, widths: Array(repeating: 512, count: 201),
                                                 weightVariances: Array(repeating: sigmaW2, count: 200), biasVariance: 0, inputSecondMoment: 1)
            for layer in layers {
                let values = [layer.preactivationSecondMoment, layer.activationSecondMoment, layer.gradientSecondMoment,
                              layer.weightGradientSecondMoment, layer.chi]
                #expect(values.allSatisfy { !$0.isNaN && $0 >= 0 }, "\(activation.name) sigma_w^2 \(sigmaW2) layer \(layer.index): \(values)")
            }
            let analysis = MeanFieldMap(activation: activation, weightVariance: sigmaW2).analysis(startingAt: Swift.max(sigmaW2, 1e-300))
            #expect(!analysis.chi1.isNaN, "\(activation.name) \(sigmaW2)")
        }
    }
    let reluBlowUp = MeanField.predictLayers(activation: .relu, widths: Array(repeating: 512, count: 201),
                                             weightVariances: Array(repeating: 512, count: 200), biasVariance: 0, inputSecondMoment: 1)
    #expect(reluBlowUp[199].preactivationSecondMoment == .infinity)
    #expect(MeanFieldMap(activation: .relu, weightVariance: 512).fixedPoint(startingAt: 512) == nil)
    #expect(MeanField.predict(activation: .relu, widths: [4, 4], weightVariances: [], biasVariance: 0, inputSecondMoment: 1).isEmpty)
}

@Test func scenarioHelpers() {
    let scenario = Scenario(activation: .tanh, depth: 10, width: 256, batch: 8, seed: 1,
                            initializers: [NamedInitializer(name: "xavier", initializer: .xavierNormal(gain: 1))])
    let theory = MeanField.predict(scenario: scenario, initializer: .xavierNormal(gain: 1))
    #expect(theory.count == 10)
    #expect(Swift.abs(theory[1].preactivationSecondMoment - 0.3942944904) < 1e-7)
    #expect(theory.allSatisfy { $0.gradientSecondMoment != nil })
    // tanh with he (gain 5/3): chi_1 = 1.20983 at q* and depth scale -1/ln chi_1 (negative: gradients grow).
    #expect(Swift.abs((MeanField.chi1(scenario: scenario, initializer: .heNormal(mode: .fanIn, gain: nil)) ?? 0) - 1.20983132038) < 1e-9)
    #expect(Swift.abs((MeanField.depthScale(scenario: scenario, initializer: .heNormal(mode: .fanIn, gain: nil)) ?? 0) + 1 / Foundation.log(1.20983132038)) < 1e-6)
    // ReLU/He is critical: chi_1 = 1, depth scale undefined (infinite) -> nil.
    var relu = scenario; relu.activation = .relu
    #expect(Swift.abs((MeanField.chi1(scenario: relu, initializer: .heNormal(mode: .fanIn, gain: nil)) ?? 0) - 1) < 1e-15)
    #expect(MeanField.depthScale(scenario: relu, initializer: .heNormal(mode: .fanIn, gain: nil)) == nil)
    #expect(Swift.abs((MeanField.depthScale(scenario: relu, initializer: .xavierNormal(gain: 1)) ?? 0) - 1 / Foundation.log(2)) < 1e-12)
}

@Test func predictionSeededWithMeasuredFirstLayer() {
    // Seeding q^1 = 0.95 on a tanh/Xavier net: q^2 = E[tanh^2(sqrt(0.95) z)], independent of the input moment.
    let seeded = MeanField.predictLayers(activation: .tanh, widths: [64, 64, 64], weightVariances: [1, 1], biasVariance: 0,
                                         inputSecondMoment: 2, firstLayerSecondMoment: 0.95)
    #expect(seeded[0].preactivationSecondMoment == 0.95)
    #expect(Swift.abs(seeded[1].preactivationSecondMoment - GaussianExpectation.squaredValue(.tanh, q: 0.95)) < 1e-15)
    #expect(seeded[0].weightGradientSecondMoment == seeded[0].gradientSecondMoment * 2)
    let unseeded = MeanField.predictLayers(activation: .tanh, widths: [64, 64, 64], weightVariances: [1, 1], biasVariance: 0,
                                           inputSecondMoment: 2, firstLayerSecondMoment: nil)
    #expect(unseeded[0].preactivationSecondMoment == 2)
}

@Test func fixedPointSearchRejectsUnstableRootsAndFindsSlowOnes() {
    // SELU with sigma_w^2 = 2 grows ~1.1x per layer for ever: no finite fixed point (q = 0 is a repelling root).
    #expect(MeanFieldMap(activation: .selu, weightVariance: 2).fixedPoint(startingAt: 2) == nil)
    // tanh at sigma_w^2 = 1 decays like 1/(2l): q* = 0 (power law, reached through the Newton phase).
    #expect(MeanFieldMap(activation: .tanh, weightVariance: 1).fixedPoint(startingAt: 1) == 0)
    // ReLU/He: every q is fixed; the start is returned. ReLU/Xavier decays to 0 with chi_1 = 1/2 (limit q -> 0+).
    #expect(MeanFieldMap(activation: .relu, weightVariance: 2).fixedPoint(startingAt: 3.5) == 3.5)
    let xavier = MeanFieldMap(activation: .relu, weightVariance: 1).analysis(startingAt: 1)
    #expect(xavier.fixedPoint == 0 && xavier.chi1 == 0.5 && xavier.phase == .ordered)
    // ReLU with bias below criticality: q* = sigma_b^2 / (1 - sigma_w^2 / 2), xi_q = -1/ln(sigma_w^2/2).
    let biased = MeanFieldMap(activation: .relu, weightVariance: 1.5, biasVariance: 0.1).analysis(startingAt: 1)
    #expect(Swift.abs((biased.fixedPoint ?? 0) - 0.4) < 1e-12)
    #expect(Swift.abs((biased.lengthDepthScale ?? 0) + 1 / Foundation.log(0.75)) < 1e-9)
    // GELU with sigma_w^2 = 2 decays (gelu(x) ~ x/2 near 0): q* = 0, chi_1 = 2 gelu'(0)^2 = 1/2.
    let gelu = MeanFieldMap(activation: .gelu, weightVariance: 2).analysis(startingAt: 2)
    #expect(gelu.fixedPoint == 0 && Swift.abs(gelu.chi1 - 0.5) < 1e-15)
}

@Test func lsuvPredictionIsUnitVarianceAtEveryLayer() {
    // LSUV (pre-activation, converged): q^l = 1 everywhere; ReLU chi_1 = 1; tanh chi_1 = E[sech^4]/E[tanh^2] at q = 1.
    for activation in [Activation.relu, .tanh, .gelu, .selu] {
        let scenario = Scenario(activation: activation, depth: 12, width: 128, batch: 4, seed: 1,
                                initializers: [NamedInitializer(name: "lsuv", initializer: .lsuv(tolerance: 0.1, maxIterations: 10))])
        let theory = MeanField.predict(scenario: scenario, initializer: .lsuv(tolerance: 0.1, maxIterations: 10), inputSecondMoment: 1.3)
        #expect(theory.allSatisfy { Swift.abs($0.preactivationSecondMoment - 1) < 1e-12 }, "\(activation.name)")
    }
    var tanh = Scenario(activation: .tanh, depth: 12, width: 128, batch: 4, seed: 1, initializers: [])
    let analysis = MeanField.analysis(scenario: tanh, initializer: .lsuv(tolerance: 0.1, maxIterations: 10))
    #expect(Swift.abs((analysis?.fixedPoint ?? 0) - 1) < 1e-9)
    #expect(Swift.abs((analysis?.chi1 ?? 0) - 0.464402902448268 / 0.394294490397841) < 1e-6)
    tanh.activation = .relu
    #expect(Swift.abs((MeanField.chi1(scenario: tanh, initializer: .lsuv(tolerance: 0.1, maxIterations: 10)) ?? 0) - 1) < 1e-12)
    // Bias variance 0.2: sigma_w^2 = 0.8 / E[x^2]; bias variance >= 1 cannot be reached by scaling W.
    #expect(MeanField.lsuvWeightVariances(activation: .relu, depth: 2, biasVariance: 0.2, inputSecondMoment: 1) == [0.8, 1.6])
    #expect(MeanField.lsuvWeightVariances(activation: .relu, depth: 2, biasVariance: 1.5, inputSecondMoment: 1) == [1, 1])
}

@Test func correlationFixedPointWithBiasAndCheapAnalysis() {
    // tanh sigma_w^2 = 3, sigma_b^2 = 0.3 (chaotic: the edge is at 2.505): c* in (0, 1) is a fixed point of the
    // correlation map, and the cheap analysis (no correlation) agrees on everything else.
    let map = MeanFieldMap(activation: .tanh, weightVariance: 3, biasVariance: 0.3)
    let full = map.analysis(startingAt: 3)
    let cStar = full.correlationFixedPoint ?? .nan
    #expect(cStar > 0 && cStar < 1)
    #expect(Swift.abs(map.correlation(cStar, q: full.fixedPoint ?? .nan) - cStar) < 1e-10)
    let cheap = map.analysis(startingAt: 3, includeCorrelation: false)
    #expect(cheap.fixedPoint == full.fixedPoint && cheap.chi1 == full.chi1 && cheap.lengthDepthScale == full.lengthDepthScale)
    #expect(cheap.correlationFixedPoint == nil && cheap.correlationDepthScale == nil)
    // In the ordered phase c* = 1 and xi_c = -1/ln chi_1 even without the correlation search.
    let ordered = MeanFieldMap(activation: .tanh, weightVariance: 1.5, biasVariance: 0.05).analysis(includeCorrelation: false)
    #expect(ordered.correlationFixedPoint == 1 && Swift.abs((ordered.correlationDepthScale ?? 0) - 15.79) < 6e-3)
}
