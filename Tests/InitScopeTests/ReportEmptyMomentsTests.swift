// A quantity with no finite element has no moments: JSON null, CSV empty, table "-" for mean, variance, second
// moment, min and max (not the empty set's placeholders 0, +inf and -inf).
import Foundation
import SignalFlow
import Testing
@testable import initscope

/// One run of one layer whose activation (and gradient) are all NaN/inf; its pre-activation holds 4 finite values.
private func overflowRun() -> (Scenario, [RunReport]) {
    var empty = SummaryStats.empty
    empty.count = 8; empty.nonFiniteCount = 8
    let finite = SummaryStats(count: 8, mean: 0.5, variance: 2, secondMoment: 2.25, min: -1, max: 3,
                              saturatedFraction: 0, zeroFraction: 0.25, nonFiniteCount: 4)
    let layer = LayerReport(index: 1, quantities: [
        .preactivation: QuantityReport(stats: finite), .activation: QuantityReport(stats: empty),
        .activationGradient: QuantityReport(stats: empty), .weightGradient: QuantityReport(stats: empty),
        .weight: QuantityReport(stats: finite),
    ], theory: LayerTheory(preactivationSecondMoment: 2, gradientSecondMoment: nil))
    let scenario = Scenario(activation: .relu, depth: 1, width: 4, batch: 2, seed: 1,
                            initializers: [NamedInitializer(name: "normal:1", initializer: .normal(std: 1))])
    return (scenario, [RunReport(initializerName: "normal:1", layers: [layer], chi1: 0.5, depthScale: nil)])
}

@Test func jsonWritesNullForEveryMomentOfAnEmptyFiniteSet() throws {
    let (scenario, runs) = overflowRun()
    let text = ReportJSONFormatter.format(scenario: scenario, runs: runs, histograms: false)
    let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let layer = try #require(((document["runs"] as? [[String: Any]])?[0]["layers"] as? [[String: Any]])?[0])
    let activation = try #require(layer["activation"] as? [String: Any])
    for field in ["mean", "variance", "secondMoment", "min", "max"] {
        #expect(activation[field] is NSNull, "activation.\(field) = \(String(describing: activation[field]))")
    }
    #expect(activation["nonFinite"] as? Int == 8 && activation["zeroFraction"] as? Double == 0)
    let preactivation = try #require(layer["preactivation"] as? [String: Any])
    #expect(preactivation["mean"] as? Double == 0.5 && preactivation["min"] as? Double == -1 && preactivation["max"] as? Double == 3)
}

@Test func csvLeavesEveryMomentOfAnEmptyFiniteSetEmpty() throws {
    let (scenario, runs) = overflowRun()
    let lines = ReportCSVFormatter.format(scenario: scenario, runs: runs, histograms: false).split(separator: "\n")
    #expect(lines.count == 2)
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    let row = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    #expect(header.count == row.count)
    func value(_ column: String) -> String? { header.firstIndex(of: column).map { row[$0] } }
    for field in ["mean", "variance", "secondMoment", "min", "max"] {
        #expect(value("activation.\(field)") == "", "activation.\(field)")
        #expect(value("activationGradient.\(field)") == "", "activationGradient.\(field)")
    }
    #expect(value("activation.nonFinite") == "8" && value("activation.zeroFraction") == "0.0")
    #expect(value("preactivation.min") == "-1.0" && value("preactivation.max") == "3.0" && value("preactivation.mean") == "0.5")
    #expect(!lines[1].contains("inf"))
}

@Test func tableShowsADashForTheMomentsOfAnEmptyFiniteSet() {
    let (scenario, runs) = overflowRun()
    let lines = ReportTableFormatter.format(scenario: scenario, runs: runs).split(separator: "\n")
    // layer q(h) q MF var(x) var(dh) g MF sat% dead% nonfinite
    let row = lines.last.map { $0.split(separator: " ").map(String.init) } ?? []
    #expect(row == ["1", "2.25", "2", "-", "-", "-", "0.0", "0.0", "32"], "\(row)")
}
