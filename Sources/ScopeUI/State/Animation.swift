// The reveal sweep: engine events wait in one queue per row and are revealed by a cursor that sweeps every row
// together, forward 1...L then backward L...1, in a fixed time whatever the depth.
// Legend: L = depth; a sweep has 2L steps: forward layer l is step l, backward layer l is step 2L - l + 1.
import DequeModule
import SignalFlow

/// The engine events of one row received but not yet revealed, oldest first.
public struct RevealQueue: Equatable, Sendable {
    /// Events waiting for the sweep cursor, in engine order (forward 1...L, backward L...1, runFinished).
    public var pending: Deque<PropagationEvent> = []
    /// True once the engine delivered the row's `runFinished` (revealed or still pending): its numbers are final.
    public var delivered = false
    /// An empty queue.
    public init() {}
}

/// Milliseconds a whole picture takes to sweep in, whatever the depth (`--sweep`).
public let defaultSweepMilliseconds = 1500.0

/// The shortest interval between animation ticks (ms): a deep sweep reveals several steps per tick.
let minimumTickMilliseconds = 15.0

/// The sweep step (1...2L) at which `event` is revealed for a run of `depth` layers.
func sweepStep(_ event: PropagationEvent, depth: Int) -> Int {
    switch event {
    case .forwardLayer(_, let layer): return layer.index
    case .backwardLayer(_, let layer): return 2 * depth - layer.index + 1
    case .runFinished: return 2 * depth
    }
}

/// Steps of the sweep the cursor has passed (0...2L): all of them once the sweep time is over.
func sweepCursor(_ state: AppState) -> Int {
    let steps = 2 * max(1, state.scenario.depth)
    guard state.sweepMilliseconds > 0, state.sweepClockMilliseconds < state.sweepMilliseconds else { return steps }
    return min(steps, Int(state.sweepClockMilliseconds / state.sweepMilliseconds * Double(steps)))
}

/// True while the sweep clock has not reached its end.
func sweepInProgress(_ state: AppState) -> Bool {
    state.sweepMilliseconds > 0 && state.sweepClockMilliseconds < state.sweepMilliseconds
}

/// Reveals one event into the run it belongs to (events for unknown rows are dropped).
func reveal(_ state: inout AppState, _ event: PropagationEvent) {
    let run = event.runIndex
    guard state.runs.indices.contains(run) else { return }
    state.runs[run].apply(event)
}

/// Reveals every queued event the cursor has passed, as soon as it has arrived: a row's scale is fitted to mean
/// field's prediction while it computes (SparklineScales). A row without a prediction is held back until its run
/// is complete (its scale, fitted to all its values, then never jumps mid-sweep) unless the sweep is over, when
/// events are shown as they arrive (progress of a long run).
func revealDue(_ state: inout AppState) {
    let cursor = sweepCursor(state), over = !sweepInProgress(state), depth = state.scenario.depth
    for row in state.queues.indices where over || state.queues[row].delivered || hasPrediction(state, row: row) {
        while let next = state.queues[row].pending.first, sweepStep(next, depth: depth) <= cursor {
            state.queues[row].pending.removeFirst()
            reveal(&state, next)
        }
    }
}

/// Reveals everything queued at once: the sweep skips to its end.
func skipSweep(_ state: inout AppState) {
    state.sweepClockMilliseconds = state.sweepMilliseconds
    revealDue(&state)
}

/// Advances the sweep clock by `elapsedMilliseconds` (not while paused) and reveals what the cursor passed.
func advanceAnimation(_ state: inout AppState, elapsedMilliseconds: Double) {
    guard !state.paused, elapsedMilliseconds.isFinite, elapsedMilliseconds > 0 else { return }
    if sweepInProgress(state) {
        state.sweepClockMilliseconds = min(state.sweepMilliseconds, state.sweepClockMilliseconds + elapsedMilliseconds)
    }
    revealDue(&state)
}

/// Moves the cursor one step (`.`), paused or not.
func stepSweep(_ state: inout AppState) {
    let steps = Double(2 * max(1, state.scenario.depth))
    if sweepInProgress(state) {
        let stepLength = state.sweepMilliseconds / steps
        let next = (Double(sweepCursor(state)) + 1) * stepLength
        state.sweepClockMilliseconds = min(state.sweepMilliseconds, next)
    }
    revealDue(&state)
}

/// True when some row still has events the sweep has not revealed.
func hasPendingEvents(_ state: AppState) -> Bool { state.queues.contains { !$0.pending.isEmpty } }
