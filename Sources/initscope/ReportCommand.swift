// `initscope report`: per-layer numbers of one scenario for every initializer, as a table, CSV or JSON.
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
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
        discussion: "Exit status 64 on bad input (one line on stderr, nothing on stdout); 74 when the output cannot be written.")

    @OptionGroup var scenarioFlags: ScenarioFlags

    @OptionGroup var architectureFlags: ArchitectureFlags

    @Option(help: "Output format: table, csv or json.")
    var format: String = "table"

    @Flag(help: "Include both histograms of every quantity (JSON and CSV).")
    var histograms = false

    @Flag(help: ArgumentHelp("Add each initializer's input-output Jacobian spectrum on the batch's first input (JSON, MLP).",
                             discussion: "Per layer l: log10 of the mean squared singular value of J_l and its normalized spread m2/m1^2 - 1; the singular values of the last layer's J as log10 (width <= 1024; wider: the moments estimated from 128 random probes, with standard errors, and no singular values)."))
    var jacobian = false

    @Flag(name: .customLong("phase-diagram"),
          help: ArgumentHelp("Instead of running the network: the mean-field order-chaos diagram of the activation (MLP).",
                             discussion: "Over sigma_w^2 x sigma_b^2: chi_1, phase and the correlation depth scale xi_c; the chi_1 = 1 boundary; each initializer's point."))
    var phaseDiagram = false

    @Option(name: .customLong("sigma-w2"), help: "With --phase-diagram: the sigma_w^2 axis LOW..HIGH:N (default 0..4:21).")
    var sigmaW2: String?

    @Option(name: .customLong("sigma-b2"), help: "With --phase-diagram: the sigma_b^2 axis LOW..HIGH:N (default 0..0.5:11).")
    var sigmaB2: String?

    /// Builds the scenario from the flags; throws ValidationError (exit 64) naming the problem.
    func makeScenario() throws -> (Scenario, ReportFormat) {
        guard let parsedFormat = ReportFormat(rawValue: format.lowercased()) else {
            throw ValidationError("unknown format '\(format)'; accepted: table, csv, json")
        }
        let architecture = try architectureFlags.architecture()
        // The FFN of a transformer uses GELU unless --activation says otherwise.
        let scenario = try scenarioFlags.scenario(defaultActivation: architecture.transformer != nil ? .gelu : .relu, footprint: try footprint(parsedFormat),
                                                  architecture: architecture) { named in
            named ?? ArchitectureFlags.defaultComparison(for: architecture)  // mlp: xavier, he, lsuv
        }
        return (scenario, parsedFormat)
    }

    /// What the run measures and keeps: histograms when asked; for a resnet, the sites --sites asks for.
    func footprint(_ format: ReportFormat) throws -> RunFootprint {
        var footprint = format.footprint(histograms: histograms)
        footprint.plan.blockSites = try architectureFlags.siteSelection() == .all
        return footprint
    }

    func run() throws {
        let (scenario, outputFormat) = try makeScenario()
        if phaseDiagram || sigmaW2 != nil || sigmaB2 != nil { return try runPhaseDiagram(scenario, outputFormat) }
        if jacobian { try checkJacobian(scenario, outputFormat) }
        let experiment: Experiment
        // The table and plain CSV/JSON show statistics only: histograms are computed when asked for.
        do { experiment = try Experiment(scenario: scenario, footprint: try footprint(outputFormat)) }
        catch { throw ValidationError("\(error)") }
        guard let runs = experiment.run(onEvent: { _ in }) else { throw ExitCode.failure }
        let spectra = try jacobian ? scenario.initializers.map { named in
            guard let spectrum = try InputOutputJacobian.spectrum(scenario: scenario, initializer: named) else { throw ExitCode.failure }
            return spectrum
        } : nil
        // Streamed layer by layer through a 64 KiB buffer: memory holds the reports and one layer's text, never
        // the whole document. A full disk, a closed pipe or a dropped terminal: one line and EX_IOERR (74).
        var output = BufferedOutput()
        if let spectra {
            ReportJSONFormatter.write(scenario: scenario, runs: runs, histograms: histograms, jacobians: spectra, to: &output)
        } else {
            Self.write(scenario: scenario, runs: runs, format: outputFormat, histograms: histograms, to: &output)
        }
        try output.finish(writing: "the report")
    }

    /// `--phase-diagram`: the diagram, the boundary and the scenario's points in `format`; exit 64 (one line, nothing on
    /// stdout) for axes without the flag, a bad axis, another architecture, or --jacobian/--histograms beside it.
    func runPhaseDiagram(_ scenario: Scenario, _ format: ReportFormat) throws {
        guard phaseDiagram else { throw ValidationError("--sigma-w2 and --sigma-b2 need --phase-diagram") }
        guard scenario.architecture == .mlp else {
            throw ValidationError("--phase-diagram needs --arch mlp (the mean-field maps of a plain MLP; resnet and transformer have none)")
        }
        guard !jacobian, !histograms else { throw ValidationError("--phase-diagram cannot be combined with --jacobian or --histograms") }
        let weightAxis: PhaseAxis, biasAxis: PhaseAxis
        do {
            weightAxis = try sigmaW2.map { try PhaseAxis.parse($0, flag: "--sigma-w2") } ?? .defaultWeightVariance
            biasAxis = try sigmaB2.map { try PhaseAxis.parse($0, flag: "--sigma-b2") } ?? .defaultBiasVariance
        } catch { throw ValidationError("\(error)") }
        let diagram = PhaseDiagram(activation: scenario.activation, weightAxis: weightAxis, biasAxis: biasAxis)
        let points = scenario.initializers.compactMap { named in
            PhasePoint(scenario: scenario, initializer: named.initializer).map { (name: named.name, point: $0) }
        }
        var output = BufferedOutput()
        PhaseDiagramFormatter.write(diagram, points: points, scenario: scenario, format: format, to: &output)
        try output.finish(writing: "the phase diagram")
    }

    /// Refuses --jacobian (exit 64, one line) where it cannot run: not JSON, or not an MLP. Wider than
    /// `InputOutputJacobian.singularValueWidthLimit` it estimates the moments from probes.
    func checkJacobian(_ scenario: Scenario, _ format: ReportFormat) throws {
        guard format == .json else { throw ValidationError("--jacobian needs --format json") }
        guard scenario.architecture == .mlp else { throw ValidationError("--jacobian needs --arch mlp") }
    }

    /// Writes the runs in `format` into `output`, as they are formatted.
    static func write<Output: TextOutputStream>(scenario: Scenario, runs: [RunReport], format: ReportFormat,
                                                histograms: Bool, to output: inout Output) {
        if scenario.architecture.transformer != nil {
            TransformerReportFormatter.write(scenario: scenario, runs: runs, format: format, histograms: histograms, to: &output)
            return
        }
        if scenario.architecture != .mlp {
            ResidualReportFormatter.write(scenario: scenario, runs: runs, format: format, histograms: histograms, to: &output)
            return
        }
        switch format {
        case .table: ReportTableFormatter.write(scenario: scenario, runs: runs, to: &output)
        case .csv: ReportCSVFormatter.write(scenario: scenario, runs: runs, histograms: histograms, to: &output)
        case .json: ReportJSONFormatter.write(scenario: scenario, runs: runs, histograms: histograms, to: &output)
        }
    }
}
