// `initscope report --format csv`: one row per initializer and layer, one column per statistic.
import SignalFlow

/// Writes report runs as CSV (header row first; nan, inf, -inf for non-finite; empty when absent).
enum ReportCSVFormatter {
    static let statisticNames = ["mean", "variance", "secondMoment", "min", "max", "saturatedFraction", "zeroFraction", "nonFinite"]

    /// The header and one row per (initializer, layer).
    static func format(scenario: Scenario, runs: [RunReport], histograms: Bool) -> String {
        var header = ["initializer", "layer"]
        for quantity in Quantity.allCases { header += statisticNames.map { "\(quantity.rawValue).\($0)" } }
        header += ["theory.preactivationSecondMoment", "theory.gradientSecondMoment", "lsuv.rescalings", "lsuv.converged", "lsuv.degenerate"]
        if histograms {
            for quantity in Quantity.allCases {
                header += ["\(quantity.rawValue).linear.lower", "\(quantity.rawValue).linear.upper", "\(quantity.rawValue).linear.counts",
                           "\(quantity.rawValue).log10.lower", "\(quantity.rawValue).log10.upper", "\(quantity.rawValue).log10.counts"]
            }
        }
        var lines = [header.joined(separator: ",")]
        for run in runs {
            for layer in run.layers {
                var row = [field(run.initializerName), String(layer.index)]
                for quantity in Quantity.allCases {
                    if let s = layer.stats(quantity) {
                        row += [s.mean, s.variance, s.secondMoment, s.min, s.max, s.saturatedFraction, s.zeroFraction].map(number)
                        row.append(String(s.nonFiniteCount))
                    } else {
                        row += Array(repeating: "", count: statisticNames.count)
                    }
                }
                row.append(layer.theory.map { number($0.preactivationSecondMoment) } ?? "")
                row.append(layer.theory?.gradientSecondMoment.map(number) ?? "")
                row += layer.lsuv.map { [String($0.rescalings), String($0.converged), String($0.degenerate)] } ?? ["", "", ""]
                if histograms {
                    for quantity in Quantity.allCases {
                        if let q = layer.quantities[quantity], let linear = q.linear, let logMagnitude = q.logMagnitude {
                            row += [number(linear.lower), number(linear.upper), counts(linear),
                                    number(logMagnitude.lower), number(logMagnitude.upper), counts(logMagnitude)]
                        } else {
                            row += Array(repeating: "", count: 6)
                        }
                    }
                }
                lines.append(row.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
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
