// What the resnet's and the transformer's reports share (the contract in README.md): a run's heading in the
// table, the CSV columns of a block's sites, and the JSON scenario fields and runs with one object per block.
import SignalFlow

/// A run's normalization and residual multipliers as the block reports name them.
struct BlockRunOptions {
    /// "none", or position and kind such as "pre-layer", "post-batch".
    var label: String
    /// The normalization's raw value ("none", "layer", ...) and its position's (nil without normalization).
    var normalization: String, position: String?
    /// alpha (the skip) and beta (the branch multiplier).
    var skip: Double, branchMultiplier: Double

    /// A resnet's options.
    init(_ o: ResidualOptions) {
        self.init(normalization: o.normalization.rawValue, none: o.normalization == .none, position: o.position.rawValue,
                  skip: o.skip, branchMultiplier: o.branchMultiplier)
    }

    /// A transformer's options.
    init(_ o: TransformerOptions) {
        self.init(normalization: o.normalization.rawValue, none: o.normalization == .none, position: o.position.rawValue,
                  skip: o.skip, branchMultiplier: o.branchMultiplier)
    }

    private init(normalization: String, none: Bool, position: String, skip: Double, branchMultiplier: Double) {
        self.normalization = normalization
        self.position = none ? nil : position
        label = none ? "none" : "\(position)-\(normalization)"
        self.skip = skip; self.branchMultiplier = branchMultiplier
    }
}

/// The parts of the block-by-block reports (resnet, transformer) that do not depend on the architecture.
enum BlockReportFormatting {
    typealias J = ReportJSONFormatter

    // MARK: table

    /// A run's heading line: its initializer, normalization, alpha and beta, whether the scheme set them and the
    /// first block with a non-finite value.
    static func tableHeading(_ run: RunReport, _ used: BlockRunOptions, setByScheme: Bool) -> String {
        var heading = "\n[\(run.initializerName)]  norm \(used.label)  alpha \(ReportTableFormatter.short(used.skip))"
            + "  beta \(ReportTableFormatter.short(used.branchMultiplier))"
        if setByScheme { heading += " (set by the scheme)" }
        if let layer = run.firstNonFiniteLayer { heading += "  first non-finite value at block \(layer)" }
        return heading + "\n"
    }

    /// A statistic of `stats` (nil or no finite value: "-") in the table's short form.
    static func short(_ stats: SummaryStats?, _ pick: (SummaryStats) -> Double) -> String {
        ReportTableFormatter.short(ReportTableFormatter.moment(stats, pick))
    }

    /// `text` padded to `width` columns.
    static func pad(_ text: String, _ width: Int) -> String { ReportTableFormatter.pad(text, width) }

    // MARK: CSV

    /// The header, then one row per (run, block): its options, each site's statistics, with `theory` the
    /// stream's mean-field second moment, with `histograms` each site's histograms.
    static func writeCSV<Output: TextOutputStream>(runs: [RunReport], options: (RunReport) -> BlockRunOptions,
                                                   siteNames: [String], theory: Bool, histograms: Bool,
                                                   to out: inout Output) {
        var header = ["initializer", "block", "norm", "skip", "branchMultiplier"]
        for site in siteNames { header += ReportCSVFormatter.statisticNames.map { "\(site).\($0)" } }
        if theory { header.append("theory.streamSecondMoment") }
        if histograms {
            for site in siteNames {
                header += ["\(site).linear.lower", "\(site).linear.upper", "\(site).linear.counts",
                           "\(site).log10.lower", "\(site).log10.upper", "\(site).log10.counts"]
            }
        }
        out.write(header.joined(separator: ",") + "\n")
        for run in runs {
            let used = options(run)
            for layer in run.layers {
                var row = [ReportCSVFormatter.field(run.initializerName), String(layer.index), used.label,
                           ReportCSVFormatter.number(used.skip), ReportCSVFormatter.number(used.branchMultiplier)]
                for site in siteNames { row += ReportCSVFormatter.statisticFields(layer.site(site)?.stats) }
                if theory { row.append(layer.streamTheory.map(ReportCSVFormatter.number) ?? "") }
                if histograms {
                    for site in siteNames { row += ReportCSVFormatter.histogramFields(layer.site(site)) }
                }
                out.write(row.joined(separator: ",") + "\n")
            }
        }
    }

    // MARK: JSON

    /// The whole document: the scenario (its shared fields, arch, norm and normPosition from `options`, then
    /// `architectureFields`), then each run: initializer, `runFields(run)`, skip, branchMultiplier and its blocks.
    static func writeJSON<Output: TextOutputStream>(scenario: Scenario, options: BlockRunOptions, architectureFields: String,
                                                    runs: [RunReport], runFields: (RunReport) -> (String, BlockRunOptions),
                                                    histograms: Bool, to out: inout Output) {
        var head = "{\"scenario\":{" + J.scenarioFields(scenario) + ","
        head += "\"arch\":\(J.string(scenario.architecture.name)),\"norm\":\(J.string(options.normalization)),"
        head += "\"normPosition\":" + (options.position.map(J.string) ?? "null") + ","
        head += architectureFields + "},\n\"runs\":[\n"
        out.write(head)
        for (number, run) in runs.enumerated() {
            if number > 0 { out.write(",\n") }
            let (fields, used) = runFields(run)
            out.write("{\"initializer\":\(J.string(run.initializerName)),\(fields)")
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
