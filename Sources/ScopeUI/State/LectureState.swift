// A lecture in the live view: opening a scene (its scenario, rows, focus, layer and panels; every other key still
// works inside it), moving between scenes, and the scene's caption while the screen still shows the scene.
// Legend: scenes 0...N-1 (shown 1...N); L = depth.
import SignalFlow

extension AppState {
    /// A state giving `lecture` from its first scene: like `init(scenario:...)` with the scene's settings. Nothing
    /// runs until `.start` (or the first `.resize`).
    public init(lecture: Lecture, width: Int = 80, height: Int = 24, glyphs: GlyphSet = .unicode,
                theme: Theme = .builtInDefault, availableThemes: [Theme] = [],
                sweepMilliseconds: Double = defaultSweepMilliseconds) {
        let fallback = Scenario(activation: .tanh, depth: 50, width: 512, batch: 256, seed: 7,
                                initializers: NamedInitializer.defaultComparison())
        self.init(scenario: lecture.scenes.first?.scenario ?? fallback, width: width, height: height, glyphs: glyphs,
                  theme: theme, availableThemes: availableThemes, sweepMilliseconds: sweepMilliseconds)
        guard !lecture.scenes.isEmpty else { return }   // the parser never gives one; the plain live view then
        self.lecture = LectureProgress(lecture: lecture)
        showScene(0)
    }

    /// Shows scene `index` of the lecture (no run started: `restart` does that): its scenario and rows, focused
    /// row, selected layer and panels; the block site and the help are reset. Ignored outside a lecture or range.
    public mutating func showScene(_ index: Int) {
        guard var progress = lecture, progress.lecture.scenes.indices.contains(index) else { return }
        progress.sceneIndex = index
        lecture = progress
        let scene = progress.scene
        scenario = scene.scenario
        setRows(&self, scene.scenario.initializers, focusing: nil)
        focusedRow = min(scene.focusedRow, max(0, scene.scenario.initializers.count - 1))
        selectedLayer = scene.selectedLayer
        selectedSite = nil
        panels = scene.panels
        lowerPanel = scene.lowerPanel
        helpVisible = false
    }

    /// True while the screen shows the current scene's network: the same scenario (rows aside) and every row the
    /// caption reads; and for a training scene, the loss curves of a run with the scene's configuration, for a
    /// scene without training, no training on screen (its snapshots replace the step-0 rows the caption reads).
    /// Then the scene's caption is shown; once a key changed the network, the usual caption is.
    public var sceneCaptionApplies: Bool {
        guard let scene = lecture?.scene else { return false }
        var shown = scenario, planned = scene.scenario
        shown.initializers = []; planned.initializers = []
        let names = Set(scenario.initializers.map(\.name))
        guard shown == planned && names.contains(scene.focusName) && scene.caption.rowsNamed.allSatisfy(names.contains) else {
            return false
        }
        guard let configuration = scene.trainingConfiguration else { return training == nil && trainingPanel == nil }
        return trainingPanel == .curves && training?.configuration == configuration
    }

    /// The scene's caption filled from the runs shown (values not computed yet read "?"); nil outside a lecture.
    public var sceneCaption: String? {
        guard let scene = lecture?.scene else { return nil }
        var byName: [String: RunData] = [:]
        for (row, named) in scenario.initializers.enumerated() where runs.indices.contains(row) { byName[named.name] = runs[row] }
        return scene.caption.filled(runs: byName, focus: scene.focusName, scenario: scenario, selectedLayer: selectedLayer,
                                    spectrum: spectrum, training: training)
    }

    /// What `T` and `L` train: inside a training scene its settings, elsewhere the command line's training flags.
    public var activeTrainingSettings: LiveTrainingSettings { lecture?.scene.training ?? trainingSettings }

    /// Lines the caption takes at `width`: in a lecture, the scene caption's wrapped lines (1...3, each number
    /// counted 8 wide so the layout does not move as numbers arrive); else 1.
    public func captionLineCount(width: Int) -> Int {
        guard let scene = lecture?.scene else { return 1 }
        return min(3, max(1, scene.captionLineEstimate(width: width)))
    }
}

