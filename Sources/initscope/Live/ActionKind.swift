// Short names of the run loop's actions, for its timing records (--stats-file's loop_busy_us_max line).
import ScopeUI
import SignalFlow

extension Action {
    /// The action's kind in a few characters, e.g. "key", "engine.runFinished", "predictions", "tick".
    var kindName: String {
        switch self {
        case .start: return "start"
        case .key: return "key"
        case .resize: return "resize"
        case .engine(let event, _):
            switch event {
            case .forwardLayer: return "engine.forwardLayer"
            case .backwardLayer: return "engine.backwardLayer"
            case .runFinished: return "engine.runFinished"
            }
        case .predictions: return "predictions"
        case .freshRuns: return "freshRuns"
        case .engineFailed: return "engineFailed"
        case .engineFinished: return "engineFinished"
        case .training: return "training"
        case .tick: return "tick"
        case .setThemes: return "setThemes"
        case .setGlyphs: return "setGlyphs"
        case .status: return "status"
        case .panel: return "panel"
        }
    }
}
