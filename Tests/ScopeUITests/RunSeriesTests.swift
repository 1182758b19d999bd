// RunSeries: the per-layer numbers a frame reads are kept in step with the layer reports event by event, so they
// equal what the reports themselves say (the widgets read these instead of copying every report on every frame).
import SignalFlow
import Testing
@testable import ScopeUI

@Suite struct RunSeriesTests {
    /// The log10|x| histograms the heat maps showed before RunSeries: each report's panel site, else the quantity.
    func shownHistograms(_ run: RunData, _ quantity: Quantity, site: String?) -> [Histogram?] {
        run.layers.map { report in
            guard let report else { return nil }
            return (site.flatMap { report.site($0) } ?? report.quantities[quantity])?.logMagnitude
        }
    }

    /// Every per-layer number of `run.perLayer` against the reports it came from.
    func expectInStep(_ run: RunData, sites: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for quantity in Quantity.allCases {
            #expect(run.perLayer.stats(quantity) == run.layers.map { $0?.stats(quantity) }, sourceLocation: sourceLocation)
            for site in sites + [nil] as [String?] {
                #expect(run.perLayer.logHistograms(quantity, site: site) == shownHistograms(run, quantity, site: site),
                        sourceLocation: sourceLocation)
            }
        }
        #expect(run.perLayer.theory == run.layers.map { $0?.theory }, sourceLocation: sourceLocation)
        #expect(run.perLayer.streamTheory == run.layers.map { $0?.streamTheory }, sourceLocation: sourceLocation)
        #expect(run.perLayer.nonFiniteCount == run.layers.map { $0?.nonFiniteCount ?? 0 }, sourceLocation: sourceLocation)
        #expect(run.forwardCount == run.layers.filter { $0 != nil }.count, sourceLocation: sourceLocation)
        #expect(run.perLayer.calibratedLayers == run.layers.filter { $0?.lsuv != nil }.count, sourceLocation: sourceLocation)
        #expect(run.perLayer == RunSeries(layers: run.layers), sourceLocation: sourceLocation)
    }

    @Test func anMLPRunStaysInStepThroughForwardBackwardAndFinish() {
        var run = RunData(depth: 50)
        expectInStep(run, sites: [])
        for (count, event) in UITestSupport.reluEvents(depth: 50).enumerated() {
            run.apply(event)
            // Forward reports, then backward ones replacing them, then the finished report: check along the way.
            if count % 17 == 0 { expectInStep(run, sites: []) }
        }
        expectInStep(run, sites: [])
        #expect(run.forwardCount == 50)
        #expect(run.perLayer.stats(.activationGradient).allSatisfy { $0 != nil })
    }

    @Test func aResidualRunKeepsEverySiteAndForgetsSitesAReplacingReportLacks() {
        let depth = 6, names = [ResidualSite.stream, ResidualSite.streamGradient, ResidualSite.branchPre, "only.forward"]
        func site(_ name: String, _ variance: Double) -> SiteReport {
            SiteReport(name: name, quantity: UITestSupport.quantity(variance: variance, count: 1024))
        }
        var run = RunData(depth: depth)
        for l in 1...depth {
            run.apply(.forwardLayer(run: 0, layer: LayerReport(index: l, quantities: [:], sites: [
                site(ResidualSite.stream, Double(l)), site(ResidualSite.branchPre, 2), site("only.forward", 3),
            ], streamTheory: Double(l)).displayed))
        }
        expectInStep(run, sites: names)
        #expect(run.perLayer.logHistograms(.preactivation, site: "only.forward").allSatisfy { $0 != nil })
        // The backward report of block 3 replaces its forward one and has no "only.forward" site: the series forgets it.
        run.apply(.backwardLayer(run: 0, layer: LayerReport(index: 3, quantities: [:], sites: [
            site(ResidualSite.stream, 3), site(ResidualSite.streamGradient, 0.5), site(ResidualSite.branchPre, 2),
        ], streamTheory: 3).displayed))
        expectInStep(run, sites: names)
        #expect(run.perLayer.logHistograms(.preactivation, site: "only.forward")[2] == nil)
        #expect(run.perLayer.stats(.activationGradient)[2]?.variance == run.layers[2]?.site(ResidualSite.streamGradient)?.stats.variance)
        // Setting `layers` wholesale rebuilds the series.
        run.layers[4] = nil
        expectInStep(run, sites: names)
        #expect(run.forwardCount == depth - 1)
    }

    @Test func aDisplayedReportIsDisplayedAlreadySoTheEnginesDisplayingIsTheUpdatesToo() {
        // The engine thread displays events before posting them; the update displays them again, which must change
        // nothing (and, for a report already displayed, copy nothing).
        func site(_ name: String, _ variance: Double) -> SiteReport {
            SiteReport(name: name, quantity: UITestSupport.quantity(variance: variance, count: 64))
        }
        let block = LayerReport(index: 1, quantities: [:], sites: [site(ResidualSite.stream, 2), site(ResidualSite.streamGradient, 0.5),
                                                                  site(ResidualSite.branchPre, 1)], streamTheory: 2)
        #expect(block.needsDisplaying)
        let shown = block.displayed
        #expect(!shown.needsDisplaying && shown.displayed == shown)
        #expect(shown.quantities[.activation] == block.site(ResidualSite.stream))
        #expect(shown.quantities[.activationGradient] == block.site(ResidualSite.streamGradient))
        // A forward block (no gradient site yet) and an MLP layer (no sites) need nothing more once displayed.
        var forward = block; forward.sites.removeAll { $0.name == ResidualSite.streamGradient }
        #expect(forward.needsDisplaying && !forward.displayed.needsDisplaying && forward.displayed.quantities[.activationGradient] == nil)
        let mlp = UITestSupport.reluLayer(index: 1, q: 2, g: 0.5, count: 64)
        #expect(!mlp.needsDisplaying && mlp.displayed == mlp)
        let finished = PropagationEvent.runFinished(run: 0, report: RunReport(initializerName: "he", layers: [block, forward]))
        #expect(finished.displayed.displayed == finished.displayed)
        if case .runFinished(_, let report) = finished.displayed { #expect(report.layers == [shown, forward.displayed]) }
    }

    @Test func seriesHoldingTheSameNumbersCompareEqualWhateverOrderTheSitesArrivedIn() {
        func site(_ name: String, _ variance: Double) -> SiteReport {
            SiteReport(name: name, quantity: UITestSupport.quantity(variance: variance, count: 1024))
        }
        func report(_ l: Int, _ names: [String]) -> LayerReport {
            LayerReport(index: l, quantities: [:], sites: names.map { site($0, Double(l)) }, streamTheory: Double(l))
        }
        // Layer 1 brings "b" first in one series and "a" first in the other.
        let reports = [report(1, ["a", "b"]), report(2, ["a", "b"])]
        var forward = RunSeries(depth: 2), reversed = RunSeries(depth: 2)
        forward.set(reports[0], at: 0); forward.set(reports[1], at: 1)
        reversed.set(report(1, ["b", "a"]), at: 0); reversed.set(reports[1], at: 1)
        #expect(forward == reversed)
        #expect(forward == RunSeries(layers: reports))
        // A site every layer has dropped leaves nothing behind: equal to a series that never saw it.
        var dropped = RunSeries(layers: [report(1, ["a", "gone"]), report(2, ["a"])])
        dropped.set(report(1, ["a"]), at: 0)
        #expect(dropped == RunSeries(layers: [report(1, ["a"]), report(2, ["a"])]))
        #expect(dropped != forward)
    }

    @Test func theMeanFieldLineReadsTheVariancesKeptForItsActivationAndComputesTheRest() {
        var kept = RunData(depth: 50, activation: .relu), plain = RunData(depth: 50)
        for event in UITestSupport.reluEvents(depth: 50) { kept.apply(event); plain.apply(event) }
        let expected = kept.layers.map { $0?.theory.map { predictedActivationVariance(.relu, q: $0.preactivationSecondMoment) } }
        #expect(kept.perLayer.predictedActivationVariance == expected)
        #expect(expected.allSatisfy { $0 != nil })
        #expect(plain.perLayer.predictedActivationVariance.allSatisfy { $0 == nil })
        let columns = RowColumns(ScreenLayout(UITestSupport.completedReluState(width: 80, height: 24)))
        func line(_ run: RunData, _ activation: Activation) -> MeanFieldRow {
            MeanFieldRow(columns: columns, run: run, name: "he", activation: activation, width: 512, scales: [], selectedLayer: 1)
        }
        #expect(line(kept, .relu).predicted(.activation) == expected)
        #expect(line(plain, .relu).predicted(.activation) == expected)
        // A line drawn for another activation than the one kept: computed for its own (tanh's var differs from ReLU's).
        let tanh = kept.layers.map { $0?.theory.map { predictedActivationVariance(.tanh, q: $0.preactivationSecondMoment) } }
        #expect(line(kept, .tanh).predicted(.activation) == tanh)
        #expect(tanh != expected)
    }
}
