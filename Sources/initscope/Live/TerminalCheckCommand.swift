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
        let recording = try SessionRecording.openIfAsked(display: display)
        let screen: CursesScreen
        switch LiveSession.openScreen(display: display) {
        case .success(let opened): screen = opened
        case .failure(let code): recording?.discard(); throw code
        }
        recording?.start(on: screen, title: "initscope terminal-check", foreground: RGBColor(0xE5, 0xE5, 0xE5),
                         background: RGBColor(0, 0, 0))
        let environment = ProcessInfo.processInfo.environment
        let application = TerminalCheckApplication(capabilities: screen.capabilities,
                                                   termName: environment["TERM"] ?? "",
                                                   colorTermName: environment["COLORTERM"] ?? "",
                                                   animationIntervalMilliseconds: 20)
        let result = LiveSession.run(application, on: screen, display: display, recording: recording) { _, _, _, _, _ in }
        if result.exitStatus != ExitStatus.success { throw ExitCode(result.exitStatus) }
    }
}
