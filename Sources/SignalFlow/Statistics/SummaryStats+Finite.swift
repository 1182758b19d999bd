// Whether a summary has moments at all: mean, variance, second moment, min and max are taken over the finite
// elements only, and a tensor with none (all NaN/inf, or empty) has no moments (not 0, not +-infinity).

extension SummaryStats {
    /// Number of finite elements, the ones every moment, min and max is taken over.
    public var finiteCount: Int { count - nonFiniteCount }

    /// True when at least one element is finite, i.e. when mean, variance, secondMoment, min and max mean anything;
    /// false for an empty set, whose fields hold the placeholders 0 and +-infinity.
    public var hasFiniteValues: Bool { finiteCount > 0 }
}
