// The input-output Jacobian's spectrum against reference section 3.9: orthogonal linear networks (every singular
// value g^l), Gaussian linear networks (m_1 = sigma_w^(2l), Fuss-Catalan m_2 / m_1^2 = l + 1), nonlinear networks
// (m_1 follows the product of chi_1), orthogonal + tanh near criticality against Gaussian, and the Jacobian itself
// against central finite differences in Double.
// Legend: n = width, l = layers, lambda = squared singular values.
import Foundation
import Testing
@testable import SignalFlow

@Test(arguments: [1, 7, 30])
func aLinearOrthogonalNetworkHasEverySingularValueGainToTheL(layers: Int) {
    let gain = 1.1, n = 64
    let spectrum = InputOutputJacobian.spectrum(weights: squareLayerWeights(.orthogonal(gain: gain), layers: layers, width: n),
                                                activation: .linear, input: gaussianInput(n))
    let expected = Double(layers) * log10(gain)
    // Float32 weights: orthogonal to ~1e-6 each, so sigma within 1e-5 * l relative (log10(1 + e) ~ e / ln 10).
    let tolerance = 1e-5 * Double(layers) / log(10.0)
    #expect(spectrum.log10SingularValues.count == n)
    for value in spectrum.log10SingularValues { #expect(abs(value - expected) <= tolerance, "log10 sigma \(value)") }
    let last = spectrum.layers[layers - 1]
    #expect(abs(last.log10MeanSquaredSingularValue - 2 * expected) <= 2 * tolerance)
    #expect(abs(last.normalizedSpread) <= 1e-4 * Double(layers))
}

@Test(arguments: [1, 5, 10, 20])
func aLinearGaussianNetworkFollowsFussCatalan(layers: Int) {
    let n = 512, sigmaW2 = 1.3
    let spectrum = InputOutputJacobian.spectrum(
        weights: squareLayerWeights(.normal(std: (sigmaW2 / Double(n)).squareRoot()), layers: layers, width: n),
        activation: .linear, input: gaussianInput(n))
    for moments in spectrum.layers {
        let l = Double(moments.layer)
        // m_1 = sigma_w^(2l). Given M_{k-1}, ||M W_k||_F^2 has relative variance 2 (m_2 / m_1^2) / n^2 = 2k / n^2,
        // so one draw's relative sd after l layers is sqrt(l (l + 1)) / n (NumPy, 12 draws at n = 256: log10 m_1
        // sd 0.0068, 0.0121, 0.0432 at l = 5, 10, 20, against 0.0065, 0.0179, 0.0356). Five standard errors.
        let log10Tolerance = 5 * (l * (l + 1)).squareRoot() / Double(n) / log(10.0)
        #expect(abs(moments.log10MeanSquaredSingularValue - l * log10(sigmaW2)) <= log10Tolerance,
                "layer \(moments.layer): log10 m1 \(moments.log10MeanSquaredSingularValue)")
        // m_2 / m_1^2 = l + 1. One draw's (m_2 / m_1^2) / (l + 1) has sd about l / n (NumPy, 12 draws at n = 256:
        // 0.022, 0.032, 0.081 at l = 5, 10, 20); five of them (the reference's flat 10% is 1.2 sd at l = 20).
        let spreadTolerance = 5 * l / Double(n)
        #expect(abs((moments.normalizedSpread + 1) / (l + 1) - 1) <= spreadTolerance,
                "layer \(moments.layer): m2/m1^2 \(moments.normalizedSpread + 1)")
    }
}

@Test(arguments: [Initializer.xavierNormal(gain: 1), .orthogonal(gain: nil), .normal(std: 0.08)])
func aTanhNetworksMeanSquaredSingularValueFollowsTheProductOfChi1(initializer: Initializer) {
    let n = 512, layers = 10
    let w = squareLayerWeights(initializer, layers: layers, width: n, activation: .tanh)
    let x0 = gaussianInput(n)
    let spectrum = InputOutputJacobian.spectrum(weights: w, activation: .tanh, input: x0)
    // Mean field: q^1 = sigma_w^2 mean(x0^2), q^{k+1} = sigma_w^2 E[tanh^2] and m_1 = prod_k sigma_w^2 E[tanh'^2](q^k).
    let sigmaW2 = Double(n) * w.map { $0.elements.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(n * n) }
        .reduce(0, +) / Double(layers)
    let map = MeanFieldMap(activation: .tanh, weightVariance: sigmaW2)
    var q = sigmaW2 * x0.reduce(0) { $0 + $1 * $1 } / Double(n)
    var log10Product = 0.0
    for moments in spectrum.layers {
        log10Product += log10(map.chi(q))
        q = map.length(q)
        // Each layer's empirical E[phi'^2] over n units has relative sd ~ 0.5 / sqrt(n) (2.2%), plus W's own
        // sqrt(2)/n: five standard errors of the sum over l layers.
        let tolerance = 5 * (Double(moments.layer)).squareRoot() * (0.5 / Double(n).squareRoot()) / log(10.0)
        #expect(abs(moments.log10MeanSquaredSingularValue - log10Product) <= tolerance,
                "layer \(moments.layer): \(moments.log10MeanSquaredSingularValue) vs mean field \(log10Product)")
    }
}

