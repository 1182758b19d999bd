// Oracles A6-A10 and A20 (reference 4.1): residual and transformer scale factors, residual stream growth.
import Testing
@testable import SignalFlow

private func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool { Swift.abs(a - b) <= tolerance }

@Test func gpt2ResidualStandardDeviations() {
    // A6 (1e-12 relative).
    #expect(close(ResidualScaling.gpt2ResidualStandardDeviation(layers: 12), 0.004082482904638631, 1e-14))
    #expect(close(ResidualScaling.gpt2ResidualStandardDeviation(layers: 24), 0.002886751345948129, 1e-14))
    #expect(close(ResidualScaling.gpt2ResidualStandardDeviation(layers: 48), 0.0020412414523193153, 1e-14))
}

@Test func deepNormConstants() {
    // A7, A8 (10 and 8 decimals as printed).
    let twelve = ResidualScaling.deepNormEncoderOnly(layers: 12)
    #expect(close(twelve.alpha, 2.2133638394, 1e-10) && close(twelve.beta, 0.3194715521, 1e-10))
    let thousand = ResidualScaling.deepNormEncoderOnly(layers: 1000)
    #expect(close(thousand.alpha, 6.6874030498, 1e-10) && close(thousand.beta, 0.1057371263, 1e-10))
    let pair = ResidualScaling.deepNormEncoderDecoder(encoderLayers: 6, decoderLayers: 6)
    #expect(close(pair.encoder.alpha, 1.41793814, 1e-8) && close(pair.encoder.beta, 0.49698924, 1e-8))
    #expect(close(pair.decoder.alpha, 2.05976714, 1e-8) && close(pair.decoder.beta, 0.34329452, 1e-8))
}

@Test func tFixupAndFixupFactors() {
    // A9, A10; ResNet-20 (L = 9, m = 2) -> 1/3.
    let factors = ResidualScaling.tFixupFactors(encoderLayers: 6, decoderLayers: 6)
    #expect(close(factors.encoder, 0.428092, 5e-7) && close(factors.decoder, 0.368894, 5e-7))
    #expect(close(ResidualScaling.fixupFactor(branches: 54, layersPerBranch: 2), 0.13608276348795434, 1e-15))
    #expect(close(ResidualScaling.fixupFactor(branches: 16, layersPerBranch: 3), 0.5, 1e-15))
    #expect(close(ResidualScaling.fixupFactor(branches: 9, layersPerBranch: 2), 1.0 / 3, 1e-15))
}

@Test func residualStreamGrowth() {
    // A20: 24 branches with alpha^2 G = 1/24: (25/24)^24 = 2.663731258068599 unnormalized; pre-LN adds 1.
    let gains = Array(repeating: 1.0 / 24, count: 24)
    #expect(close(ResidualScaling.unnormalizedStreamGrowth(branchGains: gains), 2.663731258068599, 1e-14))
    #expect(close(ResidualScaling.preLayerNormStreamIncrement(branchGains: gains), 1, 1e-15))
    // Unscaled branches (alpha = G = 1) double the stream each time: 2^(2L) for L = 12 blocks of 2 branches.
    #expect(ResidualScaling.unnormalizedStreamGrowth(branchGains: Array(repeating: 1, count: 24)) == 16_777_216)
}
