// `initscope report --arch resnet`: one entry per block (stream, its gradient, the mean-field line, the sites
// inside) as a table, CSV or JSON (the contract in README.md, beside the MLP's).
import SignalFlow

/// Writes the runs of a residual scenario, block by block, into any text stream.
enum ResidualReportFormatter {
    /// Every site a block can report, in column order (CSV); the stream and its gradient first.
    static let siteNames = [ResidualSite.stream, ResidualSite.streamGradient, ResidualSite.normOut, ResidualSite.branchPre,
                            ResidualSite.branchAct, ResidualSite.branchOut, ResidualSite.branchPreGradient,
                            ResidualSite.branchInWeight, ResidualSite.branchOutWeight,
                            ResidualSite.branchInWeightGradient, ResidualSite.branchOutWeightGradient]

    /// Writes the runs in `format`.
    static func write<Output: TextOutputStream>(scenario: Scenario, runs: [RunReport], format: ReportFormat,
                                                histograms: Bool, to out: inout Output) {
        switch format {
        case .table: writeTable(scenario: scenario, runs: runs, to: &out)
        case .csv: writeCSV(runs: runs, histograms: histograms, to: &out)
        case .json: writeJSON(scenario: scenario, runs: runs, histograms: histograms, to: &out)
        }
    }

    /// The whole document as one string (tests).
    static func format(scenario: Scenario, runs: [RunReport], format: ReportFormat, histograms: Bool) -> String {
        var out = ""
        write(scenario: scenario, runs: runs, format: format, histograms: histograms, to: &out)
        return out
    }

    // MARK: table

    static func writeTable<Output: TextOutputStream>(scenario: Scenario, runs: [RunReport], to out: inout Output) {
        typealias F = BlockReportFormatting
        let options = scenario.architecture.residual ?? ResidualOptions()
        out.write("initscope report: resnet x <- alpha x + beta W2 phi(W1 x), \(scenario.activation.name), "
            + "norm \(BlockRunOptions(options).label), \(scenario.depth) blocks, width \(scenario.width), "
            + "batch \(scenario.batch), seed \(scenario.seed), bias std \(scenario.biasStandardDeviation)\n")
        out.write("q(x) = mean x^2 of the stream after the block, Q MF = mean-field prediction; q(dx) = mean (dL/dx)^2; "
            + "q(F) = mean F^2 of the branch output\n")
        for run in runs {
            let used = run.residualOptions ?? options
            out.write(F.tableHeading(run, BlockRunOptions(used), setByScheme: used != options))
            let header = F.pad("block", 6) + F.pad("q(x)", 11) + F.pad("Q MF", 11) + F.pad("var(x)", 11) + F.pad("q(dx)", 11)
                + F.pad("q(F)", 11) + F.pad("nonfinite", 10)
            out.write(header.trimmingTrailingSpaces() + "\n")
            for layer in run.layers {
                let x = layer.site(ResidualSite.stream)?.stats, g = layer.site(ResidualSite.streamGradient)?.stats
                let f = layer.site(ResidualSite.branchOut)?.stats
                let row = F.pad(String(layer.index), 6) + F.pad(F.short(x) { $0.secondMoment }, 11)
                    + F.pad(ReportTableFormatter.short(layer.streamTheory), 11) + F.pad(F.short(x) { $0.variance }, 11)
                    + F.pad(F.short(g) { $0.secondMoment }, 11) + F.pad(F.short(f) { $0.secondMoment }, 11)
                    + F.pad(String(layer.nonFiniteCount), 10)
                out.write(row.trimmingTrailingSpaces() + "\n")
            }
        }
    }

    // MARK: CSV

    static func writeCSV<Output: TextOutputStream>(runs: [RunReport], histograms: Bool, to out: inout Output) {
        BlockReportFormatting.writeCSV(runs: runs, options: { BlockRunOptions($0.residualOptions ?? ResidualOptions()) },
                                       siteNames: siteNames, theory: true, histograms: histograms, to: &out)
    }

    // MARK: JSON

    static func writeJSON<Output: TextOutputStream>(scenario: Scenario, runs: [RunReport], histograms: Bool,
                                                    to out: inout Output) {
        typealias J = ReportJSONFormatter
        let options = scenario.architecture.residual ?? ResidualOptions()
        BlockReportFormatting.writeJSON(
            scenario: scenario, options: BlockRunOptions(options),
            architectureFields: "\"tokens\":null,\"heads\":null,\"attentionScale\":null,\"causal\":null", runs: runs,
            runFields: { run in
                let used = BlockRunOptions(run.residualOptions ?? options)
                return ("\"chi1\":\(J.optional(run.chi1)),\"depthScale\":\(J.optional(run.depthScale)),"
                        + "\"norm\":\(J.string(used.normalization)),", used)
            }, histograms: histograms, to: &out)
    }
}
