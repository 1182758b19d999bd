// Training the residual network: its backward pass in Double against central finite differences of its own
// forward + loss for every parameter (W1, b1, W2, b2, the trained branch multiplier beta, each norm's gain and shift,
// the read-out), with each normalization and position; the norms' gains start at 1, shifts at 0, both train and
// count in the global gradient norm; ReZero's beta leaves 0; with a fixed seed Fixup and He halve the teacher's held-out
// loss; the JSON-facing per-block statistics; the curves do not depend on the thread count.
// Legend: width n = 4, blocks L = 2, batch B = 5 (BatchNorm needs rows), outputs 1 (teacher) or K = 3 (mixture);
// eps = 1e-6; training: L = 8, n = 64, B = 64, Adam, 200 steps, held-out every 10 steps.
import Foundation
import Testing
@testable import SignalFlow

private func resnetScenario(_ name: String, normalization: Normalization = .none, position: NormPosition = .pre,
                            activation: Activation = .relu, depth: Int, width: Int, batch: Int, bias: Double = 0) throws -> Scenario {
    var scenario = try Scenario.uniform(activation: activation, depth: depth, width: width, batch: batch, seed: 5,
                                        biasStandardDeviation: bias,
                                        initializers: [NamedInitializer(name: name, initializer: try Initializer.parse(name))])
    scenario.architecture = .resnet(ResidualOptions(normalization: normalization, position: position))
    return scenario
}

private func checkResNetGradients(_ name: String, task: TrainingTask, normalization: Normalization, position: NormPosition,
                                  activation: Activation = .tanh) throws {
    let scenario = try resnetScenario(name, normalization: normalization, position: position, activation: activation,
                                      depth: 2, width: 4, batch: 5, bias: 0.3)
    var network = TrainableResNet<Double>.initialized(scenario: scenario, initializer: scenario.initializers[0].initializer,
                                                      outputs: task.outputCount, threads: 1)
    // Move every parameter off the special points the schemes start at (beta = 0, Fixup's W2 = 0), so each gradient
    // is checked at a generic point.
    var random = RandomSource(seed: 3, stream: 99)
    for p in network.parameters.indices {
        var noise = [Float](repeating: 0, count: network.parameters[p].count)
        noise.withUnsafeMutableBufferPointer { random.fillNormal($0, mean: 0, standardDeviation: 0.3) }
        for i in noise.indices { network.parameters[p][i] += Double(noise[i]) }
    }
    var batchRandom = RandomSource(seed: 5, stream: TrainingStreams.trainingBatches)
    let batch: TrainingBatch<Double> = TaskGenerator(task: task, inputWidth: 4, seed: 5).batch(rows: 5, random: &batchRandom)
    func loss(_ net: TrainableResNet<Double>) -> Double {
        TrainingLoss.evaluate(task, outputs: net.forward(batch.inputs, rows: 5).outputs, batch: batch, withGradient: false).loss
    }
    let forward = network.forward(batch.inputs, rows: 5)
    let evaluation = TrainingLoss.evaluate(task, outputs: forward.outputs, batch: batch, withGradient: true)
    let gradients = network.backward(forward, outputGradient: evaluation.outputGradient).parameters
    let eps = 1e-6
    var checked = 0
    for p in network.parameters.indices {
        for i in network.parameters[p].indices {
            var plus = network, minus = network
            plus.parameters[p][i] += eps; minus.parameters[p][i] -= eps
            let numeric = (loss(plus) - loss(minus)) / (2 * eps)
            let analytic = gradients[p][i]
            #expect(abs(numeric - analytic) <= 1e-7 + 1e-6 * abs(numeric),
                    "\(name) \(normalization) \(position) \(task.name): parameter \(p)[\(i)] analytic \(analytic) numeric \(numeric)")
            checked += 1
        }
    }
    // W1, b1, W2, b2, beta when trained, the norm's gamma and delta (RMSNorm: gamma) of 4 values each.
    let perBlock = 2 * (16 + 4) + (network.trainsBranchMultiplier ? 1 : 0) + 4 * [Normalization.none: 0, .rms: 1, .batch: 2, .layer: 2][normalization]!
    #expect(network.normParameterCount == [Normalization.none: 0, .rms: 1, .batch: 2, .layer: 2][normalization]!)
    #expect(checked == 2 * perBlock + 4 * task.outputCount + task.outputCount)
    #expect(gradients.joined().contains { abs($0) > 1e-3 }, "a check of all-zero gradients would prove nothing")
}

@Test(arguments: [(Normalization.none, NormPosition.pre), (.batch, .pre), (.layer, .pre), (.batch, .post), (.layer, .post), (.rms, .pre)])
func resnetGradientsMatchCentralFiniteDifferences(normalization: Normalization, position: NormPosition) throws {
    try checkResNetGradients("he", task: .teacher(noise: 0.1), normalization: normalization, position: position)
    try checkResNetGradients("he", task: .mixture(classes: 3), normalization: normalization, position: position, activation: .gelu)
}

