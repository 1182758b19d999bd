// Mean-field second moment of a residual stream (reference 2.10): the branch output is uncorrelated with the
// stream at initialization, so Q_l = alpha^2 Q_{l-1} + beta^2 E[F^2]; without normalization the branch sees the
// stream (multiplicative growth Q (alpha^2 + beta^2 G)), with pre-normalization a unit-second-moment input
// (additive growth alpha^2 Q + beta^2 G). Post-normalization has no line here (the stream is renormalized).
// Legend: Q = stream second moment; s1, s2 = fan_in Var(W1), fan_in Var(W2); sb^2 = bias variance;
// E[F^2](q) = s2 E[phi(sqrt(s1 q + sb^2) z)^2] + sb^2 for a branch input of second moment q.

/// Stream predictions of residual networks.
public enum ResidualMeanField {
    /// E[F^2] of a dense-phi-dense branch whose input has second moment `q`.
    public static func branchSecondMoment(activation: Activation, inputSecondMoment q: Double, branchIn s1: Double,
                                          branchOut s2: Double, biasVariance: Double) -> Double {
        let preactivation = s1 * q + biasVariance
        return signalProduct(s2, GaussianExpectation.squaredValue(activation, q: preactivation)) + biasVariance
    }

    /// Q_1 ... Q_L from the input's second moment Q_0, for per-block sigma_w^2 (s1, s2); nil for post-norm.
    public static func streamSecondMoments(options: ResidualOptions, activation: Activation, inputSecondMoment: Double,
                                           branchWeightVariances: [(branchIn: Double, branchOut: Double)],
                                           biasVariance: Double) -> [Double]? {
        let normalized = options.normalization != .none
        guard !normalized || options.position == .pre else { return nil }
        let alpha2 = options.skip * options.skip, beta2 = options.branchMultiplier * options.branchMultiplier
        var q = inputSecondMoment
        return branchWeightVariances.map { s in
            let branch = branchSecondMoment(activation: activation, inputSecondMoment: normalized ? 1 : q,
                                            branchIn: s.branchIn, branchOut: s.branchOut, biasVariance: biasVariance)
            q = alpha2 * q + signalProduct(beta2, branch)
            return q
        }
    }
}
