// `initscope` with no subcommand: the live terminal front end.
import ArgumentParser
import Foundation
import ScopeUI
import SignalFlow
import Terminal

/// The live front end: the scenario's initializers side by side, updated layer by layer.
struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "The live terminal view (the default when no subcommand is given).",
        discussion: "Press ? in the view for every key. Exit statuses are listed in README.md.")

    @OptionGroup var scenarioFlags: ScenarioFlags
    @OptionGroup var architectureFlags: ArchitectureFlags
    @OptionGroup var trainingFlags: TrainingFlags
    @OptionGroup var display: DisplayFlags

    func run() throws {
        let startedAt = monotonicMilliseconds()
        if architectureFlags.sites != nil {
            throw ValidationError("--sites applies to initscope report only (the live view measures what its screen shows)")
        }
        let scenario = try scenarioFlags.liveScenario(architecture: try architectureFlags.architecture())
        let trainingSettings = try trainingFlags.liveSettings(for: scenario)
        try ThemesCommand.refuseUnreadableTheme(display.theme, environment: ProcessInfo.processInfo.environment)
        let recording = try SessionRecording.openIfAsked(display: display)
        let screen: CursesScreen
        switch LiveSession.openScreen(display: display) {
        case .success(let opened): screen = opened
        case .failure(let code): recording?.discard(); throw code
        }
        var state = initialState(scenario: scenario, screen: screen)
        state.trainingSettings = trainingSettings
        recording?.start(on: screen, title: "initscope live view, theme \(state.theme.name)",
                         foreground: state.theme.assumedForeground, background: state.theme.assumedBackground)
        let result = LiveSession.run(ScopeApplication(state: state), on: screen, display: display,
                                     startedAtMilliseconds: startedAt, recording: recording,
                                     simulate: EngineAdapter().simulate)
        if result.exitStatus != ExitStatus.success { throw ExitCode(result.exitStatus) }
    }

    /// The first AppState: the scenario, the terminal's size and glyphs, and the theme resolved for its colours.
    func initialState(scenario: Scenario, screen: Screen) -> AppState {
        let environment = ProcessInfo.processInfo.environment
        let depth = screen.capabilities.colorDepth
        let catalog = ThemeFileSystem.catalog(environment: environment)
        let selection = ThemeFileSystem.select(display.theme, environment: environment, themes: catalog.themes)
        let themes = selection.themes.map { $0.resolved(for: depth) }
        let theme = themes.indices.contains(selection.index) ? themes[selection.index] : Theme.builtInDefault.resolved(for: depth)
        var state = AppState(scenario: scenario, width: screen.width, height: screen.height,
                             glyphs: screen.capabilities.unicode ? .unicode : .ascii,
                             theme: theme, availableThemes: themes,
                             sweepMilliseconds: Double(display.sweepMilliseconds))
        if let message = selection.message { state.statusMessage = message }
        return state
    }
}
