// The report formatters as they were before streaming (commit a805c85), kept as the reference the streamed
// output must equal byte for byte. Only the type names differ; do not edit their bodies.
import Foundation
import SignalFlow
@testable import initscope


/// Writes report runs as JSON with a fixed key order.
enum LegacyReportJSONFormatter {
    /// The whole document, one line per run object, ending in a newline.
    static func format(scenario: Scenario, runs: [RunReport], histograms: Bool) -> String {
        var out = "{\"scenario\":{"
        out += "\"activation\":\(string(scenario.activation.name)),\"depth\":\(scenario.depth),"
        out += "\"width\":\(scenario.width),\"batch\":\(scenario.batch),\"seed\":\(scenario.seed),"
        out += "\"biasStd\":\(number(scenario.biasStandardDeviation)),"
        out += "\"initializers\":[\(scenario.initializers.map { string($0.name) }.joined(separator: ","))]},\n\"runs\":[\n"
        out += runs.map { run(scenario: scenario, $0, histograms: histograms) }.joined(separator: ",\n")
        out += "\n]}\n"
        return out
    }

    static func run(scenario: Scenario, _ run: RunReport, histograms: Bool) -> String {
        var out = "{\"initializer\":\(string(run.initializerName)),\"chi1\":\(optional(run.chi1)),"
        out += "\"depthScale\":\(optional(run.depthScale)),\"layers\":["
        out += run.layers.map { layer($0, histograms: histograms) }.joined(separator: ",")
        return out + "]}"
    }

    static func layer(_ layer: LayerReport, histograms: Bool) -> String {
        var fields = ["\"index\":\(layer.index)"]
        for quantity in Quantity.allCases {
            fields.append("\"\(quantity.rawValue)\":" + (layer.quantities[quantity].map { self.quantity($0, histograms: histograms) } ?? "null"))
        }
        if let theory = layer.theory {
            fields.append("\"theory\":{\"preactivationSecondMoment\":\(number(theory.preactivationSecondMoment)),"
                          + "\"gradientSecondMoment\":\(optional(theory.gradientSecondMoment))}")
        } else {
            fields.append("\"theory\":null")
        }
        if let trace = layer.lsuv {
            fields.append("\"lsuv\":{\"rescalings\":\(trace.rescalings),\"converged\":\(trace.converged),"
                          + "\"degenerate\":\(trace.degenerate),\"varianceAfterIteration\":["
                          + trace.varianceAfterIteration.map(number).joined(separator: ",") + "]}")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func quantity(_ report: QuantityReport, histograms: Bool) -> String {
        let s = report.stats
        var out = "{\"mean\":\(number(s.mean)),\"variance\":\(number(s.variance)),\"secondMoment\":\(number(s.secondMoment)),"
        out += "\"min\":\(number(s.min)),\"max\":\(number(s.max)),\"saturatedFraction\":\(number(s.saturatedFraction)),"
        out += "\"zeroFraction\":\(number(s.zeroFraction)),\"nonFinite\":\(s.nonFiniteCount)"
        if histograms, let linear = report.linear, let logMagnitude = report.logMagnitude {
            out += ",\"histogram\":{\"linear\":\(histogram(linear)),\"log10Magnitude\":\(histogram(logMagnitude))}"
        }
        return out + "}"
    }

    static func histogram(_ h: Histogram) -> String {
        "{\"lower\":\(number(h.lower)),\"upper\":\(number(h.upper)),\"counts\":[\(h.binCounts.map(String.init).joined(separator: ","))],"
            + "\"underflow\":\(h.underflow),\"overflow\":\(h.overflow),\"nonFinite\":\(h.nonFinite),\"zeros\":\(h.zeroCount)}"
    }

    /// A finite Double in shortest round-trip form, or null.
    static func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }

    static func optional(_ value: Double?) -> String { value.map(number) ?? "null" }

    /// A JSON string literal with escapes.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

/// Writes report runs as CSV (header row first; nan, inf, -inf for non-finite; empty when absent).
enum LegacyReportCSVFormatter {
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

/// Writes report runs as a human-readable table.
enum LegacyReportTableFormatter {
    /// One block per initializer: a heading with chi_1, then one row per layer.
    static func format(scenario: Scenario, runs: [RunReport]) -> String {
        var out = "initscope report: \(scenario.activation.name), depth \(scenario.depth), width \(scenario.width), "
            + "batch \(scenario.batch), seed \(scenario.seed), bias std \(scenario.biasStandardDeviation)\n"
        out += "q(h) = mean h^2 measured, q MF = mean-field prediction; var(dh) = variance of dL/dh; g MF = predicted E[(dL/dh)^2]\n"
        for run in runs {
            out += "\n[\(run.initializerName)]  chi1 \(short(run.chi1))  depth scale \(short(run.depthScale))"
            if let layer = run.firstNonFiniteLayer { out += "  first non-finite value at layer \(layer)" }
            out += "\n"
            let hasLSUV = run.layers.contains { $0.lsuv != nil }
            var header = pad("layer", 6) + pad("q(h)", 11) + pad("q MF", 11) + pad("var(x)", 11) + pad("var(dh)", 11)
                + pad("g MF", 11) + pad("sat%", 7) + pad("dead%", 7) + pad("nonfinite", 10)
            if hasLSUV { header += "lsuv" }
            out += header.trimmingTrailingSpaces() + "\n"
            for layer in run.layers {
                let h = layer.stats(.preactivation), x = layer.stats(.activation), g = layer.stats(.activationGradient)
                let nonFinite = layer.nonFiniteCount
                var row = pad(String(layer.index), 6) + pad(short(h?.secondMoment), 11)
                    + pad(short(layer.theory?.preactivationSecondMoment), 11) + pad(short(x?.variance), 11)
                    + pad(short(g?.variance), 11) + pad(short(layer.theory?.gradientSecondMoment), 11)
                    + pad(percent(x?.saturatedFraction), 7) + pad(percent(x?.zeroFraction), 7) + pad(String(nonFinite), 10)
                if let trace = layer.lsuv {
                    row += "\(trace.rescalings)" + (trace.degenerate ? " degenerate" : trace.converged ? "" : " not converged")
                }
                out += row.trimmingTrailingSpaces() + "\n"
            }
        }
        return out
    }

    /// 4 significant digits, "-" when absent, "nan"/"inf" when not finite.
    static func short(_ value: Double?) -> String {
        guard let value else { return "-" }
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return String(format: "%.4g", value)
    }

    static func percent(_ fraction: Double?) -> String {
        guard let fraction, fraction.isFinite else { return "-" }
        return String(format: "%.1f", fraction * 100)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
