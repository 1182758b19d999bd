// `initscope report`: per-layer numbers of one scenario for every initializer, as a table, CSV or JSON.
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ScopeUI
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

    @OptionGroup var scenarioFlags: ScenarioFlags

    @Option(help: "Output format: table, csv or json.")
    var format: String = "table"

    @Flag(help: "Include both histograms of every quantity (JSON and CSV).")
    var histograms = false

    /// Builds the scenario from the flags; throws ValidationError (exit 64) naming the problem.
    func makeScenario() throws -> (Scenario, ReportFormat) {
        guard let parsedFormat = ReportFormat(rawValue: format.lowercased()) else {
            throw ValidationError("unknown format '\(format)'; accepted: table, csv, json")
        }
        let footprint = parsedFormat.footprint(histograms: histograms)
        let scenario = try scenarioFlags.scenario(defaultActivation: .relu, footprint: footprint) { named in
            named ?? AppState.comparisonSet()  // xavier, he, lsuv
        }
        return (scenario, parsedFormat)
    }

    func run() throws {
        let (scenario, outputFormat) = try makeScenario()
        let experiment: Experiment
        // The table and plain CSV/JSON show statistics only: histograms are computed when asked for.
        do { experiment = try Experiment(scenario: scenario, footprint: outputFormat.footprint(histograms: histograms)) }
        catch { throw ValidationError("\(error)") }
        guard let runs = experiment.run(onEvent: { _ in }) else { throw ExitCode.failure }
        let text: String
        switch outputFormat {
        case .table: text = ReportTableFormatter.format(scenario: scenario, runs: runs)
        case .csv: text = ReportCSVFormatter.format(scenario: scenario, runs: runs, histograms: histograms)
        case .json: text = ReportJSONFormatter.format(scenario: scenario, runs: runs, histograms: histograms)
        }
        // A full disk or a dropped terminal: one line and EX_IOERR, never a trap.
        guard StandardStreams.writeOutput(text) else {
            StandardStreams.writeErrorLine("initscope: could not write the report to standard output (\(String(cString: strerror(errno))))")
            throw ExitCode(74)
        }
    }
}
