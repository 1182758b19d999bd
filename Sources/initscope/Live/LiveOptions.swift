// Command-line flags of the live front end. Scenario flags use the same names as `initscope report`.
import ArgumentParser
import Foundation
import ScopeUI
import SignalFlow
import Terminal

/// The flags that define the scenario shown live.
struct ScenarioFlags: ParsableArguments {
    @Option(help: "Activation: \(Activation.acceptedNames).")
    var activation: String = "tanh"

    @Option(help: "Initializers to show, comma separated, added to xavier,he,lsuv; the first is focused. \(Initializer.acceptedNames)")
    var `init`: String?

    @Option(help: "Number of layers L (1...\(Scenario.maximumDimension)); memory permitting.")
    var depth: Int = 50

    @Option(help: "Width n of every layer (1...\(Scenario.maximumDimension)); memory permitting.")
    var width: Int = 512

    @Option(help: "Batch size B (1...\(Scenario.maximumDimension)); memory permitting.")
    var batch: Int = 256

    @Option(help: "Random seed (input batch, upstream gradient, weights).")
    var seed: UInt64 = 7

    @Option(name: .customLong("bias-std"), help: "Standard deviation of N(0, s^2) biases; 0 = no bias.")
    var biasStandardDeviation: Double = 0

    /// The names given with --init, in order (empty when the flag is absent).
    var initializerNames: [String] {
        (`init` ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The row to focus first: the first initializer named by --init, else row 0.
    func focusedRow(in scenario: Scenario) -> Int {
        guard let first = initializerNames.first else { return 0 }
        return scenario.initializers.firstIndex { $0.name == first } ?? 0
    }

    /// The scenario these flags describe, or a ValidationError (exit 64) naming the bad flag.
    func scenario() throws -> Scenario {
        guard let activationValue = Activation(name: activation) else {
            throw ValidationError("unknown --activation '\(activation)'; accepted: \(Activation.acceptedNames)")
        }
        let limit = Scenario.maximumDimension  // the same limits as `report`; memory is checked by validate()
        guard (1...limit).contains(depth) else { throw ValidationError("--depth must be in 1...\(limit) (got \(depth))") }
        guard (1...limit).contains(width) else { throw ValidationError("--width must be in 1...\(limit) (got \(width))") }
        guard (1...limit).contains(batch) else { throw ValidationError("--batch must be in 1...\(limit) (got \(batch))") }
        guard biasStandardDeviation.isFinite, biasStandardDeviation >= 0 else {
            throw ValidationError("--bias-std must be a finite number >= 0 (got \(biasStandardDeviation))")
        }
        for name in initializerNames {
            do { _ = try Initializer.parse(name) } catch { throw ValidationError("--init: \(error)") }
        }
        if `init` != nil && initializerNames.isEmpty { throw ValidationError("--init needs at least one initializer") }
        let named = AppState.comparisonSet(adding: initializerNames)
        let scenario = Scenario(activation: activationValue, depth: depth, width: width, batch: batch, seed: seed,
                                biasStandardDeviation: biasStandardDeviation, initializers: named)
        do { try scenario.validate() } catch { throw ValidationError("\(error)") }  // sizes and memory, as `report`
        return scenario
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
