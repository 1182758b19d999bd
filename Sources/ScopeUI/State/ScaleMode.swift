// Whether each row's sparklines have their own log scale or all rows share one.

/// The sparkline scale the user chose with `S`.
public enum ScaleMode: String, Equatable, Sendable {
    /// Each row fitted to its own values (contrast within a row; the default).
    case perRow
    /// One scale fitted to every row (rows compare at a glance).
    case shared

    /// The other mode.
    public var toggled: ScaleMode { self == .perRow ? .shared : .perRow }
}
