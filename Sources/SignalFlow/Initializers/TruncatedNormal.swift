// Truncated normal: moments (reference section 2.3) and a Float32 sampler for the JAX/Keras +-2 sigma0 convention.
// Legend: sigma0 = std before truncation; alpha, beta = standardized bounds; phi, Phi = N(0,1) pdf and cdf.
import Foundation

/// Moments and sampling of normal distributions truncated to an interval.
public enum TruncatedNormal {
    /// JAX/Keras constant: std of N(0,1) truncated to [-2, 2] (divide the target std by it to get sigma0).
    public static let standardDeviationOfUnitTruncatedAtTwo = 0.87962566103423978

    /// Standard normal pdf phi(x).
    public static func pdf(_ x: Double) -> Double { Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() }

    /// Standard normal cdf Phi(x).
    public static func cdf(_ x: Double) -> Double { 0.5 * Foundation.erfc(-x / 2.0.squareRoot()) }

    /// Variance of N(0, 1) truncated to the standardized interval [alpha, beta] (multiply by sigma0^2 for the
    /// variance in units): 1 + (alpha phi(alpha) - beta phi(beta))/Z - ((phi(alpha) - phi(beta))/Z)^2.
    public static func varianceFactor(alpha: Double, beta: Double) -> Double {
        let z = cdf(beta) - cdf(alpha)
        let pa = alpha.isFinite ? pdf(alpha) : 0, pb = beta.isFinite ? pdf(beta) : 0
        let ta = alpha.isFinite ? alpha * pa : 0, tb = beta.isFinite ? beta * pb : 0
        let shift = (pa - pb) / z
        return 1 + (ta - tb) / z - shift * shift
    }

    /// Mean of N(0, 1) truncated to [alpha, beta] (multiply by sigma0 for units).
    public static func meanShift(alpha: Double, beta: Double) -> Double {
        let z = cdf(beta) - cdf(alpha)
        let pa = alpha.isFinite ? pdf(alpha) : 0, pb = beta.isFinite ? pdf(beta) : 0
        return (pa - pb) / z
    }

    /// Fills `buffer` with N(0, sigma0^2) conditioned on |x| < 2 sigma0 (open interval, so it satisfies both the
    /// JAX open and the Keras/PyTorch closed convention), by rejection: each value outside is redrawn
    /// (about 4.55 % of them).
    /// The result has standard deviation 0.8796 * sigma0.
    static func fillSymmetricTwoSigma(_ buffer: UnsafeMutableBufferPointer<Float>, sigma0: Float,
                                             random: inout RandomSource) {
        random.fillNormal(buffer, mean: 0, standardDeviation: 1)
        let limit = 2 * sigma0
        for index in buffer.indices {
            var value = buffer[index]
            while !(Swift.abs(value) < 2) { value = Float(random.nextZigguratNormal()) }
            // Rounding of value * sigma0 can land on 2 sigma0 exactly; pull it inside.
            var scaled = value * sigma0
            if !(Swift.abs(scaled) < limit) { scaled = scaled > 0 ? limit.nextDown : (-limit).nextUp }
            buffer[index] = scaled
        }
    }
}

extension TruncatedNormal {
    /// Fills `buffer` with N(mean, std^2) conditioned on [lower, upper] (absolute bounds, as PyTorch `trunc_normal_`)
    /// by inverse CDF: u ~ U[Phi(alpha), Phi(beta)), x = mean + std Phi^{-1}(u), clamped to the closed interval.
    /// Intervals above the mean are sampled as the mirror image so that far tails keep their precision.
    /// Requires std > 0 and lower < upper (otherwise fills `mean` clamped into the interval).
    static func fillInverseCDF(_ buffer: UnsafeMutableBufferPointer<Float>, mean: Double, std: Double,
                                      lower: Double, upper: Double, random: inout RandomSource) {
        guard std > 0, lower < upper, std.isFinite else {
            let value = Float(Swift.min(Swift.max(mean, lower), upper))
            for index in buffer.indices { buffer[index] = value }
            return
        }
        var alpha = (lower - mean) / std, beta = (upper - mean) / std
        let mirrored = alpha > 0
        if mirrored { (alpha, beta) = (-beta, -alpha) }
        let low = cdf(alpha), high = cdf(beta)
        for index in buffer.indices {
            var z = InverseNormalCDF.quantile(low + (high - low) * random.nextUnitDouble())
            z = Swift.min(Swift.max(z, alpha), beta)
            if mirrored { z = -z }
            var value = mean + std * z
            value = Swift.min(Swift.max(value, lower), upper)
            buffer[index] = Float(value)
        }
    }
}
