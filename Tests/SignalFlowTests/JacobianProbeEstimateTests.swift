// The probe estimate of J's moments (reference 3.9) against the exact path and the closed forms: an orthogonal
// linear network (m_1 = g^(2l), spread exactly 0 up to float rounding), a Gaussian linear network (Fuss-Catalan:
// m_2 / m_1^2 = l + 1), and the SVD's moments of the same weights at widths the SVD handles, with tolerances from
// the estimator's standard error computed from the true eigenvalues (not from the probes).
// Legend: n = width, l = layers, k = probes, lambda = squared singular values, r = v A v^T for a unit probe v.
import Foundation
import Testing
@testable import SignalFlow

private func estimate(_ w: [Matrix], activation: Activation, input x0: [Double], probes: Int = 128, seed: UInt64 = 11) -> JacobianSpectrum {
    InputOutputJacobian.probeEstimate(depth: w.count, activation: activation, input: x0, probeCount: probes, seed: seed) { k in
        (w[k - 1], nil)
    }!
}

/// The standard errors the estimator has for eigenvalues with power sums p_j = sum lambda^j (j = 1...4) in n
/// dimensions and k probes, from the exact distribution of r = v A v^T, v uniform on the sphere: r = Q / |z|^2
/// with Q = z A z^T (z ~ N(0, I)) independent of |z|^2, so E r^j = E Q^j / (n (n + 2) ... (n + 2j - 2)), and Q's
/// cumulants are 2^(j-1) (j-1)! p_j. Returns se(m_1) / m_1 and se(spread) (the delta method, as the estimator).
private func theoreticalErrors(powerSums p: [Double], width n: Int, probes k: Int) -> (mean: Double, spread: Double) {
    let c = [p[0], 2 * p[1], 8 * p[2], 48 * p[3]]
    let q1 = c[0], q2 = c[1] + c[0] * c[0], q3 = c[2] + 3 * c[1] * c[0] + pow(c[0], 3)
    let q4 = c[3] + 4 * c[2] * c[0] + 3 * c[1] * c[1] + 6 * c[1] * c[0] * c[0] + pow(c[0], 4)
    let nd = Double(n)
    let r1 = q1 / nd, r2 = q2 / (nd * (nd + 2)), r3 = q3 / (nd * (nd + 2) * (nd + 4)), r4 = q4 / (nd * (nd + 2) * (nd + 4) * (nd + 6))
    let mu2 = r2 - r1 * r1
    let mu3 = r3 - 3 * r1 * r2 + 2 * pow(r1, 3)
    let mu4 = r4 - 4 * r1 * r3 + 6 * r1 * r1 * r2 - 3 * pow(r1, 4)
    let spread = (nd + 2) * mu2 / (2 * r1 * r1)
    let relative = ((mu4 - mu2 * mu2) / (mu2 * mu2) + 4 * mu2 / (r1 * r1) - 4 * mu3 / (mu2 * r1)) / Double(k)
    return ((mu2 / Double(k)).squareRoot() / r1, spread * max(0, relative).squareRoot())
}

@Test(arguments: [1, 7, 30])
func aLinearOrthogonalNetworksEstimateIsGainToThe2lWithNoSpread(layers: Int) {
    let gain = 1.1, n = 64
    let result = estimate(squareLayerWeights(.orthogonal(gain: gain), layers: layers, width: n), activation: .linear, input: gaussianInput(n))
    #expect(result.method == .probes(128) && result.log10SingularValues.isEmpty)
    let last = result.layers[layers - 1]
    // Every probe keeps its length times g^l: r = g^(2l) up to float32 rounding of the products (1e-5 * l relative,
    // as the exact path's test), so the spread is at most (n + 2) / 2 * (1e-5 l)^2.
    #expect(abs(last.log10MeanSquaredSingularValue - 2 * Double(layers) * log10(gain)) <= 2e-5 * Double(layers) / log(10.0))
    let bound = Double(n + 2) / 2 * pow(1e-5 * Double(layers), 2)
    #expect(last.normalizedSpread >= 0 && last.normalizedSpread <= bound, "spread \(last.normalizedSpread)")
    #expect((last.spreadStandardError ?? .nan) <= bound)
}

@Test(arguments: [(Initializer.xavierNormal(gain: 1), Activation.tanh, 10), (.normal(std: (1.3 / 256.0).squareRoot()), .linear, 5),
                  (.heNormal(mode: .fanIn, gain: nil), .relu, 10)])
func theEstimateAgreesWithTheSVDsMomentsWithinItsStandardError(initializer: Initializer, activation: Activation, layers: Int) {
    let n = 256, k = 128
    let w = squareLayerWeights(initializer, layers: layers, width: n, activation: activation)
    let x0 = gaussianInput(n)
    let exact = InputOutputJacobian.spectrum(weights: w, activation: activation, input: x0)
    let probe = estimate(w, activation: activation, input: x0, probes: k)
    let exactLast = exact.layers[layers - 1], probeLast = probe.layers[layers - 1]
    // lambda / m_1 from the singular values (the unresolved ones are ~0 and add nothing to the power sums).
    let lambda = exact.log10SingularValues.map { pow(10, 2 * $0 - exactLast.log10MeanSquaredSingularValue) }
    let powerSums = (1...4).map { j in lambda.reduce(0) { $0 + pow($1, Double(j)) } }
    let errors = theoreticalErrors(powerSums: powerSums, width: n, probes: k)
    // Four standard errors (a deterministic draw; the errors come from the true spectrum, not from the probes).
    let meanRatio = pow(10, probeLast.log10MeanSquaredSingularValue - exactLast.log10MeanSquaredSingularValue)
    #expect(abs(meanRatio - 1) <= 4 * errors.mean, "m_1 ratio \(meanRatio), se \(errors.mean)")
    #expect(abs(probeLast.normalizedSpread - exactLast.normalizedSpread) <= 4 * errors.spread,
            "spread \(probeLast.normalizedSpread) vs exact \(exactLast.normalizedSpread), se \(errors.spread)")
    // The standard errors the estimate reports (from its own probes) are the true ones within a factor 2.
    let reportedMean = probeLast.meanRelativeStandardError ?? .nan, reportedSpread = probeLast.spreadStandardError ?? .nan
    #expect(reportedMean / errors.mean > 0.5 && reportedMean / errors.mean < 2, "se(m_1) \(reportedMean) vs \(errors.mean)")
    #expect(reportedSpread / errors.spread > 0.5 && reportedSpread / errors.spread < 2, "se(spread) \(reportedSpread) vs \(errors.spread)")
}

