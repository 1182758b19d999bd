// The engine worker: runs off the calling thread, a new job cancels the old one, failures are reported.
import Testing
import SignalFlow
#if canImport(Glibc)
import Glibc
#endif
@testable import initscope
import ScopeUI

private struct SimulatedFailure: Error, CustomStringConvertible { var description: String { "out of memory" } }

/// Waits (up to 5 s) until `mailbox` has delivered an `.engineFinished` for `generation`; returns every event seen.
private func collect(_ mailbox: EngineMailbox, until generation: Int) -> [Action] {
    var events: [Action] = []
    for _ in 0..<5000 {
        events += mailbox.takeAll()
        if events.contains(where: { if case .engineFinished(generation) = $0 { return true }; return false }) { break }
        usleep(1000)
    }
    return events
}

/// Waits (up to 5 s) for the first event of any kind; returns the events taken so far.
private func awaitFirstEvent(_ mailbox: EngineMailbox) -> [Action] {
    for _ in 0..<5000 {
        let events = mailbox.takeAll()
        if !events.isEmpty { return events }
        usleep(1000)
    }
    return []
}

private func layerIndices(_ events: [Action], generation wanted: Int) -> [Int] {
    events.compactMap {
        if case .engine(.forwardLayer(_, let layer), let generation) = $0, generation == wanted { return layer.index }
        return nil
    }
}

@Suite struct EngineWorkerTests {
    let scenario = Scenario(activation: .relu, depth: 3, width: 2, batch: 2, seed: 1, initializers: [])

    /// Emits `layers` forward events 1 ms apart, stopping when cancelled.
    static func slowSimulation(layers: Int) -> SimulationFunction {
        return { _, _, _, token, onEvent in
            for index in 0..<layers {
                if token.isCancelled { return }
                usleep(1000)
                onEvent(.forwardLayer(run: 0, layer: LayerReport(index: index, quantities: [:])))
            }
        }
    }

    @Test func aNewJobCancelsTheRunningOneAndRunsToCompletion() {
        let mailbox = EngineMailbox()
        let worker = EngineWorker(simulate: Self.slowSimulation(layers: 200), mailbox: mailbox, wake: { })
        worker.start(scenario, generation: 1)
        let early = awaitFirstEvent(mailbox)  // generation 1 is under way
        worker.start(scenario, generation: 2)
        let events = early + collect(mailbox, until: 2)
        let first = layerIndices(events, generation: 1), second = layerIndices(events, generation: 2)
        #expect(!first.isEmpty && first.count < 200)       // started, then cancelled part-way
        #expect(second == Array(0..<200))                   // the new run is complete and in order
        // Generation 1 ended before generation 2 produced anything: one run at a time.
        let endOfFirst = events.firstIndex { if case .engineFinished(1) = $0 { return true }; return false }
        let startOfSecond = events.firstIndex { if case .engine(_, 2) = $0 { return true }; return false }
        #expect(endOfFirst != nil && startOfSecond != nil && endOfFirst! < startOfSecond!)
        worker.stop()
    }

    @Test func failuresArePostedWithTheirMessage() {
        let mailbox = EngineMailbox()
        let worker = EngineWorker(simulate: { _, _, _, _, _ in throw SimulatedFailure() }, mailbox: mailbox, wake: {})
        worker.start(scenario, generation: 5)
        let events = collect(mailbox, until: 5)
        #expect(events.contains { if case .engineFailed("out of memory", 5) = $0 { return true }; return false })
        worker.stop()
    }

    @Test func cancelStopsTheRunWithoutFurtherEvents() {
        let mailbox = EngineMailbox()
        let worker = EngineWorker(simulate: Self.slowSimulation(layers: 10_000), mailbox: mailbox, wake: {})
        worker.start(scenario, generation: 3)
        let early = awaitFirstEvent(mailbox)
        worker.cancel()
        let events = early + collect(mailbox, until: 3)
        let count = layerIndices(events, generation: 3).count
        #expect(count > 0 && count < 10_000)
        usleep(20_000)
        #expect(mailbox.takeAll().isEmpty)  // nothing after the run ended
        worker.stop()
    }
}
