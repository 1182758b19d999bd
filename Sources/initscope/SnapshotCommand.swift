// `initscope snapshot`: the live view's complete picture of a scenario, drawn without a terminal, as txt, ansi, svg
// or html, for scripts that build slides.
import ArgumentParser
import Foundation
import ScopeUI
import SignalFlow
import Terminal

/// Renders the live view of a scenario to a file format.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Draw the live view's complete picture of a scenario as txt, ansi, svg or html, without a terminal.",
        discussion: """
            The scenario flags are the live view's (tanh unless --activation; --init is the exact set of rows; --arch \
            as for report, with the architecture's rows by default). The picture is the one the live view shows once \
            every row is computed, at --size columns x lines (72x20 at least), in --theme's colours (SVG and HTML: \
            the theme's colours at 24 bits, the terminal's default colours as the theme assumes them). --panel puts \
            the Jacobian spectrum or the phase map in the histograms' place, computed before drawing (as `J` does \
            in the live view). Output goes to stdout, or to --output.
            """)

    @OptionGroup var scenarioFlags: ScenarioFlags
    @OptionGroup var architectureFlags: ArchitectureFlags

    @Option(help: "Screen size in cells, COLUMNSxLINES (72x20 to 1000x500).")
    var size: String = "100x30"

    @Option(help: "Output format: txt, ansi, svg or html.")
    var format: String = "txt"

    @Option(help: "Colour theme name or path to a theme file.")
    var theme: String?

    @Flag(help: "Use ASCII characters only (no Unicode blocks).")
    var ascii = false

    @Option(help: "Write to this file instead of stdout.")
    var output: String?

    @Option(help: "The panel in the histograms' place: histograms, spectrum or phase-map (as a lecture's panels; `J` in the live view).")
    var panel: String = "histograms"

    /// The parsed --panel.
    func lowerPanel() throws -> LowerPanel {
        guard let parsed = LowerPanel(rawValue: panel.lowercased()) else {
            throw ValidationError("--panel must be \(LowerPanel.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(PrintableText.quoted(panel, limit: 40))')")
        }
        return parsed
    }

    /// The parsed --size.
    func screenSize() throws -> (width: Int, height: Int) {
        let parts = size.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
              (ScreenLayout.minimumWidth...1000).contains(width), (ScreenLayout.minimumHeight...500).contains(height) else {
            throw ValidationError("--size must be COLUMNSxLINES, \(ScreenLayout.minimumWidth)x\(ScreenLayout.minimumHeight) to 1000x500 (got '\(PrintableText.quoted(size, limit: 40))')")
        }
        return (width, height)
    }

    func validate() throws {
        _ = try screenSize()
        _ = try lowerPanel()
        guard CanvasExport.Format(rawValue: format.lowercased()) != nil else {
            throw ValidationError("--format must be txt, ansi, svg or html (got '\(PrintableText.quoted(format, limit: 40))')")
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let (width, height) = try screenSize()
        let architecture = try architectureFlags.architecture()
        let scenario = try scenarioFlags.scenario(defaultActivation: .tanh, footprint: RunFootprint(callerReportCopies: 1),
                                                  architecture: architecture) { named in
            guard let named else { return ArchitectureRows.defaultRows(for: architecture) }
            var seen = Set<String>()
            return named.filter { seen.insert($0.name).inserted }
        }
        try ThemesCommand.refuseUnreadableTheme(theme, environment: environment)
        let catalog = ThemeFileSystem.catalog(environment: environment)
        let selection = ThemeFileSystem.select(theme, environment: environment, themes: catalog.themes)
        if let message = selection.message {
            StandardStreams.writeErrorLine("initscope: " + message)
            throw ExitCode(ExitStatus.usage)
        }
        let chosen = selection.themes[selection.index].resolved(for: .truecolor)
        let state = try Self.completeState(scenario: scenario, width: width, height: height, glyphs: ascii ? .ascii : .unicode,
                                           theme: chosen, panel: try lowerPanel())
        let text = CanvasExport.render(view(state), format: CanvasExport.Format(rawValue: format.lowercased())!,
                                       foreground: chosen.assumedForeground, background: chosen.assumedBackground)
        if let output {
            if let failure = StandardStreams.writeFile(text, path: output) {
                StandardStreams.writeErrorLine("initscope: --output: \(failure)")
                throw ExitCode(ExitStatus.ioError)
            }
            return
        }
        let buffered = BufferedOutput()
        buffered.write(text)
        try buffered.finish(writing: "the snapshot")
    }

    /// The live view's state for `scenario` once every row is computed and revealed, with `panel` in the histograms'
    /// place and computed: the engine, mean field and panel work run here, on this thread, exactly as the live view
    /// asks for them.
    static func completeState(scenario: Scenario, width: Int, height: Int, glyphs: GlyphSet, theme: Theme,
                              panel: LowerPanel = .histograms) throws -> AppState {
        var state = AppState(scenario: scenario, width: width, height: height, glyphs: glyphs, theme: theme, sweepMilliseconds: 0)
        var pending = update(&state, .start)
        let token = CancellationToken()
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            guard case .startSimulation(let scenario, let plan, let generation, let rows) = effect else { continue }
            pending += update(&state, .predictions(RowPrediction.forRows(scenario, rows: rows, cancellation: token), generation: generation))
            var events: [PropagationEvent] = []
            try EngineAdapter().simulate(scenario, plan, rows, token) { events.append($0) }
            for event in events { pending += update(&state, .engine(event, generation: generation)) }
            pending += update(&state, .engineFinished(generation: generation))
        }
        // The panel's work, as the panel worker does it (at most one spectrum or map; a refusal is its failure line).
        state.lowerPanel = panel
        if let request = state.missingPanelRequest, let result = PanelWorker.answer(request) {
            _ = update(&state, .panel(result))
        }
        state.setStatus("")
        return state
    }
}
