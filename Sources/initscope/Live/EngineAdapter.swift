// The simulation run on the engine worker thread: SignalFlow's Experiment, reporting each layer, with the
// buffers kept per shape between runs (a key that changes only the seed or the initializers reuses them).
import Foundation
import ScopeUI
import SignalFlow
import Synchronization

/// Runs scenarios for the live view, one at a time, on the engine worker thread.
/// @unchecked Sendable: `storage` is touched only by `simulate`, which the engine worker calls from its one thread.
final class EngineAdapter: @unchecked Sendable {
    /// The workspace of the last shape run: reused for the same shape, released before another is allocated.
    private let storage = WorkspaceStore()
    /// The forward passes of the last MLP scenario's rows: `+` and `-` recompute only the layers they add.
    private let forwardCache = ForwardPrefixCache()
    /// The thread of the first `simulate`: `storage` and `forwardCache` are unguarded, so every call must come from it.
    private let callerThread = Mutex<pthread_t?>(nil)

    /// An adapter with no storage yet.
    init() {}

    /// Runs `rows` of `scenario` (indices into its initializers, in that order) until done or cancelled,
    /// measuring what `plan` asks (what the screen shows), calling `onEvent` for every finished layer (forward,
    /// then backward) and run, with the row as the event's run index. Each initializer's numbers depend only on
    /// the scenario without its initializer set (its streams: seed and layer), so a subset gives the same numbers,
    /// bit for bit, as the whole set. Throws the engine's one-line error when the scenario is refused (sizes,
    /// memory: the live view keeps one copy of every report in its state).
    func simulate(_ scenario: Scenario, _ plan: MeasurementPlan, _ rows: [Int], _ cancellation: CancellationToken,
                  _ onEvent: (PropagationEvent) -> Void) throws {
        // The previous run's reports (dropped by the view when this job was asked for) and experiment are free
        // now: hand their pages back, or glibc keeps them and RSS stays at the largest run's.
        callerThread.withLock { caller in
            if let caller {
                precondition(pthread_equal(caller, pthread_self()) != 0, "EngineAdapter.simulate called from a second thread")
            } else {
                caller = pthread_self()
            }
        }
        FreedMemory.returnToSystem()
        let rows = rows.filter { scenario.initializers.indices.contains($0) }
        guard !rows.isEmpty else { return }
        forwardCache.keepOnly(scenario, plan: plan)
        // Rows that run on another network (a "+bn" row: BatchNorm in every block) go in their own experiment; the
        // groups keep the order asked for (the focused row's group first).
        var groups: [(architecture: Architecture, rows: [Int])] = []
        for row in rows {
            let architecture = ArchitectureRows.architecture(of: scenario.initializers[row], in: scenario.architecture)
            if let index = groups.firstIndex(where: { $0.architecture == architecture }) { groups[index].rows.append(row) }
            else { groups.append((architecture, [row])) }
        }
        for group in groups {
            if cancellation.isCancelled { return }
            var subset = scenario
            subset.architecture = group.architecture
            subset.initializers = group.rows.map { scenario.initializers[$0] }
            // The view keeps every report in its state; the engine needs only the run in progress.
            let footprint = RunFootprint(plan: plan, callerReportCopies: 1, keepsFinishedRuns: false)
            let experiment = try Experiment(scenario: subset, footprint: footprint, storage: storage)
            experiment.forwardCache = forwardCache
            _ = experiment.run(cancellation: cancellation) { event in onEvent(event.movedToRow(group.rows[event.runIndex])) }
        }
    }
}

extension PropagationEvent {
    /// The same event with `row` as its run index.
    func movedToRow(_ row: Int) -> PropagationEvent {
        switch self {
        case .forwardLayer(_, let layer): return .forwardLayer(run: row, layer: layer)
        case .backwardLayer(_, let layer): return .backwardLayer(run: row, layer: layer)
        case .runFinished(_, let report): return .runFinished(run: row, report: report)
        }
    }
}
