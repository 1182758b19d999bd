// Parsing one lecture file (TOML, Lectures/README.md) into a Lecture. Pure: bytes in, lecture or located error out;
// never traps. Top level: title, summary, and one [[scene]] table per scene. A scene starts from the previous
// scene's settings (`inherit = false` starts from the defaults) and changes what it names; a change of `arch`
// also resets what belongs to the architecture (sizes, rows, normalization, transformer options) unless given.
import SignalFlow
import TOMLKit

/// Reads lecture files.
public enum LectureParser {
    /// Most scenes a lecture may have.
    public static let maximumScenes = 100
    /// Longest title, in characters.
    public static let maximumTitle = 80
    /// Terminal width at which every caption must fit its 3 lines.
    public static let captionCheckWidth = 80
    /// Keys of the top level.
    static let topKeys = ["title", "summary", "scene"]
    /// Keys of a scene.
    static let sceneKeys = ["title", "caption", "inherit", "activation", "init", "depth", "width", "batch", "seed",
                            "bias-std", "arch", "norm", "norm-position", "tokens", "heads", "attention-scale", "causal",
                            "focus", "layer", "panels", "train", "task", "optimizer", "lr", "steps", "warmup"]

    /// Parses the bytes of a lecture file; `file` names it in messages.
    public static func parse(bytes: [UInt8], file: String) -> Result<Lecture, LectureError> {
        TOMLDocument.text(bytes: bytes, file: file).flatMap { parse(text: $0, file: file) }
    }

    /// Parses lecture-file text; `file` names it in messages.
    public static func parse(text rawText: String, file: String) -> Result<Lecture, LectureError> {
        let text: String
        switch TOMLDocument.checkedText(rawText, file: file) {
        case .success(let checked): text = checked
        case .failure(let error): return .failure(error)
        }
        let table: TOMLTable
        switch TOMLDocument.table(text, file: file) {
        case .success(let parsed): table = parsed
        case .failure(let error): return .failure(error)
        }
        let sections = TOMLDocument.sections(in: text)
        let top = sections[0].keyLines
        func fail(_ line: Int?, _ key: String?, _ problem: String) -> Result<Lecture, LectureError> {
            .failure(LectureError(file: file, line: line, key: key, problem: problem))
        }
        for key in table.keys.sorted() where !topKeys.contains(key) {
            return fail(top[key] ?? sections.first { $0.name == key }?.line, key,
                        "unknown key (known: \(topKeys.joined(separator: ", ")))")
        }
        guard let title = table["title"]?.string else {
            return fail(top["title"] ?? 1, "title", table["title"] == nil ? "missing: a lecture needs a title" : "must be a string")
        }
        if let problem = titleProblem(title) { return fail(top["title"], "title", problem) }
        if let summary = table["summary"], summary.string == nil { return fail(top["summary"], "summary", "must be a string") }
        guard let sceneValue = table["scene"] else { return fail(nil, nil, "no scene: add one [[scene]] table per scene") }
        let sceneSections = sections.filter { $0.name == "scene" && $0.isArrayTable }
        guard let sceneTables = sceneValue.array, sceneTables.count == sceneSections.count else {
            return fail(sections.first { $0.name == "scene" }?.line, "scene", "write each scene as a [[scene]] table")
        }
        guard sceneTables.count <= maximumScenes else {
            return fail(sceneSections[maximumScenes].line, nil, "more than \(maximumScenes) scenes")
        }
        var scenes: [LectureScene] = []
        var settings = SceneSettings()
        for (index, element) in sceneTables.enumerated() {
            guard let sceneTable = element.table else { return fail(sceneSections[index].line, "scene", "must be a table") }
            let reader = SceneReader(table: sceneTable, section: sceneSections[index], number: index + 1, file: file)
            switch reader.scene(after: index == 0 ? nil : settings) {
            case .success(let (scene, newSettings)): scenes.append(scene); settings = newSettings
            case .failure(let error): return .failure(error)
            }
        }
        return .success(Lecture(title: title, scenes: scenes, source: file))
    }

