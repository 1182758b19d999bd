// The fused histograms' lane kernel against the reference builders (`HistogramBuilder.linear` and `.logMagnitude`,
// element by element): equal counts on random tensors of every scale and on adversarial ones (zeros, subnormals,
// NaN, +-inf, values exactly on and next to the Float bin edges, huge and tiny magnitudes, ReLU-like halves of
// zeros), for data-driven and arbitrary ranges and bin counts around the kernel's limits (K < 256 zero slot, 256).
// And the engine's parallel report: the same bits as the scan and histograms of its fixed parts, whatever the threads.
import Foundation
import Testing
@testable import SignalFlow

/// The fused histograms and the two reference ones, for one range and bin count.
private func expectFusedMatchesReference(_ values: [Float], linear: (Double, Double), log: (Double, Double), bins: Int,
                                         _ label: String) {
    let fused = HistogramBuilder.linearAndLogMagnitude(values.span, linearLower: linear.0, linearUpper: linear.1,
                                                       logLower: log.0, logUpper: log.1, bins: bins)
    let referenceLinear = HistogramBuilder.linear(values.span, lower: linear.0, upper: linear.1, bins: bins)
    let referenceLog = HistogramBuilder.logMagnitude(values.span, lower: log.0, upper: log.1, bins: bins)
    #expect(fused.linear == referenceLinear, "linear \(label) \(linear) K=\(bins)")
    #expect(fused.logMagnitude == referenceLog, "log \(label) \(log) K=\(bins)")
    #expect(fused.linear.totalCount == values.count && fused.logMagnitude.totalCount == values.count, "\(label)")
}

@Test func fusedKernelMatchesTheReferenceOnRandomTensors() {
    var random = RandomSource(seed: 2026, stream: 12)
    let binChoices = [1, 2, 7, 63, 64, 65, 255, 256]
    for trial in 0..<300 {
        let count = Int(random.next() % 3000) + (trial % 3 == 0 ? 8 * Int(random.next() % 64) : 0)
        var values = [Float](repeating: 0, count: count)
        // A scale from 1e-40 to 1e38: tiny (subnormal), usual and huge magnitudes.
        let exponent = -40 + 78 * random.nextUnitDouble()
        random.fillNormal(&values, mean: 0, standardDeviation: Float(Foundation.pow(10, exponent)))
        switch trial % 6 {
        case 0: for i in values.indices { values[i] = Swift.max(values[i], 0) }            // ReLU-like: half zeros
        case 1: for i in values.indices where random.next() % 50 == 0 {                    // a sprinkle of special values
            values[i] = histogramSpecialValues[Int(random.next() % UInt64(histogramSpecialValues.count))] }
        case 2: for i in values.indices { values[i] = Float(Foundation.tanh(Double(values[i]))) }
        case 3: for i in values.indices where random.next() % 7 == 0 { values[i] = 0 }
        default: break
        }
        let bins = binChoices[trial % binChoices.count]
        let data = histogramDataRanges(values)
        expectFusedMatchesReference(values, linear: data.linear, log: data.log, bins: bins, "trial \(trial) data-driven")
        // Arbitrary ranges: parts of the data fall under and over, or everything does.
        let a = Double(Float(random.nextStandardNormal()) * 3), b = a + 4 * random.nextUnitDouble()
        let c = Foundation.floor(exponent) - 3 + 6 * random.nextUnitDouble(), d = c + 0.01 + 5 * random.nextUnitDouble()
        expectFusedMatchesReference(values, linear: (a * Foundation.pow(10, exponent), b * Foundation.pow(10, exponent)),
                                    log: (c, d), bins: bins, "trial \(trial) arbitrary")
    }
}

@Test func fusedKernelMatchesTheReferenceOnEdgesAndSpecials() {
    for bins in [1, 3, 64, 255, 256] {
        for (linear, log) in [((-1.0, 1.0), (-3.0, 0.0)), ((-2.5, 7.25), (-7.0, 1.0)), ((0.0, 1e-3), (-40.0, -30.0)),
                              ((-3e38, 3e38), (-45.0, 39.0)), ((1.0, 1.0), (2.0, 2.0))] {
            // Every linear edge lower + k (upper - lower) / K and every log edge 10^(lower + k w), as Float and their
            // neighbours, both signs, in runs of eight so that whole blocks take the lanes.
            var values: [Float] = []
            let width = (log.1 - log.0) / Double(bins)
            for k in 0...bins {
                let linearEdge = Float(linear.0 + Double(k) * (linear.1 - linear.0) / Double(bins))
                let logEdge = Float(Foundation.pow(10, log.0 + Double(k) * width))
                for edge in [linearEdge, logEdge] {
                    values += [edge, edge.nextUp, edge.nextDown, -edge, -edge.nextUp, -edge.nextDown, edge, edge.nextUp]
                }
            }
            expectFusedMatchesReference(values, linear: linear, log: log, bins: bins, "edges")
            expectFusedMatchesReference(values + histogramSpecialValues + [0, 0, 0, 0, 0, 0, 0, 0], linear: linear, log: log, bins: bins,
                                        "edges and specials")
            let data = histogramDataRanges(values)
            expectFusedMatchesReference(values, linear: data.linear, log: data.log, bins: bins, "edges, data-driven")
        }
    }
    // Tensors of nothing but one special value each, and of zeros (the slot) with one value in range.
    for special in histogramSpecialValues {
        let values = [Float](repeating: special, count: 24)
        let data = histogramDataRanges(values)
        expectFusedMatchesReference(values, linear: data.linear, log: data.log, bins: 64, "all \(special)")
    }
    var zerosAndOne = [Float](repeating: 0, count: 64)
    zerosAndOne[37] = 0.5
    let data = histogramDataRanges(zerosAndOne)
    expectFusedMatchesReference(zerosAndOne, linear: data.linear, log: data.log, bins: 64, "zeros and one value")
}

@Test func parallelReportIsTheMergeOfItsFixedParts() {
    var random = RandomSource(seed: 9, stream: 3)
    for count in [1000, 20_003, TensorStatistics.parallelThreshold - 1, TensorStatistics.parallelThreshold, 256 * 512 + 5, 512 * 512] {
        var values = [Float](repeating: 0, count: count)
        random.fillNormal(&values, mean: 0.1, standardDeviation: 0.7)
        for i in stride(from: 11, to: count, by: 997) { values[i] = 0 }
        let reports = [TensorStatistics.parallelReport(values.span)]
        // The parts the engine cuts (fixed by the count), scanned and binned one by one on this thread, then merged:
        // what any number of threads must give.
        let half = count >= TensorStatistics.parallelThreshold ? (count / 2) & ~7 : count
        let parts = [Array(values[..<half]), Array(values[half...])].filter { !$0.isEmpty }
        let scan = parts.map { TensorStatistics.scan($0.span) }.reduce(nil as TensorScan?) { $0?.merged(with: $1) ?? $1 }!
        let linear = HistogramBuilder.linearRange(for: scan), log = HistogramBuilder.logRange(for: scan)
        let linears = parts.map { HistogramBuilder.linear($0.span, lower: linear.lower, upper: linear.upper) }
        let logs = parts.map { HistogramBuilder.logMagnitude($0.span, lower: log.lower, upper: log.upper) }
        #expect(reports[0].stats == scan.stats, "count \(count)")
        #expect(reports[0].linear == linears.dropFirst().reduce(linears[0]) { $0.merged(with: $1) }, "count \(count)")
        #expect(reports[0].logMagnitude == logs.dropFirst().reduce(logs[0]) { $0.merged(with: $1) }, "count \(count)")
    }
}
