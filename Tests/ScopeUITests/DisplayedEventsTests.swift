// DisplayedEvents: every event as `displayed` shapes it, and a finished block network's layers sharing storage with
// the displayed backward events already posted (so the UI thread's compare at a run's end is a look, not a deep one).
import Testing
@testable import ScopeUI
import SignalFlow

@Suite struct DisplayedEventsTests {
    /// The bits of a dictionary's storage reference: equal bits mean the same storage.
    private func storageBits(_ quantities: [Quantity: QuantityReport]) -> UInt {
        withUnsafeBytes(of: quantities) { $0.load(as: UInt.self) }
    }

    /// Every event of a small run of `initializers` on `architecture`, in engine order.
    private func events(_ architecture: Architecture, _ initializers: [String]) throws -> [PropagationEvent] {
        var scenario = Scenario(activation: .relu, depth: 4, width: 16, batch: 8, seed: 5,
                                initializers: initializers.map { NamedInitializer(name: $0, initializer: try! Initializer.parse($0)) })
        scenario.architecture = architecture
        var events: [PropagationEvent] = []
        _ = try Experiment(scenario: scenario).run { events.append($0) }
        return events
    }

    @Test func aFinishedResnetsLayersAreTheDisplayedBackwardCopies() throws {
        let all = try events(.resnet(ResidualOptions()), ["he", "fixup"])
        #expect(all.count == 2 * (4 + 4 + 1))
        var displayer = DisplayedEvents()
        var posted: [Int: [Int: LayerReport]] = [:]
        var finishedRuns = 0
        for event in all {
            let shown = displayer.display(event)
            #expect(shown == event.displayed)
            switch shown {
            case .forwardLayer: break
            case .backwardLayer(let run, let layer): posted[run, default: [:]][layer.index] = layer
            case .runFinished(let run, let report):
                finishedRuns += 1
                #expect(report.layers.count == 4)
                for layer in report.layers {
                    let backward = try #require(posted[run]?[layer.index])
                    #expect(storageBits(layer.quantities) == storageBits(backward.quantities), "run \(run) block \(layer.index)")
                    #expect(!layer.needsDisplaying)
                }
            }
        }
        #expect(finishedRuns == 2)
    }

    @Test func aFinishedLayerThatDiffersFromItsBackwardEventIsDisplayedAfresh() throws {
        let all = try events(.resnet(ResidualOptions()), ["he"])
        var displayer = DisplayedEvents()
        for event in all.dropLast() { _ = displayer.display(event) }
        guard case .runFinished(let run, var report) = all.last else { Issue.record("no end"); return }
        report.layers[1].streamTheory = 42   // not what block 2's backward event carried
        let shown = displayer.display(.runFinished(run: run, report: report))
        #expect(shown == PropagationEvent.runFinished(run: run, report: report).displayed)
        guard case .runFinished(_, let shownReport) = shown else { Issue.record("not an end"); return }
        #expect(shownReport.layers[1].streamTheory == 42)
    }

    @Test func anMLPsEventsPassUnchanged() throws {
        let all = try events(.mlp, ["xavier"])
        var displayer = DisplayedEvents()
        for event in all { #expect(displayer.display(event) == event) }
    }
}