    /// Why `title` cannot be a title, nil when it can: empty, too long, or with control characters.
    static func titleProblem(_ title: String) -> String? {
        if title.trimmingCharacters(in: .whitespaces).isEmpty { return "must not be empty" }
        if title.count > maximumTitle { return "longer than \(maximumTitle) characters" }
        if title.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            return "control characters are not allowed"
        }
        return nil
    }
}

/// Everything a scene sets, as inherited from scene to scene (nil: the architecture's default).
struct SceneSettings: Equatable {
    /// Which layer a scene selects.
    enum LayerChoice: Equatable { case first, last, index(Int) }

    var activation: Activation = .tanh
    var initializerNames: [String]? = nil
    var depth: Int? = nil, width: Int? = nil, batch: Int? = nil
    var seed: UInt64 = 7
    var biasStandardDeviation = 0.0
    var architecture = "mlp"
    var normalization: Normalization = .none
    var position: NormPosition = .pre
    var tokens = 32, heads = 4
    var attentionScale: AttentionScale = .sqrt
    var causal = false
    var focus: String? = nil
    var layer: LayerChoice = .last
    var panels: PanelSet = .all
    var lowerPanel: LowerPanel = .histograms
    /// Training (`train`, SceneTrainingKeys): whether the scene trains, and with what.
    var training = SceneTrainingSettings()

    /// Settings for a new `architecture`: what belongs to the previous one is back to its default (the training
    /// task among them; the optimizer and schedule are kept).
    func switched(to architecture: String) -> SceneSettings {
        var fresh = SceneSettings()
        fresh.activation = activation; fresh.seed = seed; fresh.biasStandardDeviation = biasStandardDeviation
        fresh.panels = panels; fresh.lowerPanel = lowerPanel; fresh.architecture = architecture
        fresh.training = training
        fresh.training.taskName = nil
        return fresh
    }
}

/// Reads one [[scene]] table against the settings it inherits.
struct SceneReader {
    var table: TOMLTable
    var section: TOMLDocument.Section
    /// 1-based scene number, for messages.
    var number: Int
    var file: String

    func error(_ key: String?, _ problem: String) -> LectureError {
        LectureError(file: file, line: key.flatMap { section.keyLines[$0] } ?? section.line, key: key,
                     problem: "scene \(number): \(problem)")
    }

