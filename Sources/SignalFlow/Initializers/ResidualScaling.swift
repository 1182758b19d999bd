// Depth-dependent scale factors of residual and transformer initializations (reference section 2.10), and the
// mean-field growth of a residual stream. Legend: L = residual branches; m = weight layers per branch;
// N, M = encoder, decoder layers; Q = second moment of the residual stream.
import Foundation

/// Scale factors of residual/transformer schemes (Fixup, GPT-2/Megatron, T-Fixup, DeepNet) and stream growth.
public enum ResidualScaling {
    /// Fixup (Zhang et al. 2019): weight layers inside each branch are scaled by L^(-1/(2m - 2)); m >= 2.
    public static func fixupFactor(branches: Int, layersPerBranch: Int) -> Double {
        guard branches >= 1, layersPerBranch >= 2 else { return 1 }
        return Foundation.pow(Double(branches), -1 / Double(2 * layersPerBranch - 2))
    }

    /// GPT-2 / Megatron: std of the residual output projections, baseStd / sqrt(2 n_layer) (N = 2 n_layer).
    public static func gpt2ResidualStandardDeviation(layers: Int, baseStandardDeviation: Double = 0.02) -> Double {
        baseStandardDeviation / (2 * Double(max(layers, 1))).squareRoot()
    }

    /// T-Fixup (Huang et al. 2020): encoder factor 0.67 N^(-1/4) and decoder factor (9 M)^(-1/4).
    public static func tFixupFactors(encoderLayers: Int, decoderLayers: Int) -> (encoder: Double, decoder: Double) {
        (0.67 * Foundation.pow(Double(max(encoderLayers, 1)), -0.25), Foundation.pow(9 * Double(max(decoderLayers, 1)), -0.25))
    }

    /// DeepNorm (Wang et al. 2022) constants: alpha multiplies the skip, beta is the Xavier gain of FFN, value and
    /// output projections.
    public struct DeepNormConstants: Equatable, Sendable {
        /// Skip multiplier alpha.
        public var alpha: Double
        /// Initialization gain beta.
        public var beta: Double
    }

    /// DeepNorm for an encoder-only (BERT-like) stack of N layers: alpha = (2N)^(1/4), beta = (8N)^(-1/4).
    public static func deepNormEncoderOnly(layers: Int) -> DeepNormConstants {
        let n = Double(max(layers, 1))
        return DeepNormConstants(alpha: Foundation.pow(2 * n, 0.25), beta: Foundation.pow(8 * n, -0.25))
    }

    /// DeepNorm for a decoder-only (GPT-like) stack of M layers: alpha = (2M)^(1/4), beta = (8M)^(-1/4).
    public static func deepNormDecoderOnly(layers: Int) -> DeepNormConstants { deepNormEncoderOnly(layers: layers) }

    /// DeepNorm for an encoder-decoder (paper's form): encoder alpha = 0.81 (N^4 M)^(1/16), beta = 0.87 (N^4 M)^(-1/16);
    /// decoder alpha = (3M)^(1/4), beta = (12M)^(-1/4). (torchscale uses 1.15 instead of 0.87 for the encoder beta.)
    public static func deepNormEncoderDecoder(encoderLayers: Int, decoderLayers: Int)
        -> (encoder: DeepNormConstants, decoder: DeepNormConstants) {
        let n = Double(max(encoderLayers, 1)), m = Double(max(decoderLayers, 1))
        let mixed = Foundation.pow(n, 4) * m
        return (DeepNormConstants(alpha: 0.81 * Foundation.pow(mixed, 1.0 / 16), beta: 0.87 * Foundation.pow(mixed, -1.0 / 16)),
                DeepNormConstants(alpha: Foundation.pow(3 * m, 0.25), beta: Foundation.pow(12 * m, -0.25)))
    }

    /// Q_L / Q_0 of an unnormalized residual stream x + alpha_l F_l(x) with branch gains alpha_l^2 G_l:
    /// the product of (1 + alpha_l^2 G_l).
    public static func unnormalizedStreamGrowth(branchGains: [Double]) -> Double {
        branchGains.reduce(1) { $0 * (1 + $1) }
    }

    /// Q_L - Q_0 of a pre-LN residual stream (each branch sees a unit-second-moment input): the sum of alpha_l^2 G_l.
    public static func preLayerNormStreamIncrement(branchGains: [Double]) -> Double {
        branchGains.reduce(0, +)
    }
}
