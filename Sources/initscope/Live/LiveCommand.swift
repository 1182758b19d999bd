// `initscope` with no subcommand: the live terminal front end.
import ArgumentParser
import Foundation
import SignalFlow
import Terminal

/// The live front end: the scenario's initializers side by side, updated layer by layer.
struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "The live terminal view (the default when no subcommand is given).")

    @OptionGroup var scenarioFlags: ScenarioFlags
    @OptionGroup var display: DisplayFlags

    func run() throws {
        let scenario = try scenarioFlags.scenario()
        _ = scenario
        let screen: CursesScreen
        switch LiveSession.openScreen(display: display) {
        case .success(let opened): screen = opened
        case .failure(let code): throw code
        }
        screen.restore()
        LiveSession.printError("initscope: the live view is not wired to ScopeUI yet; use `initscope terminal-check`")
        throw ExitCode(ExitStatus.internalError)
    }
}
