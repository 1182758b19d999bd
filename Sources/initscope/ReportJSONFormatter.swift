// The JSON contract of `initscope report --format json` (documented in README.md).
// Non-finite numbers are written as null; their count is in each quantity's `nonFinite`.
import SignalFlow

/// Writes report runs as JSON with a fixed key order.
enum ReportJSONFormatter {
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
