// `initscope report --format csv`: one row per initializer and layer, one column per statistic.
import SignalFlow

/// Writes report runs as CSV (header row first; nan, inf, -inf for non-finite; empty when absent, and empty
/// moments, min and max for a quantity with no finite element), row by row into any text stream.
enum ReportCSVFormatter {
    static let statisticNames = ["mean", "variance", "secondMoment", "min", "max", "saturatedFraction", "zeroFraction", "nonFinite"]

    /// The whole table as one string (tests; the command streams with `write`).
    static func format(scenario: Scenario, runs: [RunReport], histograms: Bool) -> String {
        var out = ""
        write(scenario: scenario, runs: runs, histograms: histograms, to: &out)
        return out
    }

    /// Writes the header and one row per (initializer, layer), each ending in a newline.
    static func write<Output: TextOutputStream>(scenario: Scenario, runs: [RunReport], histograms: Bool,
                                                to out: inout Output) {
        out.write(header(histograms: histograms).joined(separator: ",") + "\n")
        for run in runs {
            for layer in run.layers { out.write(row(run: run, layer: layer, histograms: histograms).joined(separator: ",") + "\n") }
        }
    }

    /// The column names.
    static func header(histograms: Bool) -> [String] {
        var header = ["initializer", "layer"]
        for quantity in Quantity.allCases { header += statisticNames.map { "\(quantity.rawValue).\($0)" } }
        header += ["theory.preactivationSecondMoment", "theory.gradientSecondMoment", "lsuv.rescalings", "lsuv.converged", "lsuv.degenerate"]
        if histograms {
            for quantity in Quantity.allCases {
                header += ["\(quantity.rawValue).linear.lower", "\(quantity.rawValue).linear.upper", "\(quantity.rawValue).linear.counts",
                           "\(quantity.rawValue).log10.lower", "\(quantity.rawValue).log10.upper", "\(quantity.rawValue).log10.counts"]
            }
        }
        return header
    }

    /// The fields of one (initializer, layer) row.
    static func row(run: RunReport, layer: LayerReport, histograms: Bool) -> [String] {
        var row = [field(run.initializerName), String(layer.index)]
        for quantity in Quantity.allCases {
            row += statisticFields(layer.stats(quantity))
        }
        row.append(layer.theory.map { number($0.preactivationSecondMoment) } ?? "")
        row.append(layer.theory?.gradientSecondMoment.map(number) ?? "")
        row += layer.lsuv.map { [String($0.rescalings), String($0.converged), String($0.degenerate)] } ?? ["", "", ""]
        if histograms {
            for quantity in Quantity.allCases { row += histogramFields(layer.quantities[quantity]) }
        }
        return row
    }

    /// The `statisticNames` fields of one measured quantity; empty fields when it was not measured, and no moments,
    /// min or max when no element is finite (not 0 and +-inf, the empty set's placeholders).
    static func statisticFields(_ s: SummaryStats?) -> [String] {
        guard let s else { return Array(repeating: "", count: statisticNames.count) }
        let moments = [s.mean, s.variance, s.secondMoment, s.min, s.max]
        return (s.hasFiniteValues ? moments.map(number) : Array(repeating: "", count: moments.count))
            + [number(s.saturatedFraction), number(s.zeroFraction), String(s.nonFiniteCount)]
    }

    /// The six histogram fields of one quantity (linear lower, upper, counts; log lower, upper, counts); empty
    /// fields when it has no histograms.
    static func histogramFields(_ q: QuantityReport?) -> [String] {
        guard let q, let linear = q.linear, let logMagnitude = q.logMagnitude else { return Array(repeating: "", count: 6) }
        return [number(linear.lower), number(linear.upper), counts(linear),
                number(logMagnitude.lower), number(logMagnitude.upper), counts(logMagnitude)]
    }

    /// Bin counts joined with spaces (one CSV field).
    static func counts(_ h: Histogram) -> String { h.binCounts.map(String.init).joined(separator: " ") }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return "\(value)"
    }

    /// Quotes a field when it holds a comma or a quote.
    static func field(_ text: String) -> String {
        guard text.contains(",") || text.contains("\"") else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
