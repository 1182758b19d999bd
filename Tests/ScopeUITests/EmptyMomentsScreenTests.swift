// The live view's statistics panel shows "-" for the mean, std and measured q of a quantity with no finite element
// (all NaN/inf): the empty set has no moments, and its placeholders (0) would read as "vanished".
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct EmptyMomentsScreenTests {
    /// Summary of `count` elements, none finite.
    static func allNonFinite(_ count: Int) -> SummaryStats {
        var stats = SummaryStats.empty
        stats.count = count; stats.nonFiniteCount = count
        return stats
    }

    @Test func statsTableShowsADashForTheMomentsOfAnEmptyFiniteSet() {
        var report = UITestSupport.reluLayer(index: 3, q: 1, g: 0.5, count: 1000)
        for quantity in [Quantity.preactivation, .activation, .activationGradient] {
            report.quantities[quantity]!.stats = Self.allNonFinite(1000)
        }
        let table = StatsTable.layerStatistics(report, activation: .relu)
        let cells = Dictionary(uniqueKeysWithValues: table.rows.map { ($0.label, $0.cells) })
        #expect(cells["mean"] == ["-", "-"] && cells["std"] == ["-", "-"] && cells["q meas"] == ["-", "-"])
        #expect(cells["non-fin"] == ["1000", "1000"] && cells["dead"] == ["0.0%", "0.0%"])
    }

    @Test func theScreenShowsADashForTheMomentsOfAnOverflowedLayer() {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        let layer = state.selectedLayer
        var report = state.runs[state.focusedRow].layers[layer - 1]!
        for quantity in [Quantity.preactivation, .activation] { report.quantities[quantity]!.stats = Self.allNonFinite(256 * 512) }
        state.runs[state.focusedRow].layers[layer - 1] = report
        let lines = view(state).lines
        func row(_ label: String) -> [String] {
            guard let line = lines.first(where: { $0.dropFirst(56).hasPrefix(label) }) else { return [] }
            return line.dropFirst(56).split(separator: " ").map(String.init)
        }
        #expect(row("mean") == ["mean", "-", "0"], "\(lines)")
        #expect(row("std") == ["std", "-", "0.709"])
        #expect(row("q meas") == ["q", "meas", "-", "0.503"])
        #expect(row("non-fin") == ["non-fin", "131072", "0"])
    }
}
