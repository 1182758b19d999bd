// TensorStatistics: exact values on small hand-checked arrays (incl. NaN and infinities), the vector
// path against a naive Double computation, saturation and zero counts.
import Foundation
import Testing
@testable import SignalFlow

private func summarize(_ values: [Float], _ rule: SaturationRule = .none) -> TensorScan {
    TensorStatistics.scan(values.span, saturation: rule)
}

@Test func handCheckedMoments() {
    // 1, 2, 3, 4, 0: mean 2, population variance 2, E[x^2] = 30/5 = 6.
    let scan = summarize([1, 2, 3, 4, 0])
    let s = scan.stats
    #expect(s.count == 5 && s.nonFiniteCount == 0)
    #expect(s.mean == 2 && s.variance == 2 && s.secondMoment == 6)
    #expect(s.min == 0 && s.max == 4 && s.zeroFraction == 0.2 && s.saturatedFraction == 0)
    #expect(scan.minimumNonzeroMagnitude == 1 && scan.maximumMagnitude == 4)
}

@Test func nonFiniteValuesAreCountedAndExcluded() {
    let values: [Float] = [1, .nan, 3, .infinity, -.infinity, 0, -2, 2, 1, 1, 1, 1]
    let s = summarize(values).stats
    // Finite: 1, 3, 0, -2, 2, 1, 1, 1, 1 -> sum 8, mean 8/9, sum of squares 22.
    #expect(s.count == 12 && s.nonFiniteCount == 3)
    #expect(Swift.abs(s.mean - 8.0 / 9) < 1e-15)
    #expect(Swift.abs(s.secondMoment - 22.0 / 9) < 1e-14)
    #expect(Swift.abs(s.variance - (22.0 / 9 - 64.0 / 81)) < 1e-14)
    #expect(s.min == -2 && s.max == 3)
    #expect(s.zeroFraction == 1.0 / 12)
    let allBad = summarize([.nan, .infinity]).stats
    #expect(allBad.count == 2 && allBad.nonFiniteCount == 2 && allBad.mean == 0 && allBad.variance == 0)
    #expect(allBad.min == .infinity && allBad.max == -.infinity)
    let empty = summarize([]).stats
    #expect(empty == .empty)
}

@Test func saturationFollowsTheActivationRule() {
    let tanhValues: [Float] = [-1, -0.995, -0.99, 0, 0.5, 0.99, 0.9901, 1]
    let tanhScan = summarize(tanhValues, .activationValues(of: .tanh)).stats
    let expectedTanh = tanhValues.filter { Activation.tanh.isSaturated(activationValue: $0) }.count
    #expect(expectedTanh == 4)
    #expect(tanhScan.saturatedFraction == Double(expectedTanh) / 8)
    let sigmoidValues: [Float] = [0, 0.005, 0.01, 0.5, 0.99, 0.995, 1, 0.02, 0.3]
    let sigmoidScan = summarize(sigmoidValues, .activationValues(of: .sigmoid)).stats
    let expectedSigmoid = sigmoidValues.filter { Activation.sigmoid.isSaturated(activationValue: $0) }.count
    #expect(expectedSigmoid == 4)
    #expect(sigmoidScan.saturatedFraction == Double(expectedSigmoid) / 9)
    #expect(summarize(tanhValues, .activationValues(of: .relu)).stats.saturatedFraction == 0)
}

