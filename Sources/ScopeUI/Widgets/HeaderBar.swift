// The header line: the scenario on the left; on the right what the run is doing (its progress and the time
// left while the engine computes) and, apart from it, the selected layer.
import SignalFlow
import Terminal

/// What the run is doing, as the header says it.
public enum RunPhase: Equatable, Sendable {
    /// Nothing started yet.
    case starting
    /// The engine computes: `fraction` (0...1) of the layer passes delivered, `secondsLeft` estimated once known.
    case computing(fraction: Double, secondsLeft: Double?)
    /// Everything is computed; the picture is still sweeping in.
    case sweeping
    /// Paused (space).
    case paused
    /// The run failed (the status line says why).
    case failed
    /// The complete picture is shown.
    case done
    /// Training or the learning-rate sweep runs: how far ("training 37/200", "training paused", "lr sweep 5/27").
    case training(String)

    /// The words shown, e.g. "computing 45% ~12 s left".
    public var text: String {
        switch self {
        case .starting: return "starting"
        case .computing(let fraction, let secondsLeft):
            let percent = "computing \(Int((min(1, max(0, fraction)) * 100).rounded(.down)))%"
            guard let secondsLeft, secondsLeft.isFinite else { return percent }
            return percent + " ~" + HeaderBar.duration(secondsLeft) + " left"
        case .sweeping: return "sweeping"
        case .paused: return "paused"
        case .failed: return "failed"
        case .done: return "done"
        case .training(let text): return text
        }
    }
}

/// The top line of the live view.
public struct HeaderBar: Equatable {
    /// Scenario fields, e.g. ["tanh", "L=50", "n=512", "B=256", "seed=7"].
    public var fields: [String]
    /// What the run is doing.
    public var phase: RunPhase
    /// Selected layer and depth, shown apart from the run's progress ("sel L50/50").
    public var selectedLayer: Int, depth: Int
    /// In a lecture: "scene 3/9" and the scene's title, shown first in place of "initscope"; nil otherwise.
    public var scene: (counter: String, title: String)?

    /// A header of explicit values.
    public init(fields: [String], phase: RunPhase, selectedLayer: Int, depth: Int, scene: (counter: String, title: String)? = nil) {
        self.fields = fields; self.phase = phase; self.selectedLayer = selectedLayer; self.depth = depth; self.scene = scene
    }

    public static func == (a: HeaderBar, b: HeaderBar) -> Bool {
        a.fields == b.fields && a.phase == b.phase && a.selectedLayer == b.selectedLayer && a.depth == b.depth
            && a.scene?.counter == b.scene?.counter && a.scene?.title == b.scene?.title
    }

    /// The header of `state`.
    public init(state: AppState) {
        let s = state.scenario
        let network = s.architecture == .mlp ? [] : [s.architecture.name, s.architecture.normalizationName == "none"
            ? "no-norm" : s.architecture.normalizationName]
        self.init(fields: network + [s.activation.name, "L=\(s.depth)", "n=\(s.width)", "B=\(s.batch)", "seed=\(s.seed)"]
                    + (s.biasStandardDeviation > 0 ? ["bias=\(NumberFormat.compact(s.biasStandardDeviation))"] : []),
                  phase: HeaderBar.phase(state), selectedLayer: state.selectedLayer, depth: s.depth,
                  scene: state.lecture.map { ($0.counter, $0.scene.title) })
    }

    /// Run progress estimates are shown once a run has computed this long (ms): short runs just say "computing".
    public static let estimateAfterMilliseconds = 1000.0

    /// The phase of `state`: progress counts the layer passes (forward and backward) the engine delivered for the
    /// rows it computes; the time left extrapolates the elapsed time at that pace.
    public static func phase(_ state: AppState) -> RunPhase {
        if state.runFailed { return .failed }
        if let training = state.training, training.isActive {
            return .training(training.phase == .paused ? "training paused" : "training \(training.step)/\(training.configuration.steps)")
        }
        if let sweep = state.sweep, sweep.phase == .running {
            return .training("lr sweep \(sweep.finishedCount)/\(sweep.rates.count * sweep.results.count)")
        }
        if state.paused { return .paused }
        if state.simulationRunning {
            let total = Double(state.computingRows.count * 2 * max(1, state.scenario.depth))
            var done = 0
            for row in state.computingRows where state.runs.indices.contains(row) && state.queues.indices.contains(row) {
                done += state.runs[row].forwardCount + state.runs[row].backwardCount
                done += state.queues[row].pending.filter(\.isLayerEvent).count
            }
            let fraction = total > 0 ? min(1, Double(done) / total) : 0
            var secondsLeft: Double? = nil
            if done > 0 && state.runElapsedMilliseconds >= estimateAfterMilliseconds {
                secondsLeft = state.runElapsedMilliseconds / 1000 * (total - Double(done)) / Double(done)
            }
            return .computing(fraction: fraction, secondsLeft: secondsLeft)
        }
        if hasPendingEvents(state) { return .sweeping }
        return state.generation == 0 ? .starting : .done
    }

    /// "12 s", "3 min", "2.5 h".
    static func duration(_ seconds: Double) -> String {
        if seconds < 90 { return "\(Int(seconds.rounded(.up))) s" }
        if seconds < 5400 { return "\(Int((seconds / 60).rounded())) min" }
        return NumberFormat.compact(seconds / 3600) + " h"
    }

    /// Draws the header into the first line of `rect`: "initscope " (in a lecture: "scene 3/9 " and the title, in
    /// bold) and the fields on the left; on the right, "sel L12/50  |" when there is room, then the phase last (the
    /// selection is dropped first, then the fields are cut, then the title).
    public func draw(into canvas: inout Canvas, rect: Rect, theme: Theme) {
        guard !rect.isEmpty else { return }
        let accent = theme.style(.accent), text = theme.style(.text), muted = theme.style(.mutedText)
        var x: Int
        if let scene {
            x = canvas.write(scene.counter + " ", x: rect.x, y: rect.y, style: accent, clip: rect)
            var bold = text; bold.bold = true
            let titleRoom = max(0, rect.maxX - x - phase.text.count - 3)
            let title = scene.title.count <= titleRoom ? scene.title : Caption.fitted(scene.title, width: titleRoom)
            x = canvas.write(title + "  ", x: x, y: rect.y, style: bold, clip: rect)
        } else {
            x = canvas.write("initscope ", x: rect.x, y: rect.y, style: accent, clip: rect)
        }
        let left = fields.joined(separator: "  ")
        let selection = "sel L\(selectedLayer)/\(depth)  |  "
        let phaseText = phase.text
        let room = rect.maxX - x - 1
        let right = left.count + 1 + phaseText.count + selection.count <= room ? selection + phaseText : phaseText
        let leftRoom = max(0, room - right.count - 1)
        // A scene's title leaves less room: whole fields are dropped from the end rather than one cut ("s" for seed).
        let shownLeft = scene == nil ? String(left.prefix(leftRoom))
            : (0...fields.count).reversed().map { fields.prefix($0).joined(separator: "  ") }.first { $0.count <= leftRoom } ?? ""
        x = canvas.write(shownLeft, x: x, y: rect.y, style: text, clip: rect)
        let start = rect.maxX - right.count
        if start > x { canvas.write(right, x: start, y: rect.y, style: phase == .failed ? accent : muted, clip: rect) }
    }
}
