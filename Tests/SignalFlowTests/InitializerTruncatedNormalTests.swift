// Truncated normals: the +-2 sigma0 rejection sampler (JAX/Keras initializers) and the inverse-CDF sampler
// (PyTorch trunc_normal_ with absolute bounds) against the analytic distribution (reference 2.3, B5, B6).
import Foundation
import Testing
@testable import SignalFlow

@Test func inverseNormalCDFKnownValues() {
    #expect(Swift.abs(InverseNormalCDF.quantile(0.975) - 1.959963984540054) < 1e-14)
    #expect(Swift.abs(InverseNormalCDF.quantile(0.5)) == 0)
    #expect(Swift.abs(InverseNormalCDF.quantile(1e-10) + 6.361340902404056) < 1e-12)
    #expect(Swift.abs(InverseNormalCDF.quantile(0.02275013194817921) + 2) < 1e-13)
    #expect(InverseNormalCDF.quantile(0) == -.infinity && InverseNormalCDF.quantile(1) == .infinity)
    #expect(InverseNormalCDF.quantile(1.5).isNaN)
    for p in stride(from: 0.001, to: 1, by: 0.0137) {
        #expect(Swift.abs(TruncatedNormal.cdf(InverseNormalCDF.quantile(p)) - p) < 1e-14 * Swift.max(1, 1 / p), "p \(p)")
    }
}

/// Truncated-normal CDF on [alpha, beta] (standardized).
private func truncatedCDF(_ x: Double, alpha: Double, beta: Double) -> Double {
    let low = TruncatedNormal.cdf(alpha), high = TruncatedNormal.cdf(beta)
    return (TruncatedNormal.cdf(Swift.min(Swift.max(x, alpha), beta)) - low) / (high - low)
}

/// Checks mean, variance, kurtosis class and the CDF at 17 points of a standardized sample on [alpha, beta].
private func checkTruncatedSample(_ standardized: [Double], alpha: Double, beta: Double, label: String) {
    let n = Double(standardized.count)
    let expectedMean = TruncatedNormal.meanShift(alpha: alpha, beta: beta)
    let expectedVariance = TruncatedNormal.varianceFactor(alpha: alpha, beta: beta)
    let mean = standardized.reduce(0, +) / n
    let variance = standardized.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
    let fourth = standardized.reduce(0) { $0 + pow($1 - mean, 4) } / n
    #expect(Swift.abs(mean - expectedMean) < 5 * (expectedVariance / n).squareRoot(), "\(label): mean \(mean) vs \(expectedMean)")
    let kurtosis = fourth / (variance * variance)
    #expect(Swift.abs(variance / expectedVariance - 1) < 5 * ((kurtosis - 1) / n).squareRoot(), "\(label): variance \(variance) vs \(expectedVariance)")
    #expect(standardized.allSatisfy { $0 >= alpha - 1e-6 && $0 <= beta + 1e-6 }, "\(label): support")
    let sorted = standardized.sorted()
    for k in 1...17 {
        let x = alpha + (beta - alpha) * Double(k) / 18
        var lo = 0, hi = sorted.count
        while lo < hi { let mid = (lo + hi) / 2; if sorted[mid] <= x { lo = mid + 1 } else { hi = mid } }
        let expected = truncatedCDF(x, alpha: alpha, beta: beta)
        #expect(Swift.abs(Double(lo) / n - expected) < 5 * (expected * (1 - expected) / n).squareRoot() + 1e-9, "\(label): CDF at \(x)")
    }
}

@Test func rejectionSamplerMatchesTheTruncatedDistribution() {
    let count = 512 * 512
    var random = RandomSource(seed: 31, stream: 2)
    var values = [Float](repeating: 0, count: count)
    let sigma0: Float = 0.07105295214615978
    values.withUnsafeMutableBufferPointer { TruncatedNormal.fillSymmetricTwoSigma($0, sigma0: sigma0, random: &random) }
    #expect(values.allSatisfy { Swift.abs($0) < 2 * sigma0 })           // B5, strict (JAX)
    let standardized = values.map { Double($0) / Double(sigma0) }
    checkTruncatedSample(standardized, alpha: -2, beta: 2, label: "rejection")
    let moments = InitializerDrawMoments(values)
    #expect(Swift.abs(moments.kurtosis - 2.365537) < 5 * 0.0038)          // B6 class value
}

@Test func inverseCDFSamplerMatchesPyTorchTruncNormal() {
    // trunc_normal_(std = 1, a = -2, b = 2): variance 0.773741303549923 (A5), closed support.
    let count = 512 * 512
    var random = RandomSource(seed: 32, stream: 2)
    var values = [Float](repeating: 0, count: count)
    values.withUnsafeMutableBufferPointer { TruncatedNormal.fillInverseCDF($0, mean: 0, std: 1, lower: -2, upper: 2, random: &random) }
    #expect(values.allSatisfy { $0 >= -2 && $0 <= 2 })
    checkTruncatedSample(values.map(Double.init), alpha: -2, beta: 2, label: "inverse CDF")
    #expect(Swift.abs(InitializerDrawMoments(values).kurtosis - 2.365537) < 5 * 0.0038)
}

@Test func inverseCDFSamplerHandlesAsymmetricAndFarBounds() {
    var random = RandomSource(seed: 33, stream: 2)
    var values = [Float](repeating: 0, count: 200_000)
    // Absolute bounds: mean 0.5, std 2, [-1, 3] -> alpha = -0.75, beta = 1.25.
    values.withUnsafeMutableBufferPointer { TruncatedNormal.fillInverseCDF($0, mean: 0.5, std: 2, lower: -1, upper: 3, random: &random) }
    checkTruncatedSample(values.map { (Double($0) - 0.5) / 2 }, alpha: -0.75, beta: 1.25, label: "asymmetric")
    // Far upper tail [5, 6]: mirrored sampling keeps precision (naive Phi(5) = 0.9999997 would lose ~7 digits).
    values.withUnsafeMutableBufferPointer { TruncatedNormal.fillInverseCDF($0, mean: 0, std: 1, lower: 5, upper: 6, random: &random) }
    checkTruncatedSample(values.map(Double.init), alpha: 5, beta: 6, label: "far tail")
    // std = 0.02 with the default a, b = +-2: no truncation in practice (variance 0.0004).
    values.withUnsafeMutableBufferPointer { TruncatedNormal.fillInverseCDF($0, mean: 0, std: 0.02, lower: -2, upper: 2, random: &random) }
    let moments = InitializerDrawMoments(values)
    #expect(Swift.abs(moments.secondMoment / 0.0004 - 1) < 5 * (2 / 200_000.0).squareRoot())
    #expect(moments.kurtosis > 2.68)
    // Degenerate parameters fill the clamped mean, never NaN.
    values.withUnsafeMutableBufferPointer { TruncatedNormal.fillInverseCDF($0, mean: 7, std: 0, lower: -1, upper: 1, random: &random) }
    #expect(values.allSatisfy { $0 == 1 })
}
