// The memory check of `initscope report` covers what the command really held: estimates against peak RSS
// measured with /usr/bin/time -f %M on `report --width 1 --batch 1 --depth D --format json --histograms`.
// The output is streamed (ReportCommand): the text (976 MB of JSON at depth 100000) is never held, so the
// peak is the engine and the reports: 4.88 GB at depth 200000 (1.95 GB of JSON), 2.45 GB at 100000; before
// streaming it was 9.33 GB and 4.68 GB.
import Testing
import SignalFlow
@testable import initscope

/// Streamed output, measured 2026-11-30 on this 2-core machine (loaded by other builds; RSS does not depend on it).
@Test(arguments: [(200_000, 4_879_444 * 1024), (100_000, 2_453_272 * 1024)])
func theReportEstimateCoversTheMeasuredPeak(depth: Int, measuredPeakBytes: Int) throws {
    let scenario = try Scenario.uniform(activation: .relu, depth: depth, width: 1, batch: 1, seed: 7,
                                        initializers: NamedInitializer.defaultComparison())
    let estimate = scenario.memoryEstimate(ReportFormat.json.footprint(histograms: true))
    #expect(estimate.totalBytes >= measuredPeakBytes, "\(estimate)")
    #expect(estimate.totalBytes <= 2 * measuredPeakBytes, "\(estimate)")  // and is not absurdly cautious
}

@Test func theStreamedOutputAddsNothingThatGrowsWithDepth() {
    for format in ReportFormat.allCases {
        for histograms in [false, true] {
            #expect(format.footprint(histograms: histograms).outputBytesPerLayer == 0, "\(format) \(histograms)")
        }
    }
}