    func string(_ key: String) throws(LectureError) -> String? {
        guard let value = table[key] else { return nil }
        guard let string = value.string else { throw error(key, "must be a string, not \(value.type)") }
        return string
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws(LectureError) -> Int? {
        guard let value = table[key] else { return nil }
        guard let integer = value.int, value.type == .int else { throw error(key, "must be an integer, not \(value.type)") }
        guard range.contains(integer) else { throw error(key, "must be in \(range.lowerBound)...\(range.upperBound) (got \(integer))") }
        return integer
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws(LectureError) -> T? where T.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let parsed = T(rawValue: text.lowercased()) else {
            throw error(key, "unknown value '\(text.printable(limit: 40))' (accepted: \(T.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return parsed
    }

    /// The scene, and the settings the next scene inherits.
    func scene(after previous: SceneSettings?) -> Result<(LectureScene, SceneSettings), LectureError> {
        do throws(LectureError) { return .success(try read(after: previous)) } catch { return .failure(error) }
    }

    func read(after previous: SceneSettings?) throws(LectureError) -> (LectureScene, SceneSettings) {
        for key in table.keys.sorted() where !LectureParser.sceneKeys.contains(key) {
            throw error(key, "unknown key (known: \(LectureParser.sceneKeys.joined(separator: ", ")))")
        }
        var inherit = previous != nil
        if let value = table["inherit"] {
            guard let flag = value.bool, value.type == .bool else { throw error("inherit", "must be true or false") }
            if flag && previous == nil { throw error("inherit", "the first scene has no scene before it to inherit from") }
            inherit = flag
        }
        var settings = inherit ? previous ?? SceneSettings() : SceneSettings()
        guard let title = try string("title") else { throw error(nil, "missing title") }
        if let problem = LectureParser.titleProblem(title) { throw error("title", problem) }
        guard let captionText = try string("caption") else { throw error(nil, "missing caption") }
        let caption: CaptionTemplate
        do { caption = try CaptionTemplate(captionText) } catch { throw self.error("caption", error.text) }

        if let arch = try string("arch") {
            let name = arch.lowercased()
            guard ["mlp", "resnet", "transformer"].contains(name) else {
                throw error("arch", "unknown value '\(arch.printable(limit: 40))' (accepted: \(Architecture.acceptedNames))")
            }
            if name != settings.architecture { settings = settings.switched(to: name) }
        }
        if let activation = try string("activation") {
            do { settings.activation = try Activation.parse(activation) } catch { throw self.error("activation", "\(error)") }
        }
        if let value = table["init"] {
            let names: [String]
            if let text = value.string {
                names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            } else if let array = value.array {
                names = try array.map { (element) throws(LectureError) -> String in
                    guard let name = element.string else { throw error("init", "must be a list of initializer names") }
                    return name.trimmingCharacters(in: .whitespaces)
                }
            } else { throw error("init", "must be a string (\"he,xavier\") or a list of names, not \(value.type)") }
            guard !names.isEmpty, !names.contains(where: \.isEmpty) else { throw error("init", "an initializer name is empty") }
            guard Set(names).count == names.count else { throw error("init", "names an initializer twice") }
            settings.initializerNames = names
        }
        if let depth = try integer("depth", in: 1...Scenario.maximumDimension) { settings.depth = depth }
        if let width = try integer("width", in: 1...Scenario.maximumDimension) { settings.width = width }
        if let batch = try integer("batch", in: 1...Scenario.maximumDimension) { settings.batch = batch }
        if let seed = try integer("seed", in: 0...Int.max) { settings.seed = UInt64(seed) }
        if let value = table["bias-std"] {
            guard let number = value.double ?? value.int.map(Double.init), number.isFinite, number >= 0 else {
                throw error("bias-std", "must be a number >= 0")
            }
            settings.biasStandardDeviation = number
        }
        try readArchitectureOptions(&settings)
        try readTraining(&settings.training)
        if let focus = try string("focus") { settings.focus = focus }
        if let value = table["layer"] {
            if let text = value.string, text == "first" || text == "last" { settings.layer = text == "first" ? .first : .last }
            else if let index = value.int, value.type == .int, index >= 1 { settings.layer = .index(index) }
            else { throw error("layer", "must be \"first\", \"last\" or a layer number >= 1") }
        }
        if let value = table["panels"] {
            guard let array = value.array else { throw error("panels", "must be a list such as [\"histograms\", \"stats\"]") }
            var panels: PanelSet = []
            settings.lowerPanel = .histograms
            for element in array {
                // "spectrum" and "phase-map" take the histograms' place (as `J` does).
                if let name = element.string, let lower = LowerPanel(rawValue: name), lower != .histograms {
                    settings.lowerPanel = lower; panels.insert(.histograms); continue
                }
                guard let name = element.string, let panel = PanelSet.names.first(where: { $0.name == name })?.panel else {
                    throw error("panels", "panels are \(PanelSet.names.map(\.name).joined(separator: ", ")), spectrum, phase-map")
                }
                panels.insert(panel)
            }
            settings.panels = panels
        }
        let scene = try build(settings, title: title, caption: caption)
        return (scene, settings)
    }

    /// norm, norm-position (resnet; transformer: position only), tokens, heads, attention-scale, causal (transformer).
    func readArchitectureOptions(_ settings: inout SceneSettings) throws(LectureError) {
        let isResnet = settings.architecture == "resnet", isTransformer = settings.architecture == "transformer"
        if table["norm"] != nil && !isResnet {
            throw error("norm", "applies to arch = \"resnet\" only (this scene's arch is \(settings.architecture))")
        }
        if table["norm-position"] != nil && !isResnet && !isTransformer {
            throw error("norm-position", "applies to arch = \"resnet\" or \"transformer\" only")
        }
        for key in ["tokens", "heads", "attention-scale", "causal"] where table[key] != nil && !isTransformer {
            throw error(key, "applies to arch = \"transformer\" only (this scene's arch is \(settings.architecture))")
        }
        if let normalization = try choice("norm", Normalization.self) { settings.normalization = normalization }
        if let position = try choice("norm-position", NormPosition.self) { settings.position = position }
        if let tokens = try integer("tokens", in: 1...TransformerOptions.maximumTokens) { settings.tokens = tokens }
        if let heads = try integer("heads", in: 1...TransformerOptions.maximumHeads) { settings.heads = heads }
        if let scale = try choice("attention-scale", AttentionScale.self) { settings.attentionScale = scale }
        if let value = table["causal"] {
            guard let flag = value.bool, value.type == .bool else { throw error("causal", "must be true or false") }
            settings.causal = flag
        }
    }

    /// The scene `settings` describe, its scenario checked as the engine would check it.
    func build(_ settings: SceneSettings, title: String, caption: CaptionTemplate) throws(LectureError) -> LectureScene {
        let architecture: Architecture
        switch settings.architecture {
        case "resnet": architecture = .resnet(ResidualOptions(normalization: settings.normalization, position: settings.position))
        case "transformer":
            architecture = .transformer(TransformerOptions(tokens: settings.tokens, heads: settings.heads,
                                                           attentionScale: settings.attentionScale, causal: settings.causal,
                                                           position: settings.position))
        default: architecture = .mlp
        }
        var rows: [NamedInitializer]
        if let names = settings.initializerNames {
            rows = []
            for name in names {
                let scheme = name.hasSuffix(ArchitectureRows.batchNormSuffix) ? String(name.dropLast(ArchitectureRows.batchNormSuffix.count)) : name
                do { rows.append(NamedInitializer(name: name, initializer: try Initializer.parse(scheme))) }
                catch { throw self.error("init", "\(error)") }
            }
        } else {
            rows = ArchitectureRows.defaultRows(for: architecture)
        }
        let transformer = architecture.transformer != nil
        let scenario: Scenario
        do {
            var built = try Scenario.uniform(activation: settings.activation, depth: settings.depth ?? (transformer ? 12 : 50),
                                             width: settings.width ?? (transformer ? 256 : 512),
                                             batch: settings.batch ?? (transformer ? 8 : 256), seed: settings.seed,
                                             biasStandardDeviation: settings.biasStandardDeviation, initializers: rows)
            built.architecture = architecture
            try built.validate(RunFootprint(callerReportCopies: 1))
            scenario = built
        } catch {
            throw self.error(nil, "\(error)".replacingOccurrences(of: "--arch ", with: "arch "))
        }
        let focusedRow: Int
        if let focus = settings.focus, let row = rows.firstIndex(where: { $0.name == focus }) {
            focusedRow = row
        } else if let focus = settings.focus, table["focus"] != nil {
            throw error("focus", "'\(focus.printable(limit: 40))' is not one of this scene's rows (\(rows.map(\.name).joined(separator: ", ")))")
        } else {
            focusedRow = 0
        }
        for row in caption.rowsNamed where !rows.contains(where: { $0.name == row }) {
            throw error("caption", "{...@\(row.printable(limit: 40))} names no row of this scene (\(rows.map(\.name).joined(separator: ", ")))")
        }
        let layer: Int
        switch settings.layer {
        case .first: layer = 1
        case .last: layer = scenario.depth
        case .index(let index):
            if table["layer"] != nil && index > scenario.depth {
                throw error("layer", "layer \(index) is beyond the depth \(scenario.depth)")
            }
            layer = min(index, scenario.depth)
        }
        let training = try trainingSettings(settings.training, scenario: scenario)
        try checkCaptionValues(caption, trains: training != nil)
        let scene = LectureScene(title: title, caption: caption, scenario: scenario, focusedRow: focusedRow, selectedLayer: layer,
                                 panels: settings.panels, lowerPanel: settings.lowerPanel, line: section.line,
                                 training: training)
        let lines = scene.captionLineEstimate(width: LectureParser.captionCheckWidth)
        guard lines <= 3 else {
            throw error("caption", "takes \(lines) lines at \(LectureParser.captionCheckWidth) columns (numbers counted 8 wide); the caption area has 3")
        }
        return scene
    }
}
