// Command-line flags of the live front end: the shared ScenarioFlags (as `initscope report`) and display flags.
import ArgumentParser
import Foundation
import ScopeUI
import SignalFlow
import Terminal

extension ScenarioFlags {
    /// The live view's scenario: tanh unless --activation says otherwise; --init is the exact set of rows shown
    /// (each name once, in the order given), the architecture's rows when absent (the MLP's: xavier, he, lsuv).
    /// A transformer's activation defaults to GELU, as in `report`.
    func liveScenario(architecture: Architecture = .mlp) throws -> Scenario {
        try scenario(defaultActivation: architecture.transformer != nil ? .gelu : .tanh,
                     footprint: RunFootprint(callerReportCopies: 1), architecture: architecture) { named in
            guard let named else { return ArchitectureRows.defaultRows(for: architecture) }
            var seen = Set<String>()
            return named.filter { seen.insert($0.name).inserted }
        }
    }

}

/// Flags about the terminal and the animation.
struct DisplayFlags: ParsableArguments {
    @Option(help: "Maximum frames per second (1...120).")
    var fps: Int = 20

    @Option(help: "Milliseconds the animation takes for the whole picture, whatever the depth (0...60000).")
    var sweep: Int = Int(defaultSweepMilliseconds)

    @Flag(name: .customLong("no-animation"), help: "Show each run as soon as it is computed.")
    var noAnimation = false

    @Flag(help: "Use ASCII characters only (no Unicode blocks).")
    var ascii = false

    @Option(help: "Colour: auto, always or never (NO_COLOR is honoured with auto).")
    var color: String = "auto"

    @Option(help: "Colour theme name or path to a theme file.")
    var theme: String?

    @Option(name: .customLong("record"), help: ArgumentHelp(
        "Record the session as an asciicast v2 file (play it with asciinema play FILE).", valueName: "FILE.cast"))
    var recordPath: String?

    @Option(name: .customLong("stats-file"), help: ArgumentHelp("Write frame timings to this file on exit (benchmarks).",
                                                                visibility: .hidden))
    var statisticsFile: String?

    /// The parsed --color choice.
    func colorChoice() throws -> ColorChoice {
        guard let choice = ColorChoice(rawValue: color.lowercased()) else {
            throw ValidationError("--color must be auto, always or never (got '\(color)')")
        }
        return choice
    }

    /// Checks ranges (exit 64 on failure).
    func validate() throws {
        guard (1...120).contains(fps) else { throw ValidationError("--fps must be in 1...120 (got \(fps))") }
        guard (0...60_000).contains(sweep) else { throw ValidationError("--sweep must be in 0...60000 (got \(sweep))") }
        _ = try colorChoice()
    }

    /// Milliseconds of the whole-picture sweep: 0 with --no-animation.
    var sweepMilliseconds: Int { noAnimation ? 0 : sweep }
}
