// Runs, caches, animation queues, predictions and training curves the view stopped showing, kept for the run loop
// to free on another thread. Freeing a deep run is freeing every layer's report (a dictionary and its histograms'
// arrays): measured 2026-12-01 with --stats-file, the key `A` (activation) spent 50-72 ms in its update at L=3000
// with one row and 175 ms in the soak (more rows, deeper), most of it in releasing the old reports and caches. A
// row's queue of events not yet revealed holds as many reports (16,001 at L=10,000 half-way through a sweep).
// `restart`, `setRows` and training snapshots hand them here instead; `AppState.takeRetired` gives them to the run
// loop, which frees them off the UI thread. Without a run loop (tests, snapshots) the oldest batches are freed in
// place beyond `limit`.
import SignalFlow

/// What the view dropped and has not freed yet: each batch as it was when replaced.
public struct RetiredRuns: Equatable, Sendable {
    /// Replaced `AppState.runs`, oldest first.
    public private(set) var runs: [[RunData]] = []
    /// Dropped `AppState.cachedRuns`, oldest first.
    public private(set) var caches: [[NamedInitializer: RunData]] = []
    /// Dropped training runs, oldest first.
    public private(set) var trainings: [TrainingState] = []
    /// Replaced `AppState.queues` (events received, not revealed), oldest first.
    public private(set) var queues: [[RevealQueue]] = []
    /// Dropped `AppState.predictions` (O(L) per row), oldest first.
    public private(set) var predictions: [[NamedInitializer: RowPrediction]] = []
    /// Batches of each kind kept at most; older ones are freed where they are (nothing took them).
    public static let limit = 4

    /// Nothing retired.
    public init() {}

    /// True when nothing waits.
    public var isEmpty: Bool { runs.isEmpty && caches.isEmpty && trainings.isEmpty && queues.isEmpty && predictions.isEmpty }

    /// Keeps `runs` (when any) for the run loop to free.
    mutating func retire(runs replaced: [RunData]) {
        guard !replaced.isEmpty else { return }
        runs.append(replaced)
        if runs.count > RetiredRuns.limit { runs.removeFirst() }
    }

    /// Keeps `cache` (when not empty) for the run loop to free.
    mutating func retire(cache: [NamedInitializer: RunData]) {
        guard !cache.isEmpty else { return }
        caches.append(cache)
        if caches.count > RetiredRuns.limit { caches.removeFirst() }
    }

    /// Keeps `training` (when any) for the run loop to free.
    mutating func retire(training: TrainingState?) {
        guard let training else { return }
        trainings.append(training)
        if trainings.count > RetiredRuns.limit { trainings.removeFirst() }
    }

    /// Keeps `queues` (when any holds an event) for the run loop to free.
    mutating func retire(queues replaced: [RevealQueue]) {
        guard replaced.contains(where: { !$0.pending.isEmpty }) else { return }
        queues.append(replaced)
        if queues.count > RetiredRuns.limit { queues.removeFirst() }
    }

    /// Keeps `predictions` (when not empty) for the run loop to free.
    mutating func retire(predictions dropped: [NamedInitializer: RowPrediction]) {
        guard !dropped.isEmpty else { return }
        predictions.append(dropped)
        if predictions.count > RetiredRuns.limit { predictions.removeFirst() }
    }
}

extension AppState {
    /// Takes what the view dropped since the last call (nil when nothing): the caller frees it, off the UI thread.
    public mutating func takeRetired() -> RetiredRuns? {
        guard !retired.isEmpty else { return nil }
        defer { retired = RetiredRuns() }
        return retired
    }
}
