// Each optimizer's update against its formula, written out by hand, on a two-parameter problem for three steps
// with fixed gradients; SGD on a quadratic against its analytic rate. Double throughout.
// Legend: p = (p1, p2), g_t = the step's gradient, lr = 0.1.
import Foundation
import Testing
@testable import SignalFlow

private let fixedGradients: [[Double]] = [[0.5, -2.0], [0.25, 1.0], [-1.0, 0.5]]

private func optimize(_ kind: OptimizerSettings.Kind, from start: [Double] = [1.0, -0.5], lr: Double = 0.1) -> [[Double]] {
    var state = OptimizerState<Double>(settings: OptimizerSettings(kind: kind))
    var parameters = [start]
    var trajectory: [[Double]] = []
    for g in fixedGradients {
        state.update(&parameters, gradients: [g], learningRate: lr)
        trajectory.append(parameters[0])
    }
    return trajectory
}

private func expectClose(_ a: [[Double]], _ b: [[Double]], _ what: String) {
    for (t, (x, y)) in zip(a, b).enumerated() {
        for i in 0..<2 { #expect(abs(x[i] - y[i]) < 1e-14, "\(what) step \(t + 1) p\(i + 1): \(x[i]) expected \(y[i])") }
    }
}

@Test func sgdStepsAreMinusRateTimesGradient() {
    // p1: 1 - .05 = .95, - .025 = .925, + .1 = 1.025; p2: -.5 + .2 = -.3, - .1 = -.4, - .05 = -.45.
    expectClose(optimize(.sgd), [[0.95, -0.3], [0.925, -0.4], [1.025, -0.45]], "sgd")
}

@Test func momentumKeepsABufferStartingAtTheFirstGradient() {
    // b1 = g1; b2 = .9 b1 + g2; b3 = .9 b2 + g3; p -= .1 b.
    let b1 = [0.5, -2.0], b2 = [0.9 * 0.5 + 0.25, 0.9 * -2.0 + 1.0], b3 = [0.9 * b2[0] - 1.0, 0.9 * b2[1] + 0.5]
    let p1 = [1.0 - 0.1 * b1[0], -0.5 - 0.1 * b1[1]]
    let p2 = [p1[0] - 0.1 * b2[0], p1[1] - 0.1 * b2[1]]
    let p3 = [p2[0] - 0.1 * b3[0], p2[1] - 0.1 * b3[1]]
    expectClose(optimize(.momentum), [p1, p2, p3], "momentum")
}

/// Adam by hand: bias-corrected moments, p -= lr mhat / (sqrt(vhat) + eps); AdamW first multiplies p by 1 - lr wd.
private func adamByHand(decay: Double) -> [[Double]] {
    var p = [1.0, -0.5], m = [0.0, 0.0], v = [0.0, 0.0]
    var out: [[Double]] = []
    for (index, g) in fixedGradients.enumerated() {
        let t = Double(index + 1)
        for i in 0..<2 {
            p[i] *= 1 - 0.1 * decay
            m[i] = 0.9 * m[i] + 0.1 * g[i]
            v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
            let mHat = m[i] / (1 - pow(0.9, t)), vHat = v[i] / (1 - pow(0.999, t))
            p[i] -= 0.1 * mHat / (vHat.squareRoot() + 1e-8)
        }
        out.append(p)
    }
    return out
}

@Test func adamCorrectsTheBiasOfBothMoments() {
    let adam = optimize(.adam)
    expectClose(adam, adamByHand(decay: 0), "adam")
    // Step 1 with bias correction is lr * sign(g) (to eps): 1 - .1, -.5 + .1.
    #expect(abs(adam[0][0] - 0.9) < 1e-7 && abs(adam[0][1] + 0.4) < 1e-7)
}

@Test func adamWDecaysTheWeightsApartFromTheGradient() {
    let adamW = optimize(.adamw)
    expectClose(adamW, adamByHand(decay: 0.01), "adamw")
    // The decay is decoupled: with zero gradients Adam leaves p alone, AdamW shrinks it by (1 - lr wd) per step.
    var state = OptimizerState<Double>(settings: OptimizerSettings(kind: .adamw))
    var parameters = [[2.0, -4.0]]
    for _ in 0..<3 { state.update(&parameters, gradients: [[0, 0]], learningRate: 0.1) }
    #expect(abs(parameters[0][0] - 2 * pow(0.999, 3)) < 1e-14 && abs(parameters[0][1] + 4 * pow(0.999, 3)) < 1e-14)
}

@Test func sgdOnAQuadraticConvergesAtTheAnalyticRate() {
    // f = (a p1^2 + b p2^2) / 2: p_t = (1 - lr a)^t p_0 per coordinate.
    let curvature = [1.0, 4.0], lr = 0.2
    var state = OptimizerState<Double>(settings: OptimizerSettings(kind: .sgd))
    var parameters = [[1.0, 1.0]]
    for t in 1...40 {
        let g = [curvature[0] * parameters[0][0], curvature[1] * parameters[0][1]]
        state.update(&parameters, gradients: [g], learningRate: lr)
        for i in 0..<2 {
            let expected = pow(1 - lr * curvature[i], Double(t))
            #expect(abs(parameters[0][i] - expected) <= 1e-12 * max(abs(expected), 1e-300) + 1e-300,
                    "step \(t) p\(i + 1): \(parameters[0][i]) expected \(expected)")
        }
    }
    #expect(abs(parameters[0][0] - pow(0.8, 40)) < 1e-15)   // 1.3e-4: converged at rate 0.8 per step
}

@Test func warmUpRisesLinearlyToThePeakRate() {
    var configuration = TrainingConfiguration(task: .teacher(noise: 0), optimizer: OptimizerSettings(kind: .sgd),
                                              learningRate: 0.4, steps: 10)
    configuration.warmupSteps = 4
    #expect([1, 2, 3, 4, 5].map { configuration.learningRate(atStep: $0) } == [0.1, 0.2, 0.30000000000000004, 0.4, 0.4])
}