@Test func orthogonalTanhNearCriticalityStaysConcentratedWhileGaussianSpreads() {
    // sigma_w^2 = 1.05, sigma_b = 0, small inputs (q* -> 0): Pennington et al. 2017's dynamical isometry.
    let n = 256, layers = 100, gain = 1.05.squareRoot()
    let x0 = gaussianInput(n).map { $0 * 0.1 }
    let orthogonal = InputOutputJacobian.spectrum(weights: squareLayerWeights(.orthogonal(gain: gain), layers: layers, width: n),
                                                  activation: .tanh, input: x0)
    let gaussian = InputOutputJacobian.spectrum(
        weights: squareLayerWeights(.normal(std: gain / Double(n).squareRoot()), layers: layers, width: n), activation: .tanh, input: x0)
    let orthogonalSpread = orthogonal.layers[layers - 1].normalizedSpread
    let gaussianSpread = gaussian.layers[layers - 1].normalizedSpread
    #expect(orthogonalSpread * 10 < gaussianSpread, "orthogonal \(orthogonalSpread), Gaussian \(gaussianSpread)")
    #expect(gaussianSpread > 10, "Gaussian spread \(gaussianSpread) at depth 100")
}

@Test func theJacobianMatchesCentralFiniteDifferences() {
    // A 3 -> 4 -> 2 tanh network with biases, in Double: singular values of the finite-difference Jacobian.
    let w1 = Matrix(rows: 3, cols: 4, elements: [0.5, -0.3, 0.8, 0.1, -0.7, 0.2, 0.4, -0.6, 0.3, 0.9, -0.2, 0.5])
    let w2 = Matrix(rows: 4, cols: 2, elements: [0.6, -0.4, 0.1, 0.7, -0.8, 0.3, 0.5, 0.2])
    let b1 = Matrix(rows: 1, cols: 4, elements: [0.1, -0.2, 0.05, 0.3])
    let b2 = Matrix(rows: 1, cols: 2, elements: [-0.1, 0.2])
    let x0 = [0.4, -1.1, 0.7]
    func forward(_ x: [Double]) -> [Double] {
        var v = x
        for (w, b) in [(w1, b1), (w2, b2)] {
            let e = w.elements.map(Double.init), bias = b.elements.map(Double.init)
            v = (0..<w.cols).map { j in Activation.tanh.value((0..<w.rows).reduce(bias[j]) { $0 + v[$1] * e[$1 * w.cols + j] }) }
        }
        return v
    }
    let step = 1e-6
    var jacobian = [Double](repeating: 0, count: 3 * 2)   // rows: inputs, columns: outputs (row-vector convention)
    for i in 0..<3 {
        var plus = x0, minus = x0
        plus[i] += step; minus[i] -= step
        let up = forward(plus), down = forward(minus)
        for j in 0..<2 { jacobian[i * 2 + j] = (up[j] - down[j]) / (2 * step) }
    }
    let expected = InputOutputJacobian.singularValuesOf(jacobian, rows: 3, cols: 2).map(log10)
    let spectrum = InputOutputJacobian.spectrum(weights: [w1, w2], biases: [b1, b2], activation: .tanh, input: x0)
    #expect(spectrum.log10SingularValues.count == 2)
    for (value, reference) in zip(spectrum.log10SingularValues, expected) {
        #expect(abs(value - reference) <= 1e-8, "\(value) vs finite differences \(reference)")
    }
    // Layer 1 alone: J_1 = W_1 D_1 has m_1 = ||W_1 D_1||_F^2 / 3.
    let e1 = w1.elements.map(Double.init), bias1 = b1.elements.map(Double.init)
    var m1 = 0.0
    for j in 0..<4 {
        var h = bias1[j]
        for i in 0..<3 { h += x0[i] * e1[i * 4 + j] }
        let d = Activation.tanh.derivative(h)
        for i in 0..<3 { m1 += (e1[i * 4 + j] * d) * (e1[i * 4 + j] * d) }
    }
    m1 /= 3
    #expect(abs(spectrum.layers[0].log10MeanSquaredSingularValue - log10(m1)) <= 1e-12)
}

@Test func aScenariosSpectrumUsesTheRunsWeightsAndRefusesNothingItCanRun() throws {
    // LSUV's calibrated weights come from the batch: the scenario path must give the same spectrum as the weights
    // of the experiment's own workspace after a run.
    let scenario = Scenario(activation: .tanh, depth: 6, width: 32, batch: 16, seed: 4,
                            initializers: [NamedInitializer(name: "lsuv", initializer: .lsuv(tolerance: 0.1, maxIterations: 10))])
    let spectrum = try #require(try InputOutputJacobian.spectrum(scenario: scenario, initializer: scenario.initializers[0]))
    let experiment = try Experiment(scenario: scenario)
    _ = experiment.run { _ in }
    let workspace = try #require(experiment.workspace)
    let direct = InputOutputJacobian.spectrum(weights: workspace.weights, activation: .tanh,
                                              input: workspace.activations[0].elements.prefix(32).map(Double.init))
    #expect(spectrum == direct)
    #expect(spectrum.layers.count == 6 && spectrum.singularValueLayer == 6)
}

@Test func aRankTwoJacobianGivesTwoSingularValuesAndCountsTheRestAsUnresolved() {
    // 64 -> 2 -> 64 linear: J = W_1 W_2 has rank 2; its other 62 singular values are rounding, not the network.
    var random = RandomSource(seed: 5, stream: 1)
    let w1 = Matrix(rows: 64, cols: 2), w2 = Matrix(rows: 2, cols: 64)
    random.fillNormal(w1.buffer); random.fillNormal(w2.buffer)
    let spectrum = InputOutputJacobian.spectrum(weights: [w1, w2], activation: .linear, input: gaussianInput(64))
    #expect(spectrum.log10SingularValues.count == 2 && spectrum.unresolvedCount == 62)
    #expect(spectrum.log10ResolutionFloor < spectrum.log10SingularValues[1])
    #expect(abs(spectrum.log10ResolutionFloor - (spectrum.log10SingularValues[0] + log10(64 * 2 * Double.ulpOfOne))) < 1e-12)
}
