// `initscope terminal-check`: the diagnostic screen (see TerminalCheckApplication).
import ArgumentParser
import Foundation
import Terminal

/// Shows what initscope detects about the terminal and echoes keys; for diagnosis, tests and benchmarks.
struct TerminalCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminal-check",
        abstract: "Show the detected terminal capabilities, colours and glyphs, and echo keys (q quits).")

    @OptionGroup var display: DisplayFlags

    func run() throws {
        let screen: CursesScreen
        switch LiveSession.openScreen(display: display) {
        case .success(let opened): screen = opened
        case .failure(let code): throw code
        }
        let environment = ProcessInfo.processInfo.environment
        let application = TerminalCheckApplication(capabilities: screen.capabilities,
                                                   termName: environment["TERM"] ?? "",
                                                   colorTermName: environment["COLORTERM"] ?? "",
                                                   animationIntervalMilliseconds: 20)
        let result = LiveSession.run(application, on: screen, display: display) { _, _, _, _, _ in }
        if result.exitStatus != ExitStatus.success { throw ExitCode(result.exitStatus) }
    }
}
