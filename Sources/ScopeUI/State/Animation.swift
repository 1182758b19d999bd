// The animation queue: engine events wait here and are revealed one layer event per delay.
import SignalFlow

/// Reveals one event into the runs it belongs to (events for unknown runs are dropped).
func reveal(_ state: inout AppState, _ event: PropagationEvent) {
    let run = event.runIndex
    guard state.runs.indices.contains(run) else { return }
    state.runs[run].apply(event)
}

/// Reveals queued events up to and including the next layer event, plus any `runFinished` right behind it
/// (those cost no animation time). Does nothing when the queue is empty.
func revealNextLayerEvent(_ state: inout AppState) {
    while !state.pendingEvents.isEmpty {
        let event = state.pendingEvents.removeFirst().event
        reveal(&state, event)
        if event.isLayerEvent { break }
    }
    while let next = state.pendingEvents.first, !next.event.isLayerEvent {
        reveal(&state, state.pendingEvents.removeFirst().event)
    }
}

/// Advances the animation clock by `elapsedMilliseconds` and reveals one layer event per full delay.
/// Paused or with nothing queued the clock does not run.
func advanceAnimation(_ state: inout AppState, elapsedMilliseconds: Double) {
    guard !state.paused, !state.pendingEvents.isEmpty, elapsedMilliseconds.isFinite, elapsedMilliseconds > 0 else { return }
    let delay = state.animationDelayMilliseconds
    guard delay > 0 else {
        while !state.pendingEvents.isEmpty { revealNextLayerEvent(&state) }
        return
    }
    state.animationClockMilliseconds += elapsedMilliseconds
    while state.animationClockMilliseconds >= delay && !state.pendingEvents.isEmpty {
        state.animationClockMilliseconds -= delay
        revealNextLayerEvent(&state)
    }
    if state.pendingEvents.isEmpty { state.animationClockMilliseconds = 0 }
}
