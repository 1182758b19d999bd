// Statistical tests of RandomSource: moments, tails and CDF of the ziggurat normals; uniform moments.
// Tolerances are 5 standard errors of each statistic (reference section 4.0).
import Foundation
import Testing
@testable import SignalFlow

/// Standard normal CDF.
private func normalCDF(_ x: Double) -> Double { 0.5 * Foundation.erfc(-x / 2.0.squareRoot()) }

/// Draws `count` normals with fillNormal and returns them as Double.
private func drawNormals(count: Int, seed: UInt64, mean: Float = 0, std: Float = 1) -> [Float] {
    var random = RandomSource(seed: seed)
    var values = [Float](repeating: .nan, count: count)
    random.fillNormal(&values, mean: mean, standardDeviation: std)
    return values
}

@Test func normalMomentsOfOneMillionDrawsAreWithinFiveStandardErrors() {
    let n = 1_000_000
    let values = drawNormals(count: n, seed: 12345)
    var s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0
    for v in values { let x = Double(v); s1 += x; s2 += x * x; s3 += x * x * x; s4 += x * x * x * x }
    let count = Double(n)
    let mean = s1 / count, second = s2 / count, third = s3 / count, fourth = s4 / count
    #expect(Swift.abs(mean) < 5 * (1 / count).squareRoot())            // SE 1e-3
    #expect(Swift.abs(second - 1) < 5 * (2 / count).squareRoot())      // SE 1.41e-3
    #expect(Swift.abs(third) < 5 * (15 / count).squareRoot())          // Var(z^3) = 15
    #expect(Swift.abs(fourth / (second * second) - 3) < 5 * (24 / count).squareRoot())  // kurtosis SE ~ sqrt(24/n)
    #expect(values.allSatisfy { $0.isFinite })
}

@Test func normalTailFractionsMatchTheGaussian() {
    let n = 2_000_000
    let values = drawNormals(count: n, seed: 99)
    for threshold in [1.0, 2.0, 3.0, 3.6541528853610088, 4.0, 4.5] {
        let expected = 2 * (1 - normalCDF(threshold))
        let observed = Double(values.reduce(0) { $0 + (Swift.abs(Double($1)) > threshold ? 1 : 0) }) / Double(n)
        let standardError = (expected * (1 - expected) / Double(n)).squareRoot()
        #expect(Swift.abs(observed - expected) < 5 * standardError, "tail beyond \(threshold): \(observed) vs \(expected)")
    }
    // Both signs of the tail are used.
    #expect(values.contains { $0 > 4 } && values.contains { $0 < -4 })
}

@Test func normalCDFAtManyPointsMatches() {
    // Catches a wrong layer table: every layer boundary region shifts the empirical CDF.
    let n = 1_000_000
    let values = drawNormals(count: n, seed: 2024).map(Double.init).sorted()
    var x = -3.0
    while x <= 3.0 {
        let expected = normalCDF(x)
        var lo = 0, hi = n
        while lo < hi { let mid = (lo + hi) / 2; if values[mid] <= x { lo = mid + 1 } else { hi = mid } }
        let observed = Double(lo) / Double(n)
        let standardError = (expected * (1 - expected) / Double(n)).squareRoot()
        #expect(Swift.abs(observed - expected) < 5 * standardError, "CDF at \(x): \(observed) vs \(expected)")
        x += 0.125
    }
}

@Test func normalMeanAndStandardDeviationAreApplied() {
    let n = 400_000
    let values = drawNormals(count: n, seed: 5, mean: 3, std: 0.01)
    let mean = values.reduce(0.0) { $0 + Double($1) } / Double(n)
    let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(n)
    #expect(Swift.abs(mean - 3) < 5 * 0.01 / Double(n).squareRoot())
    #expect(Swift.abs(variance / 1e-4 - 1) < 5 * (2 / Double(n)).squareRoot() + 1e-4)
}

