// Command-line flags of the live front end: the shared ScenarioFlags (as `initscope report`) and display flags.
import ArgumentParser
import Foundation
import ScopeUI
import SignalFlow
import Terminal

extension ScenarioFlags {
    /// The live view's scenario: tanh unless --activation says otherwise; the --init names are added to the
    /// default comparison set (xavier, he, lsuv).
    func liveScenario() throws -> Scenario {
        try scenario(defaultActivation: .tanh, footprint: RunFootprint(callerReportCopies: 1)) { named in
            AppState.comparisonSet(adding: (named ?? []).map(\.name))
        }
    }

    /// The row to focus first: the first initializer named by --init, else row 0.
    func focusedRow(in scenario: Scenario) -> Int {
        guard let first = (try? namedInitializers())??.first?.name else { return 0 }
        return scenario.initializers.firstIndex { $0.name == first } ?? 0
    }
}

/// Flags about the terminal and the animation.
struct DisplayFlags: ParsableArguments {
    @Option(help: "Maximum frames per second (1...120).")
    var fps: Int = 20

    @Option(help: "Animation delay per layer, in milliseconds (0...5000).")
    var delay: Int = 40

    @Flag(name: .customLong("no-animation"), help: "Show each run as soon as it is computed.")
    var noAnimation = false

    @Flag(help: "Use ASCII characters only (no Unicode blocks).")
    var ascii = false

    @Option(help: "Colour: auto, always or never (NO_COLOR is honoured with auto).")
    var color: String = "auto"

    @Option(help: "Colour theme name or path to a theme file.")
    var theme: String?

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
        guard (0...5000).contains(delay) else { throw ValidationError("--delay must be in 0...5000 (got \(delay))") }
        _ = try colorChoice()
    }

    /// Milliseconds per animated layer: 0 with --no-animation.
    var animationDelayMilliseconds: Int { noAnimation ? 0 : delay }
}
