// Training on the engine worker (TrainingDriver): every row trains and posts its steps, snapshots and the end; a
// pause holds it between steps; a new job cancels it within a step; the sweep posts one result per (row, rate).
import Testing
import SignalFlow
#if canImport(Glibc)
import Glibc
#endif
@testable import initscope
import ScopeUI

/// Waits (up to `seconds`) until `mailbox` has delivered an `.engineFinished` for `generation`; every event seen.
private func collect(_ mailbox: EngineMailbox, until generation: Int, seconds: Int = 60) -> [Action] {
    var events: [Action] = []
    for _ in 0..<(seconds * 1000) {
        events += mailbox.takeAll()
        if events.contains(where: { if case .engineFinished(generation) = $0 { return true }; return false }) { break }
        usleep(1000)
    }
    return events
}

private func trainingEvents(_ events: [Action], generation wanted: Int) -> [TrainingEvent] {
    events.compactMap { if case .training(let event, let generation) = $0, generation == wanted { return event }; return nil }
}

@Suite struct TrainingDriverTests {
    let scenario = Scenario(activation: .relu, depth: 2, width: 8, batch: 16, seed: 3,
                            initializers: [NamedInitializer(name: "he", initializer: .heNormal(mode: .fanIn, gain: nil)),
                                           NamedInitializer(name: "xavier", initializer: .xavierNormal(gain: 1))])

    func configuration(steps: Int) -> TrainingConfiguration {
        TrainingConfiguration(task: .teacher(noise: 0.1), optimizer: OptimizerSettings(kind: .adam), learningRate: 1e-3, steps: steps)
    }

    @Test func everyRowPostsItsStepsInOrderAndSnapshotsTheSameCurvesAsTheTrainer() throws {
        let mailbox = EngineMailbox(), driver = TrainingDriver()
        let worker = EngineWorker(simulate: { _, _, _, _, _ in }, mailbox: mailbox, wake: { })
        worker.start(generation: 5, work: driver.trainingWork(scenario, configuration(steps: 25), plan: .statisticsOnly, generation: 5))
        let events = trainingEvents(collect(mailbox, until: 5), generation: 5)
        worker.stop()
        var single = configuration(steps: 25)
        single.threads = 1
        let trainer = try Trainer(scenario: scenario, configuration: single)
        for row in 0..<2 {
            let steps = events.compactMap { if case .step(row, let step, let loss, _) = $0 { return (step, loss) }; return nil }
            #expect(steps.map(\.0) == Array(1...25))
            let expected = trainer.train(scenario.initializers[row]).steps
            #expect(steps.map(\.1) == expected.map(\.loss))
            // The held-out loss rides on the evaluation steps (1, 11, 21 and the last, 25), as the trainer reports it.
            let heldOut = events.compactMap { if case .step(row, let step, _, let loss?) = $0 { return HeldOutLoss(step: step, loss: loss) }; return nil }
            #expect(heldOut.map(\.step) == [1, 11, 21, 25])
            #expect(heldOut.map(\.loss) == expected.compactMap(\.heldOutLoss))
            let snapshots = events.compactMap { if case .snapshot(row, let step, let layers) = $0 { return (step, layers.count) }; return nil }
            #expect(snapshots.map(\.0) == [0, 10, 20, 25] && snapshots.allSatisfy { $0.1 == 2 })
        }
    }

    @Test func resnetRowsTrainEachOnItsOwnNetworkAndSnapshotTheirSites() throws {
        // he, fixup and he+bn (He with BatchNorm, as its step-0 picture): each row's curve is its own Trainer's.
        var resnet = scenario
        resnet.architecture = .resnet(ResidualOptions())
        resnet.initializers = ["he", "fixup", "he+bn"].map { InitializerCatalog.named($0)! }
        let mailbox = EngineMailbox(), driver = TrainingDriver()
        let worker = EngineWorker(simulate: { _, _, _, _, _ in }, mailbox: mailbox, wake: { })
        worker.start(generation: 9, work: driver.trainingWork(resnet, configuration(steps: 12), plan: .statisticsOnly, generation: 9))
        let events = trainingEvents(collect(mailbox, until: 9), generation: 9)
        worker.stop()
        var single = configuration(steps: 12)
        single.threads = 1
        var curves: [[Double]] = []
        for row in 0..<3 {
            let steps = events.compactMap { if case .step(row, _, let loss, _) = $0 { return loss }; return nil }
            let rowScenario = TrainingDriver.rowScenario(resnet, row: row)
            #expect(rowScenario.architecture.residual?.normalization == (row == 2 ? .batch : Normalization.none))
            #expect(steps == (try Trainer(scenario: rowScenario, configuration: single)).train(resnet.initializers[row]).steps.map(\.loss))
            curves.append(steps)
            let snapshots = events.compactMap { if case .snapshot(row, let step, let layers) = $0 { return (step, layers) }; return nil }
            #expect(snapshots.map(\.0) == [0, 10, 12])
            let names = snapshots.last?.1.first?.sites.map(\.name) ?? []
            #expect(names.prefix(2) == [ResidualSite.stream, ResidualSite.streamGradient] && names.contains(ResidualSite.branchPre), "\(names)")
        }
        #expect(curves[0] != curves[2], "he+bn trains another network than he")
    }

