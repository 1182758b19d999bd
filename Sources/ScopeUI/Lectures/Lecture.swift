// A lecture: scenes, each a scenario with what the screen shows of it and a caption. Parsed from a TOML file by
// LectureParser; the executable reads the file, ScopeUI gets the parsed value.
// Legend: scenes are numbered 1...N on screen and stored at index 0...N-1; layers are 1...L.
import SignalFlow

/// Which panels of the live screen show (the rows, mean-field line, legend, caption and status always do).
public struct PanelSet: OptionSet, Equatable, Hashable, Sendable {
    public let rawValue: Int
    /// Creates a set from its bits.
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The histogram panels of the selected layer.
    public static let histograms = PanelSet(rawValue: 1)
    /// The heat maps (layers x log10|x|), on tall terminals.
    public static let heatMaps = PanelSet(rawValue: 2)
    /// The statistics table of the selected layer.
    public static let stats = PanelSet(rawValue: 4)
    /// Every panel (the live view's default).
    public static let all: PanelSet = [.histograms, .heatMaps, .stats]
    /// Panel names as lecture files write them, with their panels.
    public static let names: [(name: String, panel: PanelSet)] = [("histograms", .histograms), ("heatmaps", .heatMaps), ("stats", .stats)]
}

/// One scene of a lecture: the scenario run, the focused row, the selected layer, the panels shown and the caption.
public struct LectureScene: Equatable, Sendable {
    /// The scene's title, shown in the header after "scene k/N".
    public var title: String
    /// The caption (1-3 sentences) with its placeholders, filled from the run.
    public var caption: CaptionTemplate
    /// Everything that defines the run; its initializers are the rows, in order.
    public var scenario: Scenario
    /// Row focused when the scene opens (index into `scenario.initializers`); placeholders without `@row` read it.
    public var focusedRow: Int
    /// Layer (or block) selected when the scene opens, 1...L.
    public var selectedLayer: Int
    /// Panels shown.
    public var panels: PanelSet
    /// The panel in the histograms' place ("spectrum" or "phase-map" in the file's `panels`).
    public var lowerPanel: LowerPanel
    /// 1-based line of the scene's `[[scene]]` header in its file.
    public var line: Int
    /// A training scene (`train = true`): what every row trains with from the moment the scene opens (and what
    /// `T` trains with inside it); nil for a scene of the network at step 0.
    public var training: LiveTrainingSettings?

    /// Creates a scene.
    public init(title: String, caption: CaptionTemplate, scenario: Scenario, focusedRow: Int = 0, selectedLayer: Int,
                panels: PanelSet = .all, lowerPanel: LowerPanel = .histograms, line: Int = 0,
                training: LiveTrainingSettings? = nil) {
        self.title = title; self.caption = caption; self.scenario = scenario; self.focusedRow = focusedRow
        self.selectedLayer = selectedLayer; self.panels = panels; self.lowerPanel = lowerPanel; self.line = line
        self.training = training
    }

    /// The configuration a training scene's rows train with (its task following the scene's architecture unless
    /// the scene names one); nil for a scene without training.
    public var trainingConfiguration: TrainingConfiguration? {
        training?.configuration(for: scenario.architecture)
    }

    /// The initializer focused when the scene opens.
    public var focusName: String {
        scenario.initializers.indices.contains(focusedRow) ? scenario.initializers[focusedRow].name : ""
    }
}

/// A lecture file, parsed: its title and its scenes (at least one).
public struct Lecture: Equatable, Sendable {
    /// The lecture's title.
    public var title: String
    /// The scenes in order.
    public var scenes: [LectureScene]
    /// The file it came from (as given or as listed).
    public var source: String

    /// Creates a lecture.
    public init(title: String, scenes: [LectureScene], source: String) {
        self.title = title; self.scenes = scenes; self.source = source
    }
}

/// Where a lecture stands in the live view: which lecture, which scene.
public struct LectureProgress: Equatable, Sendable {
    /// The lecture shown.
    public var lecture: Lecture
    /// Index of the current scene, 0...N-1.
    public var sceneIndex: Int

    /// The lecture at scene `sceneIndex` (clamped to the scenes).
    public init(lecture: Lecture, sceneIndex: Int = 0) {
        self.lecture = lecture
        self.sceneIndex = min(max(0, sceneIndex), max(0, lecture.scenes.count - 1))
    }

    /// The current scene.
    public var scene: LectureScene { lecture.scenes[sceneIndex] }

    /// "scene 3/9", as the header shows it.
    public var counter: String { "scene \(sceneIndex + 1)/\(lecture.scenes.count)" }
}
