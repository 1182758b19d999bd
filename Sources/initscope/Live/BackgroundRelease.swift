// Frees what the view dropped (old runs, caches, training curves) on a utility queue instead of the UI thread, so
// a key that replaces a deep run is on screen at once; the freeing (hundreds of thousands of small blocks for
// 10,000 layers) happens beside it.
import Dispatch
import ScopeUI

/// Frees retired values on a background queue.
final class BackgroundRelease: Sendable {
    /// One serial queue: batches are freed in the order they were dropped.
    private let queue = DispatchQueue(label: "initscope.release", qos: .utility)
    /// How long the queue waits before dropping a batch (milliseconds): long enough for the run loop to let go of
    /// its own reference first, so the last one, and the freeing, is the queue's.
    static let delayMilliseconds = 20

    /// Frees `retired` on the queue, `delayMilliseconds` from now.
    func release(_ retired: RetiredRuns) {
        queue.asyncAfter(deadline: .now() + .milliseconds(BackgroundRelease.delayMilliseconds)) {
            withExtendedLifetime(retired) {}
        }
    }
}
