// Training driven from another thread (TrainingControl): stopping between steps, the same numbers as a plain run,
// snapshots of the network at the steps asked for, measured like a propagation run.
// Legend: teacher task, ReLU, He, depth 4, width 32, batch 64, Adam at 1e-3.
import Foundation
import Testing
@testable import SignalFlow

private func heTrainer(steps: Int, depth: Int = 4, width: Int = 32) throws -> Trainer {
    let scenario = try Scenario.uniform(activation: .relu, depth: depth, width: width, batch: 64, seed: 7,
                                        initializers: [NamedInitializer(name: "he", initializer: try Initializer.parse("he"))])
    var configuration = TrainingConfiguration(task: .teacher(noise: 0.1), optimizer: OptimizerSettings(kind: .adam),
                                              learningRate: 1e-3, steps: steps)
    configuration.threads = 1
    return try Trainer(scenario: scenario, configuration: configuration)
}

@Test func aControlledRunGivesThePlainRunsNumbersAndSnapshotsAtTheStepsAskedFor() throws {
    let trainer = try heTrainer(steps: 7)
    let named = trainer.scenario.initializers[0]
    var snapshots: [TrainingSnapshot] = []
    var reported: [Int] = []
    let controlled = trainer.train(named, control: TrainingControl(cancellation: CancellationToken()), snapshotEvery: 3,
                                   plan: .everything, onStep: { reported.append($0.step) }, onSnapshot: { snapshots.append($0) })
    #expect(controlled == trainer.train(named))
    #expect(reported == Array(1...7))
    // Before steps 1, 4 and 7 (after 0, 3 and 6 updates), and after the last step.
    #expect(snapshots.map(\.step) == [0, 3, 6, 7])
    let first = try #require(snapshots.first)
    #expect(first.layers.map(\.index) == [1, 2, 3, 4])
    // Step 0 is the initialization: He weights, Var(W) = 2 / fan-in (1024 draws: standard error sqrt(2/1023) relative).
    let weight = try #require(first.layers[1].stats(.weight))
    #expect(weight.count == 32 * 32)
    #expect(abs(weight.variance / (2.0 / 32) - 1) < 4 * (2.0 / 1023).squareRoot())
    // Every quantity measured, with histograms: a propagation run's report.
    for quantity in Quantity.allCases { #expect(first.layers[0].quantities[quantity]?.linear != nil) }
    // The held-out inputs are N(0, 1) on 32 units: Var(h^1) = 2 Var(x) = 2 within 4 standard errors.
    let preactivation = try #require(first.layers[0].stats(.preactivation))
    #expect(abs(preactivation.secondMoment / 2 - 1) < 0.25)
    // Training moved the weights: the last snapshot's differ from the first's.
    #expect(snapshots.last!.layers[1].stats(.weight) != weight)
}

@Test func theActivationGradientOfTheLastLayerIsTheReadOutsGradientThroughPhi() throws {
    // depth 1, linear activation: dL/dh^1 = dL/dz W_out^T; with MSE dL/dz = 2 (z - y) / B, whose mean is
    // 2 mean(z - y) / B; so sum over the batch of dL/dh^1 = W_out^T sum(dL/dz) row by row. Checked through the
    // mean of dL/dh^1 against the Double product of the network's own numbers.
    let scenario = try Scenario.uniform(activation: .linear, depth: 1, width: 8, batch: 16, seed: 3,
                                        initializers: [NamedInitializer(name: "he", initializer: try Initializer.parse("he"))])
    let task = TrainingTask.teacher(noise: 0)
    let network = TrainableMLP<Float>.initialized(scenario: scenario, initializer: scenario.initializers[0].initializer,
                                                  outputs: 1, calibration: nil, threads: 1)
    let generator = TaskGenerator(task: task, inputWidth: 8, seed: 3)
    var random = RandomSource(seed: 3, stream: 99)
    let batch: TrainingBatch<Float> = generator.batch(rows: 16, random: &random)
    let layers = network.measuredLayers(on: batch, task: task, plan: .statisticsOnly)
    let forward = network.forward(batch.inputs, rows: 16)
    let readout = network.parameters[TrainableMLP<Float>.weightIndex(layer: 2)]
    var sum = 0.0
    for r in 0..<16 {
        let dz = 2 * (Double(forward.outputs[r]) - Double(batch.targets[r])) / 16
        for j in 0..<8 { sum += dz * Double(readout[j]) }
    }
    let measured = try #require(layers[0].stats(.activationGradient))
    #expect(measured.count == 16 * 8)
    #expect(abs(measured.mean - sum / 128) <= 1e-6 * max(1, abs(sum / 128)))
}

@Test func aCancelledControlStopsBeforeTheNextStepAndAPausedOneHolds() throws {
    let trainer = try heTrainer(steps: 50)
    let named = trainer.scenario.initializers[0]
    let token = CancellationToken()
    let run = trainer.train(named, control: TrainingControl(cancellation: token), onStep: { if $0.step == 5 { token.cancel() } })
    #expect(run.steps.count == 5 && run.divergedAtStep == nil)
    // Paused from the start: no step until cancelled from another thread, then it returns with none.
    let pausedToken = CancellationToken()
    var steps = 0
    let canceller = Thread { usleep(50_000); pausedToken.cancel() }
    canceller.start()
    let held = trainer.train(named, control: TrainingControl(cancellation: pausedToken, isPaused: { true }),
                             onStep: { _ in steps += 1 })
    #expect(held.steps.isEmpty && steps == 0)
}
