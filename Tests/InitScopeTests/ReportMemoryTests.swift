// The memory check of `initscope report` covers what the command really held: estimates against peak RSS
// measured with /usr/bin/time -v on `report --width 1 --batch 1 --depth D --format json --histograms`.
import Testing
import ScopeUI
import SignalFlow
@testable import initscope

@Test(arguments: [(200_000, 9_332_876 * 1024), (100_000, 4_679_740 * 1024)])
func theReportEstimateCoversTheMeasuredPeak(depth: Int, measuredPeakBytes: Int) throws {
    let scenario = try Scenario.uniform(activation: .relu, depth: depth, width: 1, batch: 1, seed: 7,
                                        initializers: AppState.comparisonSet())
    let estimate = scenario.memoryEstimate(ReportFormat.json.footprint(histograms: true))
    #expect(estimate.totalBytes >= measuredPeakBytes, "\(estimate)")
    #expect(estimate.totalBytes <= 2 * measuredPeakBytes, "\(estimate)")  // and is not absurdly cautious
    // The text held in memory is most of it: streamed output leaves the reports.
    #expect(estimate.outputBytes > estimate.reportBytes)
}

@Test func theWholeJSONTextOfTheIssuesCaseIsRefusedOnAnyMachine() throws {
    // 200,000 layers x 3 runs with histograms: the reports and the text exceed 8 GiB, the largest limit.
    let scenario = try Scenario.uniform(activation: .relu, depth: 200_000, width: 1, batch: 1, seed: 7,
                                        initializers: AppState.comparisonSet())
    #expect(scenario.memoryEstimate(ReportFormat.json.footprint(histograms: true)).totalBytes > 8 << 30)
    #expect(throws: ScenarioError.self) { try scenario.validate(ReportFormat.json.footprint(histograms: true)) }
}
