// Histograms: linear bins on hand-checked arrays, exact log10|x| binning against Double log10, zeros,
// under/overflow and non-finite counts.
import Foundation
import Testing
@testable import SignalFlow

@Test func linearHistogramHandChecked() {
    let values: [Float] = [0, 0.1, 0.25, 0.5, 0.75, 0.99, 1, 1.5, -0.1, .nan, .infinity]
    let h = HistogramBuilder.linear(values.span, lower: 0, upper: 1, bins: 4)
    // Bins [0, .25) [.25, .5) [.5, .75) [.75, 1]: 0, 0.1 | 0.25 | 0.5 | 0.75, 0.99, 1 (closed last bin).
    #expect(h.binCounts == [2, 1, 1, 3])
    #expect(h.underflow == 1 && h.overflow == 1 && h.nonFinite == 2)
    #expect(h.totalCount == values.count)
    #expect(h.binWidth == 0.25)
}

@Test func dataDrivenRangesCoverTheData() throws {
    let values: [Float] = [-3, 0, 0.001, 2, 5]
    let full = TensorStatistics.report(values.span, bins: 8)
    let report = (linear: try #require(full.linear), logMagnitude: try #require(full.logMagnitude))
    #expect(report.linear.lower == -3 && report.linear.upper == 5)
    #expect(report.linear.underflow == 0 && report.linear.overflow == 0)
    #expect(report.linear.binCounts.reduce(0, +) == 5)
    #expect(report.linear.binCounts.first == 1 && report.linear.binCounts.last == 1)
    // |x| from 1e-3 to 5: decades [-3, 1]; the zero is counted apart.
    #expect(report.logMagnitude.lower == -3 && report.logMagnitude.upper == 1)
    #expect(report.logMagnitude.zeroCount == 1 && report.logMagnitude.binCounts.reduce(0, +) == 4)
    #expect(report.logMagnitude.totalCount == 5)
    // Constant tensor: a unit-wide range around it.
    let twos = [Float](repeating: 2, count: 5)
    let constant = try #require(TensorStatistics.report(twos.span, bins: 4).linear)
    #expect(constant.lower == 1.5 && constant.upper == 2.5 && constant.binCounts == [0, 0, 5, 0])
    // All zeros: no magnitude range; every element is a zero.
    let zeroValues = [Float](repeating: 0, count: 6)
    let zeros = try #require(TensorStatistics.report(zeroValues.span).logMagnitude)
    #expect(zeros.zeroCount == 6 && zeros.binCounts.reduce(0, +) == 0)
}

@Test func logHistogramBinsExactlyAgainstFloatEdges() {
    var random = RandomSource(seed: 5, stream: 9)
    var values = [Float](repeating: 0, count: 20_000)
    for i in values.indices {
        // Magnitudes spread over 30 decades, both signs, plus some subnormals.
        let exponent = random.nextUnitDouble() * 30 - 20
        let sign: Float = random.next() & 1 == 0 ? 1 : -1
        values[i] = sign * Float(Foundation.pow(10, exponent))
    }
    values[0] = Float.leastNonzeroMagnitude * 3
    let (lower, upper, bins) = (-46.0, 11.0, 64)
    let h = HistogramBuilder.logMagnitude(values.span, lower: lower, upper: upper, bins: bins)
    let width = (upper - lower) / Double(bins)
    let edges = (0...bins).map { Float(Foundation.pow(10, lower + Double($0) * width)) }
    var expected = [Int](repeating: 0, count: bins)
    for v in values {
        let a = Swift.abs(v)
        var bin = 0
        while bin < bins - 1 && a >= edges[bin + 1] { bin += 1 }
        expected[bin] += 1
    }
    #expect(h.binCounts == expected)
    #expect(h.underflow == 0 && h.overflow == 0 && h.zeroCount == 0)
    // A narrower range sends the tails to under/overflow.
    let narrow = HistogramBuilder.logMagnitude(values.span, lower: -5, upper: 5, bins: 10)
    let below = values.filter { Swift.abs($0) < 1e-5 }.count, above = values.filter { Swift.abs($0) > 1e5 }.count
    #expect(narrow.underflow == below && narrow.overflow == above)
    #expect(narrow.totalCount == values.count)
}

@Test func logHistogramIsExactWithVeryNarrowBins() {
    // 4000 bins over one decade: bins far narrower than the fast log2 guess's error.
    var random = RandomSource(seed: 8, stream: 2)
    let values = (0..<5000).map { _ in Float(Foundation.pow(10, random.nextUnitDouble())) }
    let bins = 4000
    let h = HistogramBuilder.logMagnitude(values.span, lower: 0, upper: 1, bins: bins)
    let edges = (0...bins).map { Float(Foundation.pow(10, Double($0) / Double(bins))) }
    var expected = [Int](repeating: 0, count: bins)
    for a in values {
        var bin = 0
        while bin < bins - 1 && a >= edges[bin + 1] { bin += 1 }
        expected[bin] += 1
    }
    #expect(h.binCounts == expected)
}

@Test func extremeRangesNeverTrap() throws {
    // Values spanning the whole Float range, and degenerate or non-finite requested ranges.
    let values: [Float] = [-Float.greatestFiniteMagnitude, -1, 0, Float.leastNonzeroMagnitude, 1, Float.greatestFiniteMagnitude]
    let full = TensorStatistics.report(values.span)
    let report = (linear: try #require(full.linear), logMagnitude: try #require(full.logMagnitude))
    #expect(report.linear.binCounts.reduce(0, +) == 6)
    #expect(report.linear.binCounts.first == 1 && report.linear.binCounts.last == 1)
    #expect(report.logMagnitude.binCounts.reduce(0, +) == 5 && report.logMagnitude.zeroCount == 1)
    let odd: [(Double, Double)] = [(0, 0), (1, -1), (.nan, 1), (-.infinity, .infinity), (0, 1e-300), (-1e300, 1e300),
                                   (0, Double.leastNonzeroMagnitude), (-Double.leastNormalMagnitude / 1000, 0), (-50, -49.9999999)]
    for (lower, upper) in odd {
        let linear = HistogramBuilder.linear(values.span, lower: lower, upper: upper)
        #expect(linear.totalCount == 6, "linear \(lower) \(upper)")
        let log = HistogramBuilder.logMagnitude(values.span, lower: lower, upper: upper)
        #expect(log.totalCount == 6, "log \(lower) \(upper)")
    }
}

@Test func fusedHistogramsEqualTheSeparateOnes() {
    var random = RandomSource(seed: 17, stream: 6)
    var values = [Float](repeating: 0, count: 50_000)
    random.fillNormal(&values, mean: 0, standardDeviation: 3)
    values[3] = 0; values[4] = .nan; values[5] = .infinity; values[6] = Float.leastNonzeroMagnitude; values[7] = 1e-30
    let ranges: [(Double, Double, Double, Double, Int)] = [(-4, 4, -3, 1, 64), (-20, 20, -46, 2, 64), (0, 1, 0, 0.5, 1000), (.nan, 1, 5, 5, 7)]
    for (l0, l1, g0, g1, bins) in ranges {
        let fused = HistogramBuilder.linearAndLogMagnitude(values.span, linearLower: l0, linearUpper: l1, logLower: g0,
                                                           logUpper: g1, bins: bins)
        let linear = HistogramBuilder.linear(values.span, lower: l0, upper: l1, bins: bins)
        let log = HistogramBuilder.logMagnitude(values.span, lower: g0, upper: g1, bins: bins)
        #expect(fused.linear == linear, "linear \(l0) \(l1)")
        #expect(fused.logMagnitude == log, "log \(g0) \(g1)")
    }
}
