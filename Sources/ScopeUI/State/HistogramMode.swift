// Whether histograms are drawn in value or in log10|value|.

/// The histogram scale the user chose with `g`.
public enum HistogramMode: String, Equatable, Sendable {
    /// Bins equal in value.
    case linear
    /// Bins equal in log10|value| (exact zeros counted apart).
    case log

    /// The other mode.
    public var toggled: HistogramMode { self == .linear ? .log : .linear }
}
