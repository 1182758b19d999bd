// The flags that define a scenario, shared by `initscope report` and the live view: one set of names,
// limits and messages. Only the default activation and the comparison set differ per command.
import ArgumentParser
import Foundation
import SignalFlow

/// --activation, --init, --depth, --width, --batch, --seed and --bias-std.
struct ScenarioFlags: ParsableArguments {
    @Option(help: "Activation: \(Activation.acceptedNames) (default: relu for report, tanh for the live view).")
    var activation: String?

    @Option(name: .customLong("init"),
            help: "Comma-separated initializers (default: \(NamedInitializer.defaultComparisonNames.joined(separator: ",")); the live view adds these to that set and focuses the first): \(Initializer.acceptedNames).")
    var initializers: String?

    @Option(parsing: .unconditional, help: "Number of layers L (1...\(Scenario.maximumDimension)); memory permitting (default: 50; a transformer 12).")
    var depth: Int?

    @Option(parsing: .unconditional, help: "Layer width n (1...\(Scenario.maximumDimension)); memory permitting (default: 512; a transformer 256).")
    var width: Int?

    @Option(parsing: .unconditional, help: "Batch size B (1...\(Scenario.maximumDimension)); memory permitting (default: 256; a transformer 8 sequences).")
    var batch: Int?

    /// Depth, width and batch when their flags are absent.
    struct SizeDefaults {
        var depth: Int, width: Int, batch: Int
        /// The MLP's and the resnet's: L = 50, n = 512, B = 256.
        static let standard = SizeDefaults(depth: 50, width: 512, batch: 256)
        /// A transformer's: L = 12 blocks, d = 256, B = 8 sequences (of --tokens 32).
        static let transformer = SizeDefaults(depth: 12, width: 256, batch: 8)

        /// The defaults of `architecture`.
        static func of(_ architecture: Architecture) -> SizeDefaults {
            architecture.transformer != nil ? .transformer : .standard
        }
    }

    @Option(parsing: .unconditional, help: "Seed of every random stream: input batch, upstream gradient, weights (0...18446744073709551615).")
    var seed: UInt64 = 7

    @Option(name: .customLong("bias-std"), parsing: .unconditional, help: "Standard deviation of N(0, s^2) biases; 0 = no bias.")
    var biasStandardDeviation: Double = 0

    /// The names given with --init, in order, each parsed; nil when the flag is absent. Throws (exit 64) on an
    /// empty or unknown name.
    func namedInitializers() throws -> [NamedInitializer]? {
        guard let initializers else { return nil }
        let names = initializers.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        return try names.map { name in
            guard !name.isEmpty else {
                throw ValidationError("empty initializer name in --init '\(PrintableText.quoted(initializers))'; accepted: \(Initializer.acceptedNames)")
            }
            do { return NamedInitializer(name: name, initializer: try Initializer.parse(name)) }
            catch { throw ValidationError("--init: \(error)") }
        }
    }

    /// The scenario these flags describe, or a ValidationError (exit 64) naming the bad flag.
    /// - Parameters:
    ///   - defaultActivation: used when --activation is absent.
    ///   - comparison: the initializers to run, from the parsed --init list (nil when absent).
    ///   - footprint: what the command measures and keeps, for the memory check.
    ///   - architecture: the network (default the MLP).
    func scenario(defaultActivation: Activation, footprint: RunFootprint = RunFootprint(), architecture: Architecture = .mlp,
                  comparison: ([NamedInitializer]?) -> [NamedInitializer]) throws -> Scenario {
        let phi: Activation
        if let activation {
            do { phi = try Activation.parse(activation) } catch { throw ValidationError("--activation: \(error)") }
        } else {
            phi = defaultActivation
        }
        do {
            // Sizes first, before anything is built from them; then bias and memory.
            let defaults = SizeDefaults.of(architecture)
            var scenario = try Scenario.uniform(activation: phi, depth: depth ?? defaults.depth, width: width ?? defaults.width,
                                                batch: batch ?? defaults.batch, seed: seed,
                                                biasStandardDeviation: biasStandardDeviation,
                                                initializers: comparison(try namedInitializers()))
            scenario.architecture = architecture
            try scenario.validate(footprint)
            return scenario
        } catch let error as ScenarioError { throw ValidationError("\(error)") }
    }
}
