// `initscope report --arch transformer`: one entry per block (the stream, its gradient, the sites inside) as a
// table, CSV or JSON (the contract in README.md, beside the MLP's and the resnet's).
import Foundation
import SignalFlow

/// Writes the runs of a transformer scenario, block by block, into any text stream.
enum TransformerReportFormatter {
    /// Every site a block can report, in column order (CSV); the stream and its gradient first.
    static let siteNames = TransformerSite.all

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

    /// "pre-layer", "post-layer" or "none": the LayerNorms a run used.
    static func normalizationLabel(_ options: TransformerOptions) -> String {
        options.normalization == .none ? "none" : "\(options.position.rawValue)-\(options.normalization.rawValue)"
    }

    // MARK: table

    static func writeTable<Output: TextOutputStream>(scenario: Scenario, runs: [RunReport], to out: inout Output) {
        let options = scenario.architecture.transformer ?? TransformerOptions()
        let g = TransformerGeometry(sequences: scenario.batch, tokens: options.tokens, width: scenario.width, heads: options.heads)
        out.write("initscope report: transformer (attention + FFN \(scenario.activation.name)), "
            + "norm \(normalizationLabel(options)), \(scenario.depth) blocks, width \(scenario.width), \(options.heads) heads "
            + "(d_k \(g.headWidth)), \(scenario.batch) sequences of \(options.tokens) tokens, scale \(options.attentionScale.rawValue)"
            + (options.causal ? ", causal" : "") + ", seed \(scenario.seed)\n")
        out.write("q(x) = mean x^2 of the stream after the block; q(dx) = mean (dL/dx)^2; q(A), q(F) = mean square of the "
            + "attention and FFN branch outputs; H = mean entropy of the attention rows (ln T = \(ReportTableFormatter.short(g.tokens > 0 ? _log(Double(g.tokens)) : nil)) uniform), "
            + "max = mean largest weight\n")
        for run in runs {
            let used = run.transformerOptions ?? options
            var heading = "\n[\(run.initializerName)]  norm \(normalizationLabel(used))  alpha \(ReportTableFormatter.short(used.skip))"
                + "  beta \(ReportTableFormatter.short(used.branchMultiplier))"
            if used != options { heading += " (set by the scheme)" }
            if let layer = run.firstNonFiniteLayer { heading += "  first non-finite value at block \(layer)" }
            out.write(heading + "\n")
            let header = pad("block", 6) + pad("q(x)", 11) + pad("var(x)", 11) + pad("q(dx)", 11) + pad("q(A)", 11)
                + pad("q(F)", 11) + pad("H", 9) + pad("max", 9) + pad("nonfinite", 10)
            out.write(header.trimmingTrailingSpaces() + "\n")
            for layer in run.layers {
                func second(_ site: String) -> String { short(layer.site(site)?.stats) { $0.secondMoment } }
                func mean(_ site: String) -> String { short(layer.site(site)?.stats) { $0.mean } }
                let x = layer.site(TransformerSite.stream)?.stats
                let row = pad(String(layer.index), 6) + pad(second(TransformerSite.stream), 11) + pad(short(x) { $0.variance }, 11)
                    + pad(second(TransformerSite.streamGradient), 11) + pad(second(TransformerSite.attentionOut), 11)
                    + pad(second(TransformerSite.ffnOut), 11) + pad(mean(TransformerSite.attentionEntropy), 9)
                    + pad(mean(TransformerSite.attentionLargest), 9) + pad(String(layer.nonFiniteCount), 10)
                out.write(row.trimmingTrailingSpaces() + "\n")
            }
        }
    }

    static func _log(_ x: Double) -> Double { x > 0 ? Foundation.log(x) : .nan }

    static func short(_ stats: SummaryStats?, _ pick: (SummaryStats) -> Double) -> String {
        ReportTableFormatter.short(ReportTableFormatter.moment(stats, pick))
    }

    static func pad(_ text: String, _ width: Int) -> String { ReportTableFormatter.pad(text, width) }

    // MARK: CSV

    static func writeCSV<Output: TextOutputStream>(runs: [RunReport], histograms: Bool, to out: inout Output) {
        var header = ["initializer", "block", "norm", "skip", "branchMultiplier"]
        for site in siteNames { header += ReportCSVFormatter.statisticNames.map { "\(site).\($0)" } }
        if histograms {
            for site in siteNames {
                header += ["\(site).linear.lower", "\(site).linear.upper", "\(site).linear.counts",
                           "\(site).log10.lower", "\(site).log10.upper", "\(site).log10.counts"]
            }
        }
        out.write(header.joined(separator: ",") + "\n")
        for run in runs {
            let used = run.transformerOptions ?? TransformerOptions()
            for layer in run.layers {
                var row = [ReportCSVFormatter.field(run.initializerName), String(layer.index), normalizationLabel(used),
                           ReportCSVFormatter.number(used.skip), ReportCSVFormatter.number(used.branchMultiplier)]
                for site in siteNames { row += ReportCSVFormatter.statisticFields(layer.site(site)?.stats) }
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
        let options = scenario.architecture.transformer ?? TransformerOptions()
        var head = "{\"scenario\":{"
        head += "\"activation\":\(J.string(scenario.activation.name)),\"depth\":\(scenario.depth),"
        head += "\"width\":\(scenario.width),\"batch\":\(scenario.batch),\"seed\":\(scenario.seed),"
        head += "\"biasStd\":\(J.number(scenario.biasStandardDeviation)),"
        head += "\"initializers\":[\(scenario.initializers.map { J.string($0.name) }.joined(separator: ","))],"
        head += "\"arch\":\"transformer\",\"norm\":\(J.string(options.normalization.rawValue)),"
        head += "\"normPosition\":" + (options.normalization == .none ? "null" : J.string(options.position.rawValue)) + ","
        head += "\"tokens\":\(options.tokens),\"heads\":\(options.heads),\"attentionScale\":\(J.string(options.attentionScale.rawValue)),"
        head += "\"causal\":\(options.causal)},\n\"runs\":[\n"
        out.write(head)
        for (number, run) in runs.enumerated() {
            if number > 0 { out.write(",\n") }
            let used = run.transformerOptions ?? options
            out.write("{\"initializer\":\(J.string(run.initializerName)),\"chi1\":null,\"depthScale\":null,")
            out.write("\"norm\":\(J.string(used.normalization.rawValue)),\"normPosition\":"
                + (used.normalization == .none ? "null" : J.string(used.position.rawValue)) + ",")
            out.write("\"skip\":\(J.number(used.skip)),\"branchMultiplier\":\(J.number(used.branchMultiplier)),\"layers\":[")
            for (index, layer) in run.layers.enumerated() {
                if index > 0 { out.write(",") }
                out.write(ResidualReportFormatter.block(layer, histograms: histograms))
            }
            out.write("]}")
        }
        out.write("\n]}\n")
    }
}
