// Adapter: ScopeUI's pure AppState / update / view as the run loop's LiveApplication.
import ScopeUI
import SignalFlow
import Terminal

/// The live front end as the run loop drives it.
struct ScopeApplication: LiveApplication {
    /// The whole UI state.
    private(set) var state: AppState

    /// Wraps an initial state.
    init(state: AppState) { self.state = state }

    mutating func handle(_ action: Action) -> [Effect] { update(&state, action) }

    mutating func takeRetired() -> RetiredRuns? { state.takeRetired() }

    func render(width: Int, height: Int) -> Canvas {
        guard width == state.terminalWidth, height == state.terminalHeight else {
            var sized = state
            sized.terminalWidth = width; sized.terminalHeight = height
            return view(sized)
        }
        return view(state)
    }

    var tickIntervalMilliseconds: Int? {
        guard let interval = ScopeUI.tickIntervalMilliseconds(state), interval.isFinite else { return nil }
        return Int(max(0, min(interval.rounded(.up), 3_600_000)))
    }
}
