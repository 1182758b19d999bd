// The live view's flags: --init is the exact set of rows (each name once), the default set without it; --sweep.
import Testing
import SignalFlow
@testable import initscope

@Test func liveInitIsTheExactRowSetAndDefaultsToXavierHeLsuv() throws {
    let exact = try ScenarioFlags.parse(["--init", "normal:1"]).liveScenario()
    #expect(exact.initializers.map(\.name) == ["normal:1"])
    let repeated = try ScenarioFlags.parse(["--init", "he,orthogonal,he"]).liveScenario()
    #expect(repeated.initializers.map(\.name) == ["he", "orthogonal"])
    #expect(try ScenarioFlags.parse([]).liveScenario().initializers.map(\.name) == ["xavier", "he", "lsuv"])
    #expect(try ScenarioFlags.parse([]).liveScenario().activation == .tanh)
}

@Test func sweepFlagSetsTheWholePictureTimeAndNoAnimationZeroesIt() throws {
    #expect(try DisplayFlags.parse([]).sweepMilliseconds == 1500)
    #expect(try DisplayFlags.parse(["--sweep", "400"]).sweepMilliseconds == 400)
    #expect(try DisplayFlags.parse(["--sweep", "400", "--no-animation"]).sweepMilliseconds == 0)
    #expect(throws: (any Error).self) { try DisplayFlags.parse(["--sweep", "60001"]) }
}
