// What training does with a fixed seed (Float32): a good initialization learns, zeros never break symmetry below the
// last hidden layer (the random read-out tells that layer's units apart), a
// saturated deep tanh barely moves, a rate too high is reported as diverged at the step it happens, and the curves
// do not depend on the thread count.
// Legend: teacher task, batch B = 64, held-out batch 64, evaluation every 10 steps (steps 1, 11, ..., 191, 200).
import Foundation
import Testing
@testable import SignalFlow

private func trainer(_ names: [String], activation: Activation, depth: Int, width: Int = 64,
                     optimizer: OptimizerSettings.Kind = .adam, lr: Double = 1e-3, steps: Int = 200,
                     task: TrainingTask = .teacher(noise: 0), threads: Int? = 1) throws -> Trainer {
    let scenario = try Scenario.uniform(activation: activation, depth: depth, width: width, batch: 64, seed: 7,
                                        initializers: try names.map { NamedInitializer(name: $0, initializer: try Initializer.parse($0)) })
    var configuration = TrainingConfiguration(task: task, optimizer: OptimizerSettings(kind: optimizer),
                                              learningRate: lr, steps: steps)
    configuration.threads = threads
    return try Trainer(scenario: scenario, configuration: configuration)
}

private func heldOut(_ run: TrainingRunReport) -> [Double] { run.steps.compactMap(\.heldOutLoss) }

@Test func reluWithHeHalvesTheHeldOutLossOnTheTeacherWithin200Steps() throws {
    // ReLU, He, depth 10, width 64, Adam at lr 1e-3.
    let run = try trainer(["he"], activation: .relu, depth: 10).train(NamedInitializer(name: "he", initializer: try Initializer.parse("he")))
    let losses = heldOut(run)
    #expect(run.divergedAtStep == nil && run.steps.count == 200 && losses.count == 21)
    let (initial, final) = (losses.first!, losses.last!)
    #expect(final < 0.5 * initial, "held-out loss \(initial) -> \(final)")
}