@Test func oddLengthAndEmptyBuffersAreFilled() {
    for count in [0, 1, 3, 7] {
        let values = drawNormals(count: count, seed: 1)
        #expect(values.allSatisfy { $0.isFinite })
    }
    var random = RandomSource(seed: 1)
    var odd = [Float](repeating: .nan, count: 5)
    random.fillUniform(&odd, lower: -1, upper: 1)
    #expect(odd.allSatisfy { $0 >= -1 && $0 < 1 })
}

@Test func uniformMomentsAndSupport() {
    let n = 1_000_000
    var random = RandomSource(seed: 77)
    var values = [Float](repeating: .nan, count: n)
    random.fillUniform(&values, lower: -2, upper: 2)
    #expect(values.allSatisfy { $0 >= -2 && $0 < 2 })
    let mean = values.reduce(0.0) { $0 + Double($1) } / Double(n)
    let second = values.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(n)
    // U(-2, 2): variance 4/3, Var(x^2) = E x^4 - (E x^2)^2 = 16/5 - 16/9.
    #expect(Swift.abs(mean) < 5 * (4.0 / 3 / Double(n)).squareRoot())
    #expect(Swift.abs(second - 4.0 / 3) < 5 * ((16.0 / 5 - 16.0 / 9) / Double(n)).squareRoot())
}

@Test func unitDoublesAndBoxMullerNormalsAreSane() {
    var random = RandomSource(seed: 3)
    let n = 200_000
    var s1 = 0.0, s2 = 0.0, u1 = 0.0
    for _ in 0..<n {
        let z = random.nextStandardNormal(); s1 += z; s2 += z * z
        let u = random.nextUnitDouble(); #expect(u >= 0 && u < 1); u1 += u
    }
    #expect(Swift.abs(s1 / Double(n)) < 5 / Double(n).squareRoot())
    #expect(Swift.abs(s2 / Double(n) - 1) < 5 * (2 / Double(n)).squareRoot())
    #expect(Swift.abs(u1 / Double(n) - 0.5) < 5 * (1.0 / 12 / Double(n)).squareRoot())
}

@Test func streamsAndSeedsGiveDifferentSequences() {
    var a = RandomSource(seed: 7, stream: 0), b = RandomSource(seed: 7, stream: 1), c = RandomSource(seed: 8, stream: 0)
    let xa = (0..<4).map { _ in a.next() }, xb = (0..<4).map { _ in b.next() }, xc = (0..<4).map { _ in c.next() }
    #expect(xa != xb && xa != xc && xb != xc)
    var again = RandomSource(seed: 7, stream: 0)
    #expect((0..<4).map { _ in again.next() } == xa)
}

@Test func normalChiSquareOverEquiprobableBins() {
    // 4M normals into 512 equiprobable bins (edges from the normal quantile): the statistic ~ chi^2(511),
    // mean 511, sd sqrt(2 * 511) = 32; the bound mean + 5 sd = 671. A wrong ziggurat layer (width or wedge
    // test) shifts mass between bins and fails this by hundreds of sd.
    let binCount = 512, n = 4_000_000
    let edges = (1..<binCount).map { InverseNormalCDF.quantile(Double($0) / Double(binCount)) }
    let values = drawNormals(count: n, seed: 4242)
    var counts = [Int](repeating: 0, count: binCount)
    for v in values {
        let x = Double(v)
        var lo = 0, hi = edges.count
        while lo < hi { let mid = (lo + hi) / 2; if edges[mid] <= x { lo = mid + 1 } else { hi = mid } }
        counts[lo] += 1
    }
    let expected = Double(n) / Double(binCount)
    let statistic = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
    print("chi-square over \(binCount) equiprobable bins: \(statistic) (df \(binCount - 1))")
    #expect(statistic < 511 + 5 * (2 * 511.0).squareRoot())
    #expect(statistic > 511 - 5 * (2 * 511.0).squareRoot())  // too good a fit means the values are not random
}
