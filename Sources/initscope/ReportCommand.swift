// `initscope report`: per-layer numbers of one scenario for every initializer, as a table, CSV or JSON.
import ArgumentParser
import Foundation
import SignalFlow

/// Output format of `initscope report`.
enum ReportFormat: String, CaseIterable {
    case table, csv, json
}

/// Prints per-layer statistics of a forward and backward pass at initialization.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Per-layer statistics of one forward and backward pass, for each initializer.",
        discussion: "Exit status 64 on bad input (one line on stderr, nothing on stdout).")

    @Option(help: "Activation: \(Activation.acceptedNames).")
    var activation: String = "relu"

    @Option(name: .customLong("init"), help: "Comma-separated initializers: \(Initializer.acceptedNames).")
    var initializers: String = "xavier,he,lsuv"

    @Option(help: "Number of layers L (1...\(Scenario.maximumDimension)).")
    var depth: Int = 50

    @Option(help: "Layer width n (1...\(Scenario.maximumDimension)).")
    var width: Int = 512

    @Option(help: "Batch size B (1...\(Scenario.maximumDimension)).")
    var batch: Int = 256

    @Option(help: "Seed of every random stream (0...18446744073709551615).")
    var seed: UInt64 = 7

    @Option(name: .customLong("bias-std"), help: "Standard deviation of N(0, s^2) biases; 0 = no bias.")
    var biasStandardDeviation: Double = 0

    @Option(help: "Output format: table, csv or json.")
    var format: String = "table"

    @Flag(help: "Include both histograms of every quantity (JSON and CSV).")
    var histograms = false

    /// Builds the scenario from the flags; throws ValidationError (exit 64) naming the problem.
    func makeScenario() throws -> (Scenario, ReportFormat) {
        guard let parsedFormat = ReportFormat(rawValue: format.lowercased()) else {
            throw ValidationError("unknown format '\(format)'; accepted: table, csv, json")
        }
        guard let phi = Activation(name: activation) else {
            throw ValidationError("unknown activation '\(activation)'; accepted: \(Activation.acceptedNames)")
        }
        let names = initializers.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var named: [NamedInitializer] = []
        for name in names {
            guard !name.isEmpty else {
                throw ValidationError("empty initializer name in --init '\(initializers)'; accepted: \(Initializer.acceptedNames)")
            }
            do {
                named.append(NamedInitializer(name: name, initializer: try Initializer.parse(name)))
            } catch {
                throw ValidationError("\(error)")
            }
        }
        let scenario = Scenario(activation: phi, depth: depth, width: width, batch: batch, seed: seed,
                                biasStandardDeviation: biasStandardDeviation, initializers: named)
        do { try scenario.validate() } catch { throw ValidationError("\(error)") }
        return (scenario, parsedFormat)
    }

    func run() throws {
        let (scenario, outputFormat) = try makeScenario()
        let experiment: Experiment
        do { experiment = try Experiment(scenario: scenario) } catch { throw ValidationError("\(error)") }
        guard let runs = experiment.run(onEvent: { _ in }) else { throw ExitCode.failure }
        let text: String
        switch outputFormat {
        case .table: text = ReportTableFormatter.format(scenario: scenario, runs: runs)
        case .csv: text = ReportCSVFormatter.format(scenario: scenario, runs: runs, histograms: histograms)
        case .json: text = ReportJSONFormatter.format(scenario: scenario, runs: runs, histograms: histograms)
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
