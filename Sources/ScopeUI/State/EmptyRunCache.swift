// The empty run every row of a new generation starts from, kept between keys. An empty run of L layers is about 20
// arrays of L entries (the reports and RunSeries' per-layer numbers: ~9 MB at L = 10,000), all fresh pages: built
// twice per key (setRows and restart), it was 10-20 ms of the update of `m`, `]` or `s` at L = 10,000 (more under
// load, where a longer update is more often preempted). A key that keeps the depth and activation reuses it; one that
// keeps the depth alone (`a`) shares its arrays.
import SignalFlow

/// The last empty run built, by depth and activation: a cache, not part of what the state means, so two states
/// compare equal whatever it holds.
struct EmptyRunCache: Equatable, Sendable {
    /// The cached run (no layer reported), nil before the first.
    private var run: RunData?

    /// A cache holding `run` (which must be empty).
    init(_ run: RunData? = nil) { self.run = run }

    /// `RunData(depth: depth, activation: activation)`, built only when the cached one has another depth; for
    /// another activation at the same depth, the cached one's arrays are shared (`RunData.emptied(for:)`).
    mutating func emptyRun(depth: Int, activation: Activation) -> RunData {
        if let run, run.layers.count == max(0, depth) {
            if run.perLayer.activation == activation { return run }
            let shared = run.emptied(for: activation)
            self.run = shared
            return shared
        }
        let built = RunData(depth: depth, activation: activation)
        run = built
        return built
    }

    /// Always true: what the cache holds is a function of the state's scenario.
    static func == (lhs: EmptyRunCache, rhs: EmptyRunCache) -> Bool { true }
}
