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

    mutating func handle(_ event: LoopEvent) -> [LoopEffect] {
        let action: Action
        switch event {
        case .key(let key): action = .key(key)
        case .resize(let width, let height): action = .resize(width: width, height: height)
        case .engine(let progress, let generation): action = .engine(progress, generation: generation)
        case .engineFailed(let message, let generation): action = .engineFailed(message: message, generation: generation)
        case .engineFinished(let generation): action = .engineFinished(generation: generation)
        case .tick(let elapsed): action = .tick(elapsedMilliseconds: Double(elapsed))
        }
        return update(&state, action).map { effect in
            switch effect {
            case .startSimulation(let scenario, let plan, let generation):
                return .startSimulation(scenario, plan: plan, generation: generation)
            case .cancelSimulation: return .cancelSimulation
            case .quit: return .quit
            case .redraw: return .redraw
            }
        }
    }

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
