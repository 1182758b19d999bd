// Training the transformer on the bigram task: the floor is the language's conditional entropy (by hand on a
// 3-token language), sequences follow the transitions, every parameter's gradient (embeddings, Q, K, V, O, FFN,
// LayerNorm gains, read-out) matches central finite differences in Double for pre-LN, post-LN and no LN, the mask is
// causal, the loss falls toward the floor, the curves do not depend on the thread count, and misfits are refused.
// Legend: V = vocabulary, d = width, H = heads, T = tokens, B = sequences, L = blocks.
import Foundation
import Testing
@testable import SignalFlow

@Test func theBigramFloorIsTheConditionalEntropyByHandOnAThreeTokenLanguage() {
    // P = [[1/2, 1/2, 0], [0, 0, 1], [1/3, 1/3, 1/3]]: row entropies h = (ln 2, 0, ln 3); first token uniform.
    // T = 1: (ln 2 + ln 3) / 3. T = 2: u P = (5, 5, 8) / 18, so ((ln 2 + ln 3) / 3 + (5 ln 2 + 8 ln 3) / 18) / 2
    // = (11 ln 2 + 14 ln 3) / 36.
    let third = 1.0 / 3
    let language = BigramLanguage(transitions: [0.5, 0.5, 0, 0, 0, 1, third, third, third], vocabulary: 3)
    #expect(abs(language.floor(tokens: 1) - (log(2.0) + log(3.0)) / 3) < 1e-15)
    #expect(abs(language.floor(tokens: 2) - (11 * log(2.0) + 14 * log(3.0)) / 36) < 1e-15)
    // Sequences follow P: after token 1 always 2, after token 0 never 2; labels are the inputs shifted by one.
    var random = RandomSource(seed: 5, stream: 1)
    let (inputs, labels) = language.sample(sequences: 50, tokens: 6, random: &random)
    for r in inputs.indices {
        if inputs[r] == 1 { #expect(labels[r] == 2) }
        if inputs[r] == 0 { #expect(labels[r] != 2) }
        if r % 6 != 5 { #expect(labels[r] == inputs[r + 1]) }
    }
    #expect(Set(inputs) == [0, 1, 2])
}

private func transformerScenario(position: NormPosition = .pre, initializer: String = "xavier", activation: Activation = .gelu,
                                 depth: Int = 2, width: Int = 4, heads: Int = 2, tokens: Int = 3, batch: Int = 2) throws -> Scenario {
    var scenario = try Scenario.uniform(activation: activation, depth: depth, width: width, batch: batch, seed: 13,
                                        initializers: [NamedInitializer(name: initializer, initializer: try Initializer.parse(initializer))])
    scenario.architecture = .transformer(TransformerOptions(tokens: tokens, heads: heads, position: position))
    return scenario
}

@Test(arguments: [("xavier", NormPosition.pre), ("xavier", .post), ("t-fixup", .pre), ("deepnorm", .post)])
func everyTransformerParameterGradientMatchesCentralFiniteDifferences(initializer: String, position: NormPosition) throws {
    let scenario = try transformerScenario(position: position, initializer: initializer)
    let v = 5, task = TrainingTask.bigram(vocabulary: v)
    var network = TrainableTransformer<Double>.initialized(scenario: scenario, initializer: scenario.initializers[0].initializer,
                                                           vocabulary: v, threads: 1)
    // Gains and the read-out bias off their starting values, so their gradients are checked at a generic point.
    var random = RandomSource(seed: 9, stream: 3)
    if network.normalized {
        for l in 1...network.depth {
            for k in 6...7 { network.parameters[network.index(block: l, k)] = (0..<4).map { _ in 1 + 0.3 * random.nextStandardNormal() } }
        }
    }
    network.parameters[network.readoutIndex + 1] = (0..<v).map { _ in 0.2 * random.nextStandardNormal() }
    var batchRandom = RandomSource(seed: 13, stream: TrainingStreams.trainingBatches)
    let batch: TrainingBatch<Double> = TaskGenerator(task: task, inputWidth: 4, seed: 13, tokens: 3).batch(rows: 2, random: &batchRandom)
    func loss() -> Double {
        TrainingLoss.evaluate(task, outputs: network.forward(tokens: batch.tokens), batch: batch, withGradient: false).loss
    }
    let evaluation = TrainingLoss.evaluate(task, outputs: network.forward(tokens: batch.tokens), batch: batch, withGradient: true)
    var gradients = network.parameters.map { [Double](repeating: .nan, count: $0.count) }
    network.backward(tokens: batch.tokens, logitGradient: evaluation.outputGradient, into: &gradients)
    let perBlock = network.normalized ? 8 : 6
    #expect(gradients.count == 1 + 2 * perBlock + 2)
    var checked = 0
    for p in network.parameters.indices {
        for i in network.parameters[p].indices {
            let saved = network.parameters[p][i], eps = 1e-6
            network.parameters[p][i] = saved + eps; let plus = loss()
            network.parameters[p][i] = saved - eps; let minus = loss()
            network.parameters[p][i] = saved
            let numeric = (plus - minus) / (2 * eps), analytic = gradients[p][i]
            #expect(abs(numeric - analytic) <= 1e-8 + 1e-5 * abs(numeric),
                    "\(initializer) \(position): parameter \(p)[\(i)] analytic \(analytic) numeric \(numeric)")
            checked += 1
        }
    }
    #expect(checked == v * 4 + 2 * (4 * 16 + 2 * 64 + (network.normalized ? 8 : 0)) + 4 * v + v)
    // Every tensor has a non-zero gradient somewhere (an all-zero check would prove nothing).
    for (p, g) in gradients.enumerated() { #expect(g.contains { abs($0) > 1e-6 }, "parameter \(p) has a zero gradient") }
}

@Test func theTransformerLanguageModelIsCausal() throws {
    let scenario = try transformerScenario(tokens: 4, batch: 1)
    let network = TrainableTransformer<Double>.initialized(scenario: scenario, initializer: scenario.initializers[0].initializer,
                                                           vocabulary: 5, threads: 1)
    let a = network.forward(tokens: [0, 1, 2, 3]), b = network.forward(tokens: [0, 1, 2, 4])
    #expect(Array(a[0..<15]) == Array(b[0..<15]), "positions 0...2 saw token 3")
    #expect(Array(a[15..<20]) != Array(b[15..<20]))
}

private func bigramTrainer(_ names: [String], steps: Int, threads: Int?, position: NormPosition = .pre) throws -> Trainer {
    var scenario = try Scenario.uniform(activation: .gelu, depth: 2, width: 32, batch: 8, seed: 7,
                                        initializers: try names.map { NamedInitializer(name: $0, initializer: try Initializer.parse($0)) })
    scenario.architecture = .transformer(TransformerOptions(tokens: 16, heads: 2, position: position))
    var configuration = TrainingConfiguration(task: .bigram(vocabulary: 16), optimizer: OptimizerSettings(kind: .adam),
                                              learningRate: 1e-2, steps: steps)
    configuration.threads = threads
    return try Trainer(scenario: scenario, configuration: configuration)
}

@Test func aTransformerLearnsTheBigramLanguageTowardItsFloor() throws {
    // L = 2, d = 32, H = 2, T = 16, B = 8, V = 16, Adam at 1e-2, 200 steps: the held-out loss starts near ln 16 plus
    // the read-out's spread and ends within 0.25 nats of the floor (it cannot go far below it).
    let trainer = try bigramTrainer(["xavier"], steps: 200, threads: 1)
    let run = trainer.run()[0]
    let losses = run.steps.compactMap(\.heldOutLoss), floor = try #require(trainer.floor)
    #expect(run.divergedAtStep == nil && run.steps.count == 200)
    #expect(floor > 0.5 && floor < log(16.0), "floor \(floor)")
    #expect(losses.first! > floor + 1, "initial held-out \(losses.first!) floor \(floor)")
    #expect(losses.last! < floor + 0.25 && losses.last! > floor - 0.25, "final held-out \(losses.last!) floor \(floor)")
    #expect(run.steps[0].layers.count == 3 && run.steps[0].accuracy != nil)
}

@Test func theSameSeedGivesTheSameTransformerCurvesForOneAndTwoThreads() throws {
    let one = try bigramTrainer(["xavier", "t-fixup"], steps: 4, threads: 1).run()
    let two = try bigramTrainer(["xavier", "t-fixup"], steps: 4, threads: 2).run()
    #expect(one == two)
}

// A resnet trains on teacher and mixture (ResNetTrainingTests); bigram needs the transformer.
@Test func tasksThatDoNotFitTheArchitectureAreRefusedWithOneLine() throws {
    let mlp = try Scenario.uniform(activation: .relu, depth: 2, width: 8, batch: 4, seed: 1,
                                   initializers: [NamedInitializer(name: "he", initializer: try Initializer.parse("he"))])
    var transformer = mlp
    transformer.architecture = .transformer(TransformerOptions(tokens: 4, heads: 2))
    var resnet = mlp
    resnet.architecture = .resnet(ResidualOptions())
    for (scenario, task) in [(mlp, TrainingTask.bigram(vocabulary: 8)), (transformer, .teacher(noise: 0)),
                             (transformer, .mixture(classes: 3)), (resnet, .bigram(vocabulary: 8)), (transformer, .bigram(vocabulary: 1))] {
        let configuration = TrainingConfiguration(task: task, optimizer: OptimizerSettings(kind: .adam), learningRate: 1e-3)
        #expect(throws: TrainingError.self) { try Trainer(scenario: scenario, configuration: configuration) }
        do { _ = try Trainer(scenario: scenario, configuration: configuration) } catch {
            #expect(!"\(error)".contains("\n") && "\(error)".count > 20, "\(error)")
        }
    }
}

// The live view's path (TrainingControl): a transformer trains under a control with snapshots of its sites, the same
// curves as a plain run and as for any thread count.
@Test func aControlledTransformerRunGivesThePlainRunsNumbersAndSnapshotsItsSites() throws {
    // L = 2, d = 32, H = 2, T = 16, B = 8, V = 16, Adam at 1e-2, 7 steps, a snapshot every 3.
    let trainer = try bigramTrainer(["xavier"], steps: 7, threads: 1)
    let named = trainer.scenario.initializers[0]
    var snapshots: [TrainingSnapshot] = []
    let controlled = trainer.train(named, control: TrainingControl(cancellation: CancellationToken()), snapshotEvery: 3,
                                   plan: .statisticsOnly, onSnapshot: { snapshots.append($0) })
    #expect(controlled == trainer.train(named))
    #expect(snapshots.map(\.step) == [0, 3, 6, 7] && snapshots.allSatisfy { $0.layers.map(\.index) == [1, 2] })
    let first = try #require(snapshots.first?.layers.last)
    #expect(first.sites.map(\.name) == [TransformerSite.stream, TransformerSite.streamGradient, TransformerSite.attentionNormOut,
                                        TransformerSite.attentionLogits, TransformerSite.attentionWeights,
                                        TransformerSite.attentionEntropy, TransformerSite.attentionLargest,
                                        TransformerSite.attentionOut, TransformerSite.middleStream, TransformerSite.ffnNormOut,
                                        TransformerSite.ffnPre, TransformerSite.ffnAct, TransformerSite.ffnOut,
                                        TransformerSite.weightGradient(.ffnOut), TransformerSite.weightGradient(.ffnIn),
                                        TransformerSite.weightGradient(.output), TransformerSite.weightGradient(.query),
                                        TransformerSite.weightGradient(.key), TransformerSite.weightGradient(.value)],
            "\(first.sites.map(\.name))")
    // Causal attention rows sum to 1 over T = 16 entries (the masked ones 0): the mean weight is 1/16 over B H T T.
    let weights = try #require(first.site(TransformerSite.attentionWeights)?.stats)
    #expect(weights.count == 8 * 2 * 16 * 16 && abs(weights.mean - 1.0 / 16) < 1e-6)
    // Row entropy lies in [0, ln 16].
    let entropy = try #require(first.site(TransformerSite.attentionEntropy)?.stats)
    #expect(entropy.count == 8 * 2 * 16 && entropy.min >= 0 && entropy.max <= log(16.0) + 1e-5)
    // The last block's stream gradient is dL/dz W_out^T on the held-out batch: its mean, formed here in Double from
    // the network's own logits at step 0, matches the snapshot's (Float32 products: 1e-5 relative).
    let network = TrainableTransformer<Float>.initialized(scenario: trainer.scenario, initializer: named.initializer,
                                                          vocabulary: 16, threads: 1)
    var heldOutRandom = RandomSource(seed: trainer.scenario.seed, stream: TrainingStreams.heldOut)
    let heldOut: TrainingBatch<Float> = TaskGenerator(task: .bigram(vocabulary: 16), inputWidth: 32, seed: trainer.scenario.seed,
                                                      tokens: 16).batch(rows: 8, random: &heldOutRandom)
    let dz = TrainingLoss.evaluate(.bigram(vocabulary: 16), outputs: network.forward(tokens: heldOut.tokens), batch: heldOut,
                                   withGradient: true).outputGradient
    let readout = network.parameters[network.readoutIndex]
    var sum = 0.0
    for r in 0..<(8 * 16) { for i in 0..<32 { for j in 0..<16 { sum += Double(dz[r * 16 + j]) * Double(readout[i * 16 + j]) } } }
    let gradient = try #require(first.site(TransformerSite.streamGradient)?.stats)
    let scale = (gradient.secondMoment / Double(gradient.count)).squareRoot()
    #expect(gradient.count == 8 * 16 * 32 && abs(gradient.mean - sum / Double(8 * 16 * 32)) < 1e-4 * scale, "\(gradient.mean) \(sum / 4096)")
    // Training moved the network: the stream after the last block differs at step 7.
    #expect(snapshots.last?.layers.last?.site(TransformerSite.stream) != first.site(TransformerSite.stream))
    // The same curves and snapshots for one and two threads.
    var twoSnapshots: [TrainingSnapshot] = []
    let two = try bigramTrainer(["xavier"], steps: 7, threads: 2).train(
        named, control: TrainingControl(cancellation: CancellationToken()), snapshotEvery: 3, plan: .statisticsOnly,
        onSnapshot: { twoSnapshots.append($0) })
    #expect(two == controlled && twoSnapshots == snapshots)
}