@Test func zerosInitializationNeverBreaksSymmetry() throws {
    // tanh (phi(0) = 0), no bias, 50 SGD steps at lr 0.1. x^{l-1} = 0 keeps dW^l = 0 in every layer, so every
    // weight stays 0 and every unit of layers 1...L-1 stays identical (0). Only b^L learns, and its units differ,
    // because the random read-out (the same for every initializer) sends each a different gradient: the last hidden
    // layer's units are NOT identical after training, but each is a constant, so the network computes a constant:
    // the same output for every input.
    let t = try trainer(["zeros"], activation: .tanh, depth: 4, width: 16, optimizer: .sgd, lr: 0.1, steps: 50)
    let (run, network) = t.train(t.scenario.initializers[0], as: Float.self)
    #expect(run.divergedAtStep == nil && run.steps.count == 50)
    for l in 1...network.depth {
        let w = network.parameters[TrainableMLP<Float>.weightIndex(layer: l)]
        #expect(w.allSatisfy { $0 == 0 }, "W^\(l) moved")
        let b = network.parameters[TrainableMLP<Float>.weightIndex(layer: l) + 1]
        if l < network.depth { #expect(b.allSatisfy { $0 == 0 }, "b^\(l) moved") }
    }
    var random = RandomSource(seed: 7, stream: TrainingStreams.heldOut)
    let batch: TrainingBatch<Float> = TaskGenerator(task: .teacher(noise: 0), inputWidth: 16, seed: 7).batch(rows: 64, random: &random)
    let forward = network.forward(batch.inputs, rows: 64)
    for l in 1..<network.depth { #expect(forward.activations[l - 1].allSatisfy { $0 == 0 }, "x^\(l) is not identically 0") }
    let last = forward.activations[network.depth - 1], lastBias = network.parameters[TrainableMLP<Float>.weightIndex(layer: 4) + 1]
    #expect(Set(lastBias).count == 16, "b^L's 16 units took 16 values (the read-out's weights differ)")
    #expect((0..<64).allSatisfy { r in Array(last[(r * 16)..<(r * 16 + 16)]) == Array(last[0..<16]) }, "x^L depends on the input")
    #expect(Set(forward.outputs).count == 1, "the output depends on the input")
    #expect(network.parameters.last![0] != 0, "the read-out bias did not train")
}

@Test func zerosWithSigmoidTrainsEveryLayerButKeepsTheUnitsOfLayersBelowTheLastIdentical() throws {
    // sigmoid (phi(0) = 1/2, phi'(0) = 1/4), no bias, 50 SGD steps at lr 0.1, depth 4, width 16. Step 1 moves W^4
    // alone (dW^4 = x^3^T dH^4 with x^3 = 1/2 everywhere), then W^3, W^2, W^1 one step after another, each far less
    // than the one above (its gradient comes through the small weights above it: max |W^l| measured 6.6e-15, 5.2e-9,
    // 5.0e-5 and 1.1e-2 for l = 1...4). A layer l < L
    // whose units are identical hands the layer above identical rows of dW, and receives, through those weights,
    // the same gradient for each of its units: they stay identical (W^l's columns equal) for ever. Only layer L's
    // units differ, each weighted differently by the random read-out (W^L's columns differ, its rows are equal).
    // Identical is to 1e-5 relative: the products round the same sums in different orders per column.
    let t = try trainer(["zeros"], activation: .sigmoid, depth: 4, width: 16, optimizer: .sgd, lr: 0.1, steps: 50)
    let (run, network) = t.train(t.scenario.initializers[0], as: Float.self)
    #expect(run.divergedAtStep == nil && run.steps.count == 50)
    func spread(_ values: [Float]) -> Float { (values.max() ?? 0) - (values.min() ?? 0) }
    let scales = (1...4).map { l in network.parameters[TrainableMLP<Float>.weightIndex(layer: l)].map { abs($0) }.max() ?? 0 }
    #expect(scales[0] > 0 && zip(scales, scales.dropFirst()).allSatisfy { $0 < 0.1 * $1 } && scales[3] > 1e-3, "max |W^l| \(scales)")
    for l in 1...4 {
        let w = network.parameters[TrainableMLP<Float>.weightIndex(layer: l)]
        let scale = scales[l - 1]
        // Row i of W^l (16 x 16, units across): the weights unit j takes from unit i below.
        let rows = (0..<16).map { i in Array(w[(i * 16)..<(i * 16 + 16)]) }
        if l < 4 {
            #expect(rows.allSatisfy { spread($0) <= 1e-5 * scale }, "W^\(l): its units' incoming weights differ")
        } else {
            #expect(rows.allSatisfy { spread($0) > 1e-2 * scale }, "W^4: the read-out did not tell its units apart")
            #expect((0..<16).allSatisfy { j in spread(rows.map { $0[j] }) <= 1e-5 * scale }, "W^4: the units below were told apart")
        }
    }
    var random = RandomSource(seed: 7, stream: TrainingStreams.heldOut)
    let batch: TrainingBatch<Float> = TaskGenerator(task: .teacher(noise: 0), inputWidth: 16, seed: 7).batch(rows: 64, random: &random)
    let forward = network.forward(batch.inputs, rows: 64)
    for l in 1...4 {
        let x = forward.activations[l - 1]
        let spreads = (0..<64).map { r in spread(Array(x[(r * 16)..<(r * 16 + 16)])) }
        if l < 4 { #expect(spreads.allSatisfy { $0 <= 1e-5 }, "x^\(l): units differ by \(spreads.max()!)") }
        else { #expect(spreads.allSatisfy { $0 > 1e-4 }, "x^4: units identical") }
    }
}

@Test func saturatedDeepTanhBarelyMovesWhileXavierLearns() throws {
    // tanh, depth 20, width 64, Adam at lr 1e-3: N(0, 1) weights saturate every layer (chaotic features); its
    // held-out loss (1.35 -> 0.54 measured) falls only as the read-out shrinks, and ends no better than the best
    // constant, Var(held-out targets) = 0.354. Xavier ends at 0.049 (0.34 at the start).
    let t = try trainer(["normal:1", "xavier"], activation: .tanh, depth: 20)
    let runs = t.run()
    var random = RandomSource(seed: 7, stream: TrainingStreams.heldOut)
    let targets: TrainingBatch<Double> = TaskGenerator(task: .teacher(noise: 0), inputWidth: 64, seed: 7).batch(rows: 64, random: &random)
    let constantLoss = TrainingMoments.variance(targets.targets)
    let saturated = heldOut(runs[0]), xavier = heldOut(runs[1])
    #expect(saturated.last! > 0.9 * constantLoss, "normal:1 held-out \(saturated.first!) -> \(saturated.last!), constant \(constantLoss)")
    #expect(xavier.last! < 0.3 * constantLoss, "xavier held-out \(xavier.first!) -> \(xavier.last!), constant \(constantLoss)")
}

@Test func aRateTooHighIsReportedAsDivergedAtTheStepItHappens() throws {
    // ReLU, He, depth 5, width 32, SGD at lr 10: the loss grows until it is no longer finite at step d.
    let t = try trainer(["he"], activation: .relu, depth: 5, width: 32, optimizer: .sgd, lr: 10, steps: 100)
    let run = t.run()[0]
    let d = try #require(run.divergedAtStep)
    #expect(d > 1 && run.steps.count == d - 1 && run.steps.map(\.step) == Array(1..<d))
    #expect(run.steps.allSatisfy { $0.loss.isFinite && $0.gradientNorm.isFinite })
    // One step fewer: no divergence, the same curve.
    let shorter = try trainer(["he"], activation: .relu, depth: 5, width: 32, optimizer: .sgd, lr: 10, steps: d - 1).run()[0]
    #expect(shorter.divergedAtStep == nil && shorter.steps.map(\.loss) == run.steps.map(\.loss))
}

@Test func theSameSeedGivesTheSameCurvesForOneAndTwoThreads() throws {
    // Width 256, batch 64: the products are split into blocks (above GEMM's threshold), fixed by shape.
    let one = try trainer(["he", "xavier"], activation: .relu, depth: 3, width: 256, steps: 5, task: .mixture(classes: 10), threads: 1).run()
    let two = try trainer(["he", "xavier"], activation: .relu, depth: 3, width: 256, steps: 5, task: .mixture(classes: 10), threads: 2).run()
    #expect(one == two)
    #expect(one[0].steps[0].accuracy != nil)
}

@Test func trainerRefusesBadInputWithOneLine() throws {
    let scenario = try Scenario.uniform(activation: .relu, depth: 2, width: 8, batch: 4, seed: 1,
                                        initializers: [NamedInitializer(name: "he", initializer: try Initializer.parse("he"))])
    for (lr, steps, task) in [(0.0, 10, TrainingTask.teacher(noise: 0)), (.nan, 10, .teacher(noise: 0)),
                              (.infinity, 10, .teacher(noise: 0)), (1e-3, 0, .teacher(noise: 0)),
                              (1e-3, 10, .mixture(classes: 1)), (1e-3, 10, .teacher(noise: -1))] {
        let configuration = TrainingConfiguration(task: task, optimizer: OptimizerSettings(kind: .adam), learningRate: lr, steps: steps)
        #expect(throws: TrainingError.self) { try Trainer(scenario: scenario, configuration: configuration) }
    }
}
