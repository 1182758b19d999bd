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

    /// "none", "pre-layer", "post-batch", ...: the normalization a run used.
    static func normalizationLabel(_ options: ResidualOptions) -> String {
        options.normalization == .none ? "none" : "\(options.position.rawValue)-\(options.normalization.rawValue)"
    }

    // MARK: table

    static func writeTable<Output: TextOutputStream>(scenario: Scenario, runs: [RunReport], to out: inout Output) {
        let options = scenario.architecture.residual ?? ResidualOptions()
        out.write("initscope report: resnet x <- alpha x + beta W2 phi(W1 x), \(scenario.activation.name), "
            + "norm \(normalizationLabel(options)), \(scenario.depth) blocks, width \(scenario.width), "
            + "batch \(scenario.batch), seed \(scenario.seed), bias std \(scenario.biasStandardDeviation)\n")
        out.write("q(x) = mean x^2 of the stream after the block, Q MF = mean-field prediction; q(dx) = mean (dL/dx)^2; "
            + "q(F) = mean F^2 of the branch output\n")
        for run in runs {
            let used = run.residualOptions ?? options
            var heading = "\n[\(run.initializerName)]  norm \(normalizationLabel(used))  alpha \(ReportTableFormatter.short(used.skip))"
                + "  beta \(ReportTableFormatter.short(used.branchMultiplier))"
            if used != options { heading += " (set by the scheme)" }
            if let layer = run.firstNonFiniteLayer { heading += "  first non-finite value at block \(layer)" }
            out.write(heading + "\n")
            let header = pad("block", 6) + pad("q(x)", 11) + pad("Q MF", 11) + pad("var(x)", 11) + pad("q(dx)", 11)
                + pad("q(F)", 11) + pad("nonfinite", 10)
            out.write(header.trimmingTrailingSpaces() + "\n")
            for layer in run.layers {
                let x = layer.site(ResidualSite.stream)?.stats, g = layer.site(ResidualSite.streamGradient)?.stats
                let f = layer.site(ResidualSite.branchOut)?.stats
                let row = pad(String(layer.index), 6) + pad(short(x) { $0.secondMoment }, 11)
                    + pad(ReportTableFormatter.short(layer.streamTheory), 11) + pad(short(x) { $0.variance }, 11)
                    + pad(short(g) { $0.secondMoment }, 11) + pad(short(f) { $0.secondMoment }, 11)
                    + pad(String(layer.nonFiniteCount), 10)
                out.write(row.trimmingTrailingSpaces() + "\n")
            }
        }
    }

    static func short(_ stats: SummaryStats?, _ pick: (SummaryStats) -> Double) -> String {
        ReportTableFormatter.short(ReportTableFormatter.moment(stats, pick))
    }

    static func pad(_ text: String, _ width: Int) -> String { ReportTableFormatter.pad(text, width) }

    // MARK: CSV

    static func writeCSV<Output: TextOutputStream>(runs: [RunReport], histograms: Bool, to out: inout Output) {
        var header = ["initializer", "block", "norm", "skip", "branchMultiplier"]
        for site in siteNames { header += ReportCSVFormatter.statisticNames.map { "\(site).\($0)" } }
        header.append("theory.streamSecondMoment")
        if histograms {
            for site in siteNames {
                header += ["\(site).linear.lower", "\(site).linear.upper", "\(site).linear.counts",
                           "\(site).log10.lower", "\(site).log10.upper", "\(site).log10.counts"]
            }
        }
        out.write(header.joined(separator: ",") + "\n")
        for run in runs {
            let used = run.residualOptions ?? ResidualOptions()
            for layer in run.layers {
                var row = [ReportCSVFormatter.field(run.initializerName), String(layer.index), normalizationLabel(used),
                           ReportCSVFormatter.number(used.skip), ReportCSVFormatter.number(used.branchMultiplier)]
                for site in siteNames { row += ReportCSVFormatter.statisticFields(layer.site(site)?.stats) }
                row.append(layer.streamTheory.map(ReportCSVFormatter.number) ?? "")
                if histograms {
                    for site in siteNames { row += ReportCSVFormatter.histogramFields(layer.site(site)) }
                }
                out.write(row.joined(separator: ",") + "\n")
            }
        }
    }

    // MARK: JSON

    static func writeJSON<Output: TextOutputStream>(scenario: Scenario, runs: [RunReport], histograms: Bool,
                                                    to out: inout Output) {
        typealias J = ReportJSONFormatter
        let options = scenario.architecture.residual ?? ResidualOptions()
        var head = "{\"scenario\":{"
        head += "\"activation\":\(J.string(scenario.activation.name)),\"depth\":\(scenario.depth),"
        head += "\"width\":\(scenario.width),\"batch\":\(scenario.batch),\"seed\":\(scenario.seed),"
        head += "\"biasStd\":\(J.number(scenario.biasStandardDeviation)),"
        head += "\"initializers\":[\(scenario.initializers.map { J.string($0.name) }.joined(separator: ","))],"
        head += "\"arch\":\(J.string(scenario.architecture.name)),\"norm\":\(J.string(options.normalization.rawValue)),"
        head += "\"normPosition\":" + (options.normalization == .none ? "null" : J.string(options.position.rawValue)) + ","
        head += "\"tokens\":null,\"heads\":null,\"attentionScale\":null,\"causal\":null},\n\"runs\":[\n"
        out.write(head)
        for (number, run) in runs.enumerated() {
            if number > 0 { out.write(",\n") }
            let used = run.residualOptions ?? options
            out.write("{\"initializer\":\(J.string(run.initializerName)),\"chi1\":\(J.optional(run.chi1)),")
            out.write("\"depthScale\":\(J.optional(run.depthScale)),\"norm\":\(J.string(used.normalization.rawValue)),")
            out.write("\"skip\":\(J.number(used.skip)),\"branchMultiplier\":\(J.number(used.branchMultiplier)),\"layers\":[")
            for (index, layer) in run.layers.enumerated() {
                if index > 0 { out.write(",") }
                out.write(block(layer, histograms: histograms))
            }
            out.write("]}")
        }
        out.write("\n]}\n")
    }

    /// One block: index, stream, streamGradient, theory, sites (every other site, in the order measured).
    static func block(_ layer: LayerReport, histograms: Bool) -> String {
        typealias J = ReportJSONFormatter
        func quantity(_ name: String) -> String {
            layer.site(name).map { J.quantity($0, histograms: histograms) } ?? "null"
        }
        var text = "{\"index\":\(layer.index),\"stream\":\(quantity(ResidualSite.stream)),"
        text += "\"streamGradient\":\(quantity(ResidualSite.streamGradient)),"
        text += "\"theory\":" + (layer.streamTheory.map { "{\"streamSecondMoment\":\(J.number($0))}" } ?? "null") + ","
        let inside = layer.sites.filter { $0.name != ResidualSite.stream && $0.name != ResidualSite.streamGradient }
        text += "\"sites\":[" + inside.map { "{\"name\":\(J.string($0.name)),\"quantity\":\(J.quantity($0.quantity, histograms: histograms))}" }
            .joined(separator: ",") + "]}"
        return text
    }
}