    @Test func transformerRowsTrainOnBigramAndSnapshotTheirSites() throws {
        // xavier and gpt2 (L = 2, d = 8, H = 2, T = 4, B = 2, V = 8): each row's curve is its own Trainer's with one
        // thread (the driver's), and its snapshots carry the block's sites, the stream and its gradient first.
        var transformer = scenario
        transformer.batch = 2
        transformer.activation = .gelu
        transformer.architecture = .transformer(TransformerOptions(tokens: 4, heads: 2))
        transformer.initializers = ["xavier", "gpt2"].map { InitializerCatalog.named($0)! }
        var bigram = configuration(steps: 12)
        bigram.task = .bigram(vocabulary: 8)
        let mailbox = EngineMailbox(), driver = TrainingDriver()
        let worker = EngineWorker(simulate: { _, _, _, _, _ in }, mailbox: mailbox, wake: { })
        worker.start(generation: 4, work: driver.trainingWork(transformer, bigram, plan: .statisticsOnly, generation: 4))
        let events = trainingEvents(collect(mailbox, until: 4), generation: 4)
        worker.stop()
        var single = bigram
        single.threads = 1
        // The floor first, computed on the engine side: the language's exact entropy.
        #expect(events.first == .floor(try Trainer(scenario: transformer, configuration: single).floor))
        for row in 0..<2 {
            let steps = events.compactMap { if case .step(row, _, let loss, _) = $0 { return loss }; return nil }
            let expected = try Trainer(scenario: TrainingDriver.rowScenario(transformer, row: row), configuration: single)
                .train(transformer.initializers[row]).steps.map(\.loss)
            #expect(steps == expected && steps.count == 12)
            let snapshots = events.compactMap { if case .snapshot(row, let step, let layers) = $0 { return (step, layers) }; return nil }
            #expect(snapshots.map(\.0) == [0, 10, 12] && snapshots.allSatisfy { $0.1.map(\.index) == [1, 2] })
            let names = snapshots.last?.1.first?.sites.map(\.name) ?? []
            #expect(names.prefix(2) == [TransformerSite.stream, TransformerSite.streamGradient]
                    && names.contains(TransformerSite.attentionWeights) && names.contains(TransformerSite.ffnAct), "\(names)")
        }
    }

    @Test func aPausedRunHoldsAndANewJobCancelsIt() {
        let mailbox = EngineMailbox(), driver = TrainingDriver()
        let worker = EngineWorker(simulate: { _, _, _, _, _ in }, mailbox: mailbox, wake: { })
        worker.start(generation: 1, work: driver.trainingWork(scenario, configuration(steps: 100_000), plan: .statisticsOnly, generation: 1))
        var seen: [Action] = []
        for _ in 0..<5000 where trainingEvents(seen, generation: 1).count < 20 { seen += mailbox.takeAll(); usleep(1000) }
        driver.setPaused(true)
        usleep(100_000)
        let before = trainingEvents(seen + mailbox.takeAll(), generation: 1).count
        usleep(200_000)
        let held = mailbox.takeAll()
        // At most one step per row was under way when the pause came.
        #expect(trainingEvents(held, generation: 1).count <= 4 && before >= 20)
        worker.start(generation: 2, work: { _, post in post(.engineFailed(message: "next", generation: 2)) })
        let rest = collect(mailbox, until: 2, seconds: 10)
        #expect(rest.contains(.engineFinished(generation: 1)) && rest.contains(.engineFailed(message: "next", generation: 2)))
        worker.stop()
    }

    @Test func theSweepPostsOneResultPerRowAndRate() {
        let mailbox = EngineMailbox(), driver = TrainingDriver()
        let worker = EngineWorker(simulate: { _, _, _, _, _ in }, mailbox: mailbox, wake: { })
        let rates = [1e-3, 1e-2, 1e3]
        worker.start(generation: 3, work: driver.sweepWork(scenario, configuration(steps: 20), rates: rates, generation: 3, threads: 2))
        let results = trainingEvents(collect(mailbox, until: 3), generation: 3).compactMap {
            if case .sweep(let row, let rate, let result) = $0 { return (row, rate, result) }; return nil
        }
        worker.stop()
        #expect(results.count == 6)
        #expect(Set(results.map { "\($0.0),\($0.1)" }).count == 6)
        for (row, rate, result) in results {
            #expect(result.initializer == scenario.initializers[row].name && result.learningRate == rates[rate])
            // 1e3 with Adam: steps of 1e3 per weight; the loss blows up or the run diverges, never a small loss.
            if rate < 2 { #expect(result.finalLoss != nil && result.divergedAt == nil) }
        }
    }
}