@Test func vectorPathMatchesNaiveDouble() {
    // 100 003 elements (not a multiple of 8, crosses a block boundary) with an offset mean.
    var random = RandomSource(seed: 11, stream: 3)
    var values = [Float](repeating: 0, count: 100_003)
    random.fillNormal(&values, mean: 3, standardDeviation: 0.5)
    values[17] = 0; values[99_999] = 0
    let s = summarize(values).stats
    let doubles = values.map(Double.init)
    let mean = doubles.reduce(0, +) / Double(doubles.count)
    let variance = doubles.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(doubles.count)
    #expect(Swift.abs(s.mean - mean) < 1e-9)  // Float partial sums of 16 per lane: ~1e-10 here
    #expect(Swift.abs(s.variance - variance) / variance < 1e-8)
    #expect(Swift.abs(s.secondMoment - (variance + mean * mean)) < 1e-8)
    #expect(s.min == doubles.min()! && s.max == doubles.max()!)
    #expect(s.zeroFraction == 2.0 / 100_003)
    // One NaN anywhere switches to the scalar path with identical finite moments.
    var withNaN = values
    withNaN.append(.nan)
    let t = summarize(withNaN).stats
    #expect(t.nonFiniteCount == 1 && t.count == 100_004)
    #expect(Swift.abs(t.mean - mean) < 1e-12 && Swift.abs(t.variance - variance) / variance < 1e-10)
}

@Test func hugeValuesDoNotOverflowTheSquares() {
    // Float max squared overflows Float but not the Double accumulators.
    let s = summarize([Float.greatestFiniteMagnitude, -Float.greatestFiniteMagnitude]).stats
    #expect(s.nonFiniteCount == 0)
    let m = Double(Float.greatestFiniteMagnitude)
    #expect(Swift.abs(s.secondMoment - m * m) / (m * m) < 1e-12)
    #expect(s.mean == 0)
}

@Test func parallelReportEqualsTheSerialOne() {
    // Two parts merged (Chan's update, summed counts) against one pass over everything, incl. specials.
    var random = RandomSource(seed: 31, stream: 4)
    var values = [Float](repeating: 0, count: 200_001)
    random.fillNormal(&values, mean: 0.7, standardDeviation: 2)
    values[5] = 0; values[150_000] = .nan; values[99_999] = -.infinity; values[123] = 0
    let serial = TensorStatistics.report(values.span, saturation: .activationValues(of: .tanh))
    let parallel = TensorStatistics.parallelReport(values.span, saturation: .activationValues(of: .tanh))
    #expect(parallel.linear == serial.linear && parallel.logMagnitude == serial.logMagnitude)
    let (a, b) = (parallel.stats, serial.stats)
    #expect(a.count == b.count && a.nonFiniteCount == b.nonFiniteCount && a.min == b.min && a.max == b.max)
    #expect(Swift.abs(a.mean - b.mean) < 1e-9 && Swift.abs(a.variance - b.variance) / b.variance < 1e-9)
    #expect(Swift.abs(a.zeroFraction - b.zeroFraction) < 1e-15 && Swift.abs(a.saturatedFraction - b.saturatedFraction) < 1e-15)
    #expect(a.nonFiniteCount == 2 && a.zeroFraction == 2.0 / 200_001)
}

/// An overflowed value is non-finite, never "saturated": ReLU (no saturation) showed sat% 40.5 at the layer where
/// `--init normal:1e30` overflowed, because +-inf met the `.none` rule's infinite bounds. 16 values: the vector path
/// falls back to element by element on a block holding infinities; both paths agree with isSaturated.
@Test func infinitiesAreNonFiniteNotSaturated() {
    let values: [Float] = [.infinity, -.infinity, 1, 2, .nan, 3, .infinity, 0, 5, -.infinity, 6, 7, 8, 9, 10, 11]
    for activation in [Activation.relu, .linear, .gelu, .leakyRelu(slope: 0.01)] {
        let stats = summarize(values, .activationValues(of: activation)).stats
        #expect(stats.saturatedFraction == 0, "\(activation)")
        #expect(stats.nonFiniteCount == 5)
    }
    // Bounded activations are unchanged: tanh's values +-1 and beyond 0.99 are saturated; NaN is not.
    let tanhValues: [Float] = [1, -1, 0.5, .nan, 0.995, 0, -0.2, 0.1]
    #expect(summarize(tanhValues, .activationValues(of: .tanh)).stats.saturatedFraction == 3.0 / 8)
}
