// The trainer's backward pass in Double against central finite differences of its own forward + loss, for every
// parameter (hidden weights and biases, read-out weights and bias), for MSE (teacher) and softmax cross-entropy
// (mixture). Legend: widths [4, 5, 3], batch B = 3, outputs 1 (teacher) or K = 3 (mixture); eps = 1e-6.
import Foundation
import Testing
@testable import SignalFlow

private let gradientCheckActivations: [Activation] = [.tanh, .relu, .gelu, .sigmoid, .selu]

private func checkGradients(task: TrainingTask, activation: Activation) throws {
    let scenario = Scenario(activation: activation, widths: [4, 5, 3], batch: 3, seed: 11, biasStandardDeviation: 0.5,
                            initializers: [NamedInitializer(name: "xavier", initializer: try Initializer.parse("xavier"))])
    var network = TrainableMLP<Double>.initialized(scenario: scenario, initializer: scenario.initializers[0].initializer,
                                                   outputs: task.outputCount, calibration: nil, threads: 1)
    // Move the read-out bias off zero so its gradient is checked at a generic point.
    network.parameters[network.parameters.count - 1] = (0..<task.outputCount).map { 0.1 * Double($0 + 1) }
    var random = RandomSource(seed: 11, stream: TrainingStreams.trainingBatches)
    let batch: TrainingBatch<Double> = TaskGenerator(task: task, inputWidth: 4, seed: 11).batch(rows: 3, random: &random)
    func loss(_ net: TrainableMLP<Double>) -> Double {
        TrainingLoss.evaluate(task, outputs: net.forward(batch.inputs, rows: 3).outputs, batch: batch, withGradient: false).loss
    }
    let forward = network.forward(batch.inputs, rows: 3)
    let evaluation = TrainingLoss.evaluate(task, outputs: forward.outputs, batch: batch, withGradient: true)
    let gradients = network.backward(forward, outputGradient: evaluation.outputGradient)
    #expect(gradients.count == 6)
    let eps = 1e-6
    var checked = 0
    for p in network.parameters.indices {
        for i in network.parameters[p].indices {
            var plus = network, minus = network
            plus.parameters[p][i] += eps; minus.parameters[p][i] -= eps
            let numeric = (loss(plus) - loss(minus)) / (2 * eps)
            let analytic = gradients[p][i]
            #expect(abs(numeric - analytic) <= 1e-7 + 1e-6 * abs(numeric),
                    "\(task.name) \(activation.name): parameter \(p)[\(i)] analytic \(analytic) numeric \(numeric)")
            checked += 1
        }
    }
    #expect(checked == 4 * 5 + 5 + 5 * 3 + 3 + 3 * task.outputCount + task.outputCount)
    #expect(gradients.joined().contains { abs($0) > 1e-3 }, "a check of all-zero gradients would prove nothing")
}

@Test(arguments: gradientCheckActivations)
func meanSquaredErrorGradientsMatchCentralFiniteDifferences(activation: Activation) throws {
    try checkGradients(task: .teacher(noise: 0.1), activation: activation)
}

@Test(arguments: gradientCheckActivations)
func crossEntropyGradientsMatchCentralFiniteDifferences(activation: Activation) throws {
    try checkGradients(task: .mixture(classes: 3), activation: activation)
}

@Test func crossEntropyOfKnownLogitsIsLogSumExpMinusTheLabelsLogit() {
    // Row 1: logits (0, ln 3) label 1 -> -ln(3/4); row 2: logits (1000, 0) label 0 -> ~0 (stable at large logits).
    let z: [Double] = [0, log(3.0), 1000, 0]
    let evaluation = TrainingLoss.crossEntropy(logits: z, labels: [1, 0], classes: 2, withGradient: true)
    #expect(abs(evaluation.loss - (-log(0.75) / 2)) < 1e-12)
    #expect(evaluation.accuracy == 1)
    #expect(abs(evaluation.outputGradient[0] - 0.25 / 2) < 1e-12 && abs(evaluation.outputGradient[1] + 0.25 / 2) < 1e-12)
}
