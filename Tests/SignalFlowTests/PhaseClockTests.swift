// The benchmark's per-phase clock times the engine's own run without changing a number.
import Foundation
import Testing
@testable import SignalFlow

@Test func aClockedRunGivesTheSameNumbersAndAccountsForItsPhases() throws {
    let scenario = Scenario(activation: .tanh, depth: 3, width: 300, batch: 256, seed: 3,
                            initializers: [NamedInitializer(name: "xavier", initializer: .xavierNormal(gain: 1)),
                                           NamedInitializer(name: "lsuv", initializer: try Initializer.parse("lsuv"))])
    let plain = try #require(try Experiment(scenario: scenario).run { _ in })
    let clocked = try Experiment(scenario: scenario)
    let clock = PhaseClock()
    clocked.clock = clock
    let start = PhaseClock.now()
    let timed = try #require(clocked.run { _ in })
    let wall = PhaseClock.now() - start
    #expect(timed == plain)
    let t = clock.times
    #expect(t.initialization > 0 && t.gemm > 0 && t.elementwise > 0 && t.statistics > 0 && t.calibration > 0)
    #expect(t.sum <= wall)
    // The yardstick: 3L - 1 products of 2 B n^2 flops (no dL/dx^0).
    #expect(clocked.gemmFlopsPerPass == Double(3 * 3 - 1) * 2 * 256 * 300 * 300)
    #expect(clocked.gemmOnlySeconds() > 0)
}
