// `initscope lecture [NAME|FILE]`: a guided lecture in the live view, scene by scene (n/p, PageDown/PageUp).
import ArgumentParser
import Foundation
import ScopeUI
import SignalFlow
import Terminal

/// Gives a lecture, checks a lecture file, or lists its scenes for scripts.
struct LectureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lecture",
        abstract: "Give a guided lecture: scenes of the live view, n/p (PageDown/PageUp) between them.",
        discussion: """
            NAME is looked up as NAME.toml in $XDG_DATA_HOME/initscope/lectures (default \
            ~/.local/share/initscope/lectures), then in the bundled Lectures/ folder (found from the binary's \
            location or the install prefix's share/initscope/lectures); a value with a '/' or ending in .toml is a \
            file. Without NAME: the lecture 'initialization'. In a lecture n/p move between scenes and the initializer \
            n adds in the live view is on v; every other key works as in the live view. A scene with train = true trains \
            every row when it opens, with its own training settings (the training flags below apply to T in the \
            other scenes); leaving it stops the run. A missing or broken lecture is one line naming the file, line \
            and problem, exit status 65 (66 when it cannot be read).
            """)

    @Argument(help: "Lecture name or path to a lecture file (default: initialization).")
    var lecture: String?

    @Flag(help: "Check the lecture file and exit (status 0 when it is fine, 65 when not), without opening the screen.")
    var check = false

    @Flag(name: .customLong("print-scenes"),
          help: "Print each scene as one JSON line (title, report arguments, train arguments of a training scene, focused row, caption template) and exit.")
    var printScenes = false

    @OptionGroup var trainingFlags: TrainingFlags
    @OptionGroup var display: DisplayFlags

    func run() throws {
        let startedAt = monotonicMilliseconds()
        let environment = ProcessInfo.processInfo.environment
        let trainingSettings = try trainingFlags.liveSettings(for: nil)
        let lecture: Lecture
        switch LectureFileSystem.load(self.lecture, environment: environment) {
        case .success(let loaded): lecture = loaded
        case .failure(let failure):
            StandardStreams.writeErrorLine("initscope: " + failure.message)
            throw ExitCode(failure.status)
        }
        if check || printScenes {
            let output = BufferedOutput()
            if check {
                output.write("\(PrintableText.quoted(lecture.source)): ok, \(lecture.scenes.count) scene\(lecture.scenes.count == 1 ? "" : "s") ('\(PrintableText.quoted(lecture.title))')\n")
            }
            if printScenes { for (index, scene) in lecture.scenes.enumerated() { output.write(Self.sceneLine(scene, number: index + 1) + "\n") } }
            try output.finish(writing: "the lecture check")
            return
        }
        try ThemesCommand.refuseUnreadableTheme(display.theme, environment: environment)
        let recording = try SessionRecording.openIfAsked(display: display)
        let screen: CursesScreen
        switch LiveSession.openScreen(display: display) {
        case .success(let opened): screen = opened
        case .failure(let code): recording?.discard(); throw code
        }
        var state = initialState(lecture: lecture, screen: screen, environment: environment)
        state.trainingSettings = trainingSettings
        recording?.start(on: screen, title: "initscope lecture '\(lecture.title)', theme \(state.theme.name)",
                         foreground: state.theme.assumedForeground, background: state.theme.assumedBackground)
        let result = LiveSession.run(ScopeApplication(state: state), on: screen, display: display,
                                     startedAtMilliseconds: startedAt, recording: recording, simulate: EngineAdapter().simulate)
        if result.exitStatus != ExitStatus.success { throw ExitCode(result.exitStatus) }
    }

    /// The first AppState: the lecture's first scene, the terminal's size and glyphs, the theme resolved for its colours.
    func initialState(lecture: Lecture, screen: Screen, environment: [String: String]) -> AppState {
        let depth = screen.capabilities.colorDepth
        let catalog = ThemeFileSystem.catalog(environment: environment)
        let selection = ThemeFileSystem.select(display.theme, environment: environment, themes: catalog.themes)
        let themes = selection.themes.map { $0.resolved(for: depth) }
        let theme = themes.indices.contains(selection.index) ? themes[selection.index] : Theme.builtInDefault.resolved(for: depth)
        var state = AppState(lecture: lecture, width: screen.width, height: screen.height,
                             glyphs: screen.capabilities.unicode ? .unicode : .ascii, theme: theme, availableThemes: themes,
                             sweepMilliseconds: Double(display.sweepMilliseconds))
        if let message = selection.message { state.statusMessage = message }
        return state
    }

    /// One scene for scripts, as a JSON object on one line: "scene" (1-based), "title", "focus" (the row the
    /// caption reads), "layer", "report" (the `initscope report` arguments of the scene's scenario), "train" (a
    /// training scene: the `initscope train` arguments of its run; else null) and "caption" (the template as written).
    static func sceneLine(_ scene: LectureScene, number: Int) -> String {
        let arguments = reportArguments(scene.scenario).map(ReportJSONFormatter.string).joined(separator: ",")
        let train = trainArguments(scene).map { "[" + $0.map(ReportJSONFormatter.string).joined(separator: ",") + "]" } ?? "null"
        return "{\"scene\":\(number),\"title\":\(ReportJSONFormatter.string(scene.title)),\"focus\":\(ReportJSONFormatter.string(scene.focusName)),"
            + "\"layer\":\(scene.selectedLayer),\"report\":[\(arguments)],\"train\":\(train),"
            + "\"caption\":\(ReportJSONFormatter.string(scene.caption.source))}"
    }

    /// The `initscope train` arguments that train a training scene's rows as the scene does (every setting written
    /// out, the live view's label noise included); nil for a scene without training.
    static func trainArguments(_ scene: LectureScene) -> [String]? {
        guard let configuration = scene.trainingConfiguration else { return nil }
        var arguments = reportArguments(scene.scenario) + [
            "--task", configuration.task.name, "--optimizer", configuration.optimizer.kind.rawValue,
            "--lr", "\(configuration.learningRate)", "--steps", "\(configuration.steps)",
            "--warmup", "\(configuration.warmupSteps)", "--eval-every", "\(configuration.evaluationInterval)"]
        switch configuration.task {
        case .teacher(let noise): arguments += ["--noise", "\(noise)"]
        case .mixture(let classes): arguments += ["--classes", "\(classes)"]
        case .bigram(let vocabulary): arguments += ["--vocab", "\(vocabulary)"]
        }
        if let clip = configuration.clipNorm { arguments += ["--clip", "\(clip)"] }
        if configuration.optimizer.kind == .momentum { arguments += ["--momentum", "\(configuration.optimizer.momentum)"] }
        return arguments
    }

    /// The `initscope report` arguments that run `scenario` (every flag written out).
    static func reportArguments(_ scenario: Scenario) -> [String] {
        var arguments = ["--arch", scenario.architecture.name, "--activation", scenario.activation.name,
                         "--init", scenario.initializers.map(\.name).joined(separator: ","),
                         "--depth", "\(scenario.depth)", "--width", "\(scenario.width)", "--batch", "\(scenario.batch)",
                         "--seed", "\(scenario.seed)"]
        if scenario.biasStandardDeviation > 0 { arguments += ["--bias-std", "\(scenario.biasStandardDeviation)"] }
        if let options = scenario.architecture.residual {
            arguments += ["--norm", options.normalization.rawValue]
            if options.normalization != .none { arguments += ["--norm-position", options.position.rawValue] }
        }
        if let options = scenario.architecture.transformer {
            arguments += ["--norm-position", options.position.rawValue, "--tokens", "\(options.tokens)", "--heads", "\(options.heads)",
                          "--attention-scale", options.attentionScale.rawValue]
            if options.causal { arguments.append("--causal") }
        }
        return arguments
    }
}
