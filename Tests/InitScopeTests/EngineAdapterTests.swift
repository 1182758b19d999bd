// The live view's engine adapter computes only the rows asked for, in the order asked, and a row computed alone
// gives the same numbers, bit for bit, as in the whole comparison set (so the view may keep rows it has).
import Testing
import ScopeUI
import SignalFlow
@testable import initscope

@Suite struct EngineAdapterTests {
    let scenario = Scenario(activation: .tanh, depth: 4, width: 16, batch: 8, seed: 7,
                            initializers: ["xavier", "he", "lsuv", "orthogonal"].map {
                                NamedInitializer(name: $0, initializer: try! Initializer.parse($0))
                            })

    func events(_ rows: [Int]) throws -> [PropagationEvent] {
        var events: [PropagationEvent] = []
        try EngineAdapter().simulate(scenario, .everything, rows, CancellationToken()) { events.append($0) }
        return events
    }

    @Test func aRowComputedAloneMatchesTheWholeSetBitForBit() throws {
        let all = try events([0, 1, 2, 3])
        let some = try events([3, 2])
        // Rows keep their index, in the order asked: orthogonal (3) first, then lsuv (2); 4 forward, 4 backward, done.
        #expect(some.map(\.runIndex) == Array(repeating: 3, count: 9) + Array(repeating: 2, count: 9))
        #expect(some.filter { $0.runIndex == 3 } == all.filter { $0.runIndex == 3 })
        #expect(some.filter { $0.runIndex == 2 } == all.filter { $0.runIndex == 2 })
        #expect(try events([]).isEmpty && (try events([9])).isEmpty)
    }

    /// A "+bn" row of a resnet runs with BatchNorm in every block: its events are those of He on a BatchNorm
    /// resnet, bit for bit, while the plain he row runs without normalization; each keeps its row index.
    @Test func aBatchNormRowRunsOnItsOwnNetwork() throws {
        let rows = ["he", "he+bn"].map { ScopeUI.InitializerCatalog.named($0)! }
        var plain = Scenario(activation: .relu, depth: 3, width: 16, batch: 8, seed: 7, initializers: rows)
        plain.architecture = .resnet(ResidualOptions())
        var events: [PropagationEvent] = []
        try EngineAdapter().simulate(plain, .everything, [1, 0], CancellationToken()) { events.append($0) }
        #expect(events.map(\.runIndex) == Array(repeating: 1, count: 7) + Array(repeating: 0, count: 7))
        var batchNorm = plain
        batchNorm.architecture = .resnet(ResidualOptions(normalization: .batch))
        batchNorm.initializers = [rows[0]]
        var expected: [PropagationEvent] = []
        _ = try Experiment(scenario: batchNorm).run { expected.append($0.movedToRow(1)) }
        #expect(events.filter { $0.runIndex == 1 }.map(\.withoutRunReport) == expected.map(\.withoutRunReport))
        var alone = plain
        alone.initializers = [rows[0]]
        var unnormalized: [PropagationEvent] = []
        _ = try Experiment(scenario: alone).run { unnormalized.append($0) }
        #expect(events.filter { $0.runIndex == 0 }.map(\.withoutRunReport) == unnormalized.map(\.withoutRunReport))
        #expect(events.filter { $0.runIndex == 0 }.map(\.withoutRunReport) != expected.map { $0.movedToRow(0).withoutRunReport })
    }
}

extension PropagationEvent {
    /// The event with a finished run's name and options blanked (the layers compared alone).
    var withoutRunReport: PropagationEvent {
        guard case .runFinished(let run, var report) = self else { return self }
        report.initializerName = ""; report.residualOptions = nil
        return .runFinished(run: run, report: report)
    }
}