@Test(arguments: ["fixup", "rezero", "skipinit:0.5"])
func resnetSchemeGradientsMatchCentralFiniteDifferencesWithTheBranchMultiplier(name: String) throws {
    try checkResNetGradients(name, task: .teacher(noise: 0.1), normalization: .none, position: .pre)
}

@Test(arguments: [(Normalization.layer, NormPosition.pre), (.batch, .post), (.rms, .pre)])
func normGainsAndShiftsStartAtOneAndZeroTrainAndCountInTheGradientNorm(normalization: Normalization, position: NormPosition) throws {
    let scenario = try resnetScenario("he", normalization: normalization, position: position, depth: 3, width: 16, batch: 32)
    var configuration = TrainingConfiguration(task: .teacher(noise: 0.1), optimizer: OptimizerSettings(kind: .adam), learningRate: 1e-2, steps: 5)
    configuration.threads = 1
    let trainer = try Trainer(scenario: scenario, configuration: configuration)
    let initial = TrainableResNet<Float>.initialized(scenario: scenario, initializer: scenario.initializers[0].initializer, outputs: 1, threads: 1)
    let shifts = normalization == .rms ? 0 : 1
    for l in 1...3 {
        #expect(initial.parameters[initial.gainIndex(block: l)] == [Float](repeating: 1, count: 16))
        if shifts == 1 { #expect(initial.parameters[initial.gainIndex(block: l) + 1] == [Float](repeating: 0, count: 16)) }
    }
    #expect(initial.parameters.count == 3 * (4 + 1 + shifts) + 2)
    // Step 1's global gradient norm is over every tensor, the gains and shifts included (they are not 0).
    var random = RandomSource(seed: scenario.seed, stream: TrainingStreams.trainingBatches)
    let batch: TrainingBatch<Float> = TaskGenerator(task: configuration.task, inputWidth: 16, seed: scenario.seed).batch(rows: 32, random: &random)
    let forward = initial.forward(batch.inputs, rows: 32)
    let gradients = initial.backward(forward, outputGradient: TrainingLoss.evaluate(configuration.task, outputs: forward.outputs, batch: batch,
                                                                                     withGradient: true).outputGradient).parameters
    let squares = gradients.map { $0.reduce(0.0) { $0 + Double($1) * Double($1) } }
    let normTensors = (1...3).flatMap { l in (0...shifts).map { initial.gainIndex(block: l) + $0 } }
    let normPart = normTensors.reduce(0.0) { $0 + squares[$1] }
    let (run, trained) = trainer.trainResNet(scenario.initializers[0], as: Float.self)
    #expect(normPart > 1e-6 * squares.reduce(0, +), "the norms' gradients are a visible part of the norm")
    #expect(abs(run.steps[0].gradientNorm / squares.reduce(0, +).squareRoot() - 1) < 1e-5)
    // Adam moves every gain and shift with a non-zero gradient by about lr per step.
    for k in normTensors {
        let moved = zip(trained.parameters[k], initial.parameters[k]).map { abs($0 - $1) }.max() ?? 0
        #expect(moved > 1e-3, "tensor \(k) moved \(moved)")
    }
}

@Test func rezeroStartsAsTheIdentityAndItsBranchMultiplierLeavesZero() throws {
    let scenario = try resnetScenario("rezero", depth: 4, width: 16, batch: 32)
    var configuration = TrainingConfiguration(task: .teacher(noise: 0), optimizer: OptimizerSettings(kind: .adam), learningRate: 1e-2, steps: 5)
    configuration.threads = 1
    let trainer = try Trainer(scenario: scenario, configuration: configuration)
    let initial = TrainableResNet<Float>.initialized(scenario: scenario, initializer: .rezero, outputs: 1, threads: 1)
    #expect(initial.trainsBranchMultiplier && (1...4).allSatisfy { initial.branchMultiplier($0) == 0 })
    let input = (0..<(32 * 16)).map { Float($0 % 7) - 3 }
    let forward = initial.forward(input, rows: 32)
    #expect(forward.streams[4] == input, "beta = 0: every block is the identity, bit for bit")
    let (run, network) = trainer.trainResNet(scenario.initializers[0], as: Float.self)
    #expect(run.divergedAtStep == nil && run.steps.count == 5)
    // Adam's first step moves every parameter with a non-zero gradient by about lr: beta's gradient sum(gy F) is not 0.
    for l in 1...4 { #expect(abs(network.branchMultiplier(l)) > 1e-3, "block \(l): beta \(network.branchMultiplier(l))") }
}

@Test(arguments: ["fixup", "he"])
func fixupAndHeHalveTheTeachersHeldOutLossWithin200Steps(name: String) throws {
    // ReLU, 8 blocks, width 64, batch 64, Adam at lr 1e-3 (as the MLP's test), seed 5.
    let scenario = try resnetScenario(name, depth: 8, width: 64, batch: 64)
    var configuration = TrainingConfiguration(task: .teacher(noise: 0), optimizer: OptimizerSettings(kind: .adam), learningRate: 1e-3, steps: 200)
    configuration.threads = 1
    let run = try Trainer(scenario: scenario, configuration: configuration).train(scenario.initializers[0])
    let losses = run.steps.compactMap(\.heldOutLoss)
    #expect(run.divergedAtStep == nil && run.steps.count == 200 && losses.count == 21)
    #expect(losses.last! < 0.5 * losses.first!, "\(name): held-out loss \(losses.first!) -> \(losses.last!)")
    // The JSON's layers: one entry per block (W1 and W2 together) and the read-out, indices 1...L + 1.
    let layers = run.steps[0].layers
    #expect(layers.map(\.index) == Array(1...9))
    #expect(layers.allSatisfy { $0.gradientVariance.isFinite && $0.activationVariance > 0 })
    #expect(layers.allSatisfy { $0.updateToData != nil }, "fixup's W2 starts at 0, but a block's ratio is over W1 and W2 together")
}

@Test func resnetCurvesDoNotDependOnTheThreadCount() throws {
    for (name, normalization) in [("he", Normalization.batch), ("fixup", .none), ("rezero", .none)] {
        let scenario = try resnetScenario(name, normalization: normalization, depth: 3, width: 256, batch: 64)
        func run(_ threads: Int) throws -> TrainingRunReport {
            var configuration = TrainingConfiguration(task: .mixture(classes: 10), optimizer: OptimizerSettings(kind: .adam),
                                                      learningRate: 1e-3, steps: 4)
            configuration.threads = threads
            return try Trainer(scenario: scenario, configuration: configuration).train(scenario.initializers[0])
        }
        #expect(try run(1) == run(2), "\(name)")
    }
}

@Test func resnetRefusesTheBigramTask() throws {
    let scenario = try resnetScenario("he", depth: 2, width: 8, batch: 4)
    let configuration = TrainingConfiguration(task: .bigram(vocabulary: 8), optimizer: OptimizerSettings(kind: .adam), learningRate: 1e-3)
    #expect(throws: TrainingError.self) { try Trainer(scenario: scenario, configuration: configuration) }
}

/// The training loop's passes reuse one forward pass and the backward scratch step to step: a pass after others (of
/// other batches, a held-out evaluation of another row count in between) gives the same loss and gradients, bit for
/// bit, as a fresh network's pass on the same batch.
@Test(arguments: [("he", Normalization.layer, NormPosition.pre), ("he", .batch, .post), ("rezero", .none, .pre), ("he", .rms, .post)])
func aPassOnReusedBuffersEqualsAFreshOne(name: String, normalization: Normalization, position: NormPosition) throws {
    let scenario = try resnetScenario(name, normalization: normalization, position: position, depth: 3, width: 16, batch: 8, bias: 0.2)
    let task = TrainingTask.mixture(classes: 3)
    let generator = TaskGenerator(task: task, inputWidth: 16, seed: 5)
    var random = RandomSource(seed: 5, stream: TrainingStreams.trainingBatches)
    let batches: [TrainingBatch<Float>] = (0..<3).map { _ in generator.batch(rows: 8, random: &random) }
    let heldOut: TrainingBatch<Float> = generator.batch(rows: 5, random: &random)
    let fresh = TrainableResNet<Float>.initialized(scenario: scenario, initializer: scenario.initializers[0].initializer,
                                                   outputs: task.outputCount, threads: 1)
    var reused = fresh
    var gradients = fresh.parameters.map { [Float](repeating: .nan, count: $0.count) }
    for batch in batches.prefix(2) {
        _ = reused.trainingPass(batch, task: task, gradients: &gradients)
        _ = reused.evaluate(heldOut, task: task)
    }
    let (evaluation, _) = reused.trainingPass(batches[2], task: task, gradients: &gradients)
    let forward = fresh.forward(batches[2].inputs, rows: 8)
    let want = TrainingLoss.evaluate(task, outputs: forward.outputs, batch: batches[2], withGradient: true)
    #expect(evaluation.loss == want.loss)
    #expect(gradients == fresh.backward(forward, outputGradient: want.outputGradient).parameters, "\(name) \(normalization) \(position)")
    let heldOutLoss = TrainingLoss.evaluate(task, outputs: fresh.forward(heldOut.inputs, rows: 5).outputs, batch: heldOut,
                                            withGradient: false).loss
    #expect(reused.evaluate(heldOut, task: task).loss == heldOutLoss)
}
