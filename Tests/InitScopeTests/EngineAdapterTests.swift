// The live view's engine adapter computes only the rows asked for, in the order asked, and a row computed alone
// gives the same numbers, bit for bit, as in the whole comparison set (so the view may keep rows it has).
import Testing
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
}