extension LectureScene {
    /// Lines the caption wraps to at `width`, each number counted 8 wide (the widest a row prints, and a spare).
    public func captionLineEstimate(width: Int) -> Int {
        let estimate = caption.segments.map { segment -> String in
            switch segment {
            case .text(let text): return text
            case .value(.name, let row): return row ?? focusName
            case .value(.best, _), .value(.worst, _): return scenario.initializers.map(\.name).max { $0.count < $1.count } ?? ""
            case .value(.activation, _): return scenario.activation.displayName
            case .value(.optimizer, _): return "momentum"
            case .value(.outcome, _):
                // The longest phrase: "diverged at step S" or "at 1000% of its start".
                return String(repeating: "0", count: max("at 1000% of its start".count, "diverged at step \(training?.configuration.steps ?? 0)".count))
            case .value: return "00000000"
            }
        }.joined()
        return LectureCaption.wrapped(estimate, width: width).count
    }
}

/// Wrapping a scene caption into the caption lines.
public enum LectureCaption {
    /// `text` cut at spaces into lines of at most `width` characters (a word longer than a line is cut).
    public static func wrapped(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(word)
            if !current.isEmpty && current.count + 1 + word.count > width { lines.append(current); current = "" }
            while word.count > width { lines.append(String(word.prefix(width))); word = String(word.dropFirst(width)) }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// The caption lines of `state` for a caption area of `lines` x `width`: the scene's caption while it applies
    /// (the last line ending in "..." if it does not fit, never a cut number), else the usual one-line caption.
    public static func lines(for state: AppState, count lines: Int, width: Int) -> [String] {
        guard state.sceneCaptionApplies, let caption = state.sceneCaption else {
            return [Caption.text(for: state, width: width)]
        }
        var wrapped = wrapped(caption, width: width)
        if wrapped.count > lines {
            let rest = wrapped[(lines - 1)...].joined(separator: " ")
            wrapped = Array(wrapped.prefix(lines - 1)) + [Caption.fitted(rest, width: width)]
        }
        return wrapped
    }
}

/// Moving between scenes (`n`/`p`, PageDown/PageUp in a lecture).
func moveScene(_ state: inout AppState, by step: Int) -> [Effect] {
    guard let progress = state.lecture else { return [] }
    let target = progress.sceneIndex + step
    guard progress.lecture.scenes.indices.contains(target) else {
        state.setStatus(step > 0 ? "last scene (p: previous)" : "first scene (n: next)")
        return []
    }
    var candidate = state
    candidate.showScene(target)
    if let refusal = refusal(of: candidate.scenario, candidate) { state.setStatus(refusal); return [] }
    rememberFinishedRunsIfKept(&state, leavingFor: candidate.scenario)
    state.showScene(target)
    let scene = state.lecture!.scene
    // Leaving a training scene stops its run: the restart drops its curves and its new generation cancels the job.
    return openScene(&state, message: "\(state.lecture!.counter): \(scene.title)")
}

/// The state's first run (`.start` or the first `.resize`): the lecture's first scene, or the live view's scenario;
/// the status line keeps a start-up message (theme fallback).
func startFirstRun(_ state: inout AppState) -> [Effect] {
    state.lecture != nil ? openScene(&state, message: state.statusMessage) : restart(&state, message: state.statusMessage)
}

/// Starts the current scene's run: the step-0 run of its scenario, or for a training scene, training every row at
/// once with its settings (exactly as `T` would, which cancels the step-0 run: its effect is left out).
func openScene(_ state: inout AppState, message: String) -> [Effect] {
    let effects = restart(&state, message: message)
    guard state.lecture?.scene.training != nil else { return effects }
    let training = startTraining(&state)
    guard !training.isEmpty else { return effects }   // refused: the status line says why, the step-0 run goes on
    return effects.filter { if case .startSimulation = $0 { return false } else { return true } } + training
}
