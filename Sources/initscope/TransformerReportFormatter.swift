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

    // MARK: table

    static func writeTable<Output: TextOutputStream>(scenario: Scenario, runs: [RunReport], to out: inout Output) {
        typealias F = BlockReportFormatting
        let options = scenario.architecture.transformer ?? TransformerOptions()
        let g = TransformerGeometry(sequences: scenario.batch, tokens: options.tokens, width: scenario.width, heads: options.heads)
        out.write("initscope report: transformer (attention + FFN \(scenario.activation.name)), "
            + "norm \(BlockRunOptions(options).label), \(scenario.depth) blocks, width \(scenario.width), \(options.heads) heads "
            + "(d_k \(g.headWidth)), \(scenario.batch) sequences of \(options.tokens) tokens, scale \(options.attentionScale.rawValue)"
            + (options.causal ? ", causal" : "") + ", seed \(scenario.seed)\n")
        out.write("q(x) = mean x^2 of the stream after the block; q(dx) = mean (dL/dx)^2; q(A), q(F) = mean square of the "
            + "attention and FFN branch outputs; H = mean entropy of the attention rows (ln T = \(ReportTableFormatter.short(g.tokens > 0 ? Foundation.log(Double(g.tokens)) : nil)) uniform), "
            + "max = mean largest weight\n")
        for run in runs {
            let used = run.transformerOptions ?? options
            out.write(F.tableHeading(run, BlockRunOptions(used), setByScheme: used != options))
            let header = F.pad("block", 6) + F.pad("q(x)", 11) + F.pad("var(x)", 11) + F.pad("q(dx)", 11) + F.pad("q(A)", 11)
                + F.pad("q(F)", 11) + F.pad("H", 9) + F.pad("max", 9) + F.pad("nonfinite", 10)
            out.write(header.trimmingTrailingSpaces() + "\n")
            for layer in run.layers {
                func second(_ site: String) -> String { F.short(layer.site(site)?.stats) { $0.secondMoment } }
                func mean(_ site: String) -> String { F.short(layer.site(site)?.stats) { $0.mean } }
                let x = layer.site(TransformerSite.stream)?.stats
                let row = F.pad(String(layer.index), 6) + F.pad(second(TransformerSite.stream), 11) + F.pad(F.short(x) { $0.variance }, 11)
                    + F.pad(second(TransformerSite.streamGradient), 11) + F.pad(second(TransformerSite.attentionOut), 11)
                    + F.pad(second(TransformerSite.ffnOut), 11) + F.pad(mean(TransformerSite.attentionEntropy), 9)
                    + F.pad(mean(TransformerSite.attentionLargest), 9) + F.pad(String(layer.nonFiniteCount), 10)
                out.write(row.trimmingTrailingSpaces() + "\n")
            }
        }
    }

    // MARK: CSV

    static func writeCSV<Output: TextOutputStream>(runs: [RunReport], histograms: Bool, to out: inout Output) {
        BlockReportFormatting.writeCSV(runs: runs, options: { BlockRunOptions($0.transformerOptions ?? TransformerOptions()) },
                                       siteNames: siteNames, theory: false, histograms: histograms, to: &out)
    }

    // MARK: JSON

    static func writeJSON<Output: TextOutputStream>(scenario: Scenario, runs: [RunReport], histograms: Bool,
                                                    to out: inout Output) {
        typealias J = ReportJSONFormatter
        let options = scenario.architecture.transformer ?? TransformerOptions()
        BlockReportFormatting.writeJSON(
            scenario: scenario, options: BlockRunOptions(options),
            architectureFields: "\"tokens\":\(options.tokens),\"heads\":\(options.heads),"
                + "\"attentionScale\":\(J.string(options.attentionScale.rawValue)),\"causal\":\(options.causal)",
            runs: runs,
            runFields: { run in
                let used = BlockRunOptions(run.transformerOptions ?? options)
                return ("\"chi1\":null,\"depthScale\":null,\"norm\":\(J.string(used.normalization)),\"normPosition\":"
                        + (used.position.map(J.string) ?? "null") + ",", used)
            }, histograms: histograms, to: &out)
    }
}