@Test func aLinearGaussianNetworksEstimateFollowsFussCatalan() {
    let n = 512, sigmaW2 = 1.3, depth = 20, k = 128
    let result = estimate(squareLayerWeights(.normal(std: (sigmaW2 / Double(n)).squareRoot()), layers: depth, width: n),
                          activation: .linear, input: gaussianInput(n), probes: k)
    for l in [1, 5, 10, 20] {
        let moments = result.layers[l - 1], ld = Double(l)
        // Fuss-Catalan moments of lambda / sigma_w^(2l): m_j = C((l + 1) j, j) / (l j + 1); power sums n m_j.
        func binomial(_ a: Int, _ b: Int) -> Double { (0..<b).reduce(1.0) { $0 * Double(a - $1) / Double($1 + 1) } }
        let fussCatalan = (1...4).map { j in binomial((l + 1) * j, j) / Double(l * j + 1) }
        let errors = theoreticalErrors(powerSums: fussCatalan.map { Double(n) * $0 }, width: n, probes: k)
        // The draw's own fluctuation (see aLinearGaussianNetworkFollowsFussCatalan): log10 m_1 sd sqrt(l (l + 1)) / n
        // / ln 10; m_2 / m_1^2 sd (l + 1) l / n. Five of those and four of the estimator's, added in quadrature.
        let log10Tolerance = (pow(5 * (ld * (ld + 1)).squareRoot() / Double(n), 2) + pow(4 * errors.mean, 2)).squareRoot() / log(10.0)
        #expect(abs(moments.log10MeanSquaredSingularValue - ld * log10(sigmaW2)) <= log10Tolerance,
                "layer \(l): log10 m1 \(moments.log10MeanSquaredSingularValue), tolerance \(log10Tolerance)")
        let spreadTolerance = (pow(5 * (ld + 1) * ld / Double(n), 2) + pow(4 * errors.spread, 2)).squareRoot()
        #expect(abs(moments.normalizedSpread - ld) <= spreadTolerance,
                "layer \(l): spread \(moments.normalizedSpread) vs \(ld), tolerance \(spreadTolerance)")
    }
}

@Test func aDeadNetworkEstimatesZeroAndNoSpread() {
    // ReLU with zero weights: every unit dead from layer 1, J = 0.
    let result = estimate(squareLayerWeights(.zeros, layers: 3, width: 16), activation: .relu, input: gaussianInput(16))
    #expect(result.layers.allSatisfy { $0.log10MeanSquaredSingularValue == -.infinity && $0.normalizedSpread.isNaN })
}

@Test(arguments: [(Initializer.lsuv(tolerance: 0.1, maxIterations: 10), 0.0, 16), (.xavierNormal(gain: 1), 0.1, 16), (.heUniform(mode: .fanIn, gain: nil), 0.2, 1)])
func aScenariosEstimateUsesTheRunsWeightsOneLayerAtATime(initializer: Initializer, biasStd: Double, batch: Int) throws {
    // An odd width (the input's last draw), biases, LSUV's calibration on the batch: the scenario path, which draws
    // one layer at a time, gives what the engine's own weights and input give.
    let named = NamedInitializer(name: "row", initializer: initializer)
    var scenario = Scenario(activation: .tanh, depth: 5, width: 33, batch: batch, seed: 4, initializers: [named])
    scenario.biasStandardDeviation = biasStd
    let experiment = try Experiment(scenario: scenario)
    _ = experiment.run { _ in }
    let workspace = try #require(experiment.workspace)
    let x0 = workspace.activations[0].elements.prefix(33).map(Double.init)
    let viaScenario = try #require(try InputOutputJacobian.spectrum(scenario: scenario, initializer: named, method: .probes(64)))
    let direct = InputOutputJacobian.probeEstimate(depth: 5, activation: .tanh, input: x0, probeCount: 64, seed: 4) { k in
        (workspace.weights[k - 1], workspace.biases.isEmpty ? nil : workspace.biases[k - 1])
    }
    #expect(viaScenario == direct)
    let exact = try #require(try InputOutputJacobian.spectrum(scenario: scenario, initializer: named))
    #expect(exact == InputOutputJacobian.spectrum(weights: workspace.weights, biases: workspace.biases, activation: .tanh, input: x0))
    #expect(exact.method == .singularValues)
}

@Test func widerThanTheSVDsLimitTheDefaultIsTheProbeEstimate() throws {
    let at = Scenario(activation: .tanh, depth: 2, width: 1024, batch: 1, seed: 1, initializers: [])
    let above = Scenario(activation: .tanh, depth: 2, width: 1025, batch: 1, seed: 1, initializers: [])
    #expect(InputOutputJacobian.defaultMethod(at) == .singularValues)
    #expect(InputOutputJacobian.defaultMethod(above) == .probes(InputOutputJacobian.defaultProbeCount))
}
