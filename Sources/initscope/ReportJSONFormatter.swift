// The JSON contract of `initscope report --format json` (documented in README.md).
// Non-finite numbers are written as null; their count is in each quantity's `nonFinite`. A quantity with no
// finite element has no moments: mean, variance, secondMoment, min and max are null.
import SignalFlow
import Terminal

/// Writes report runs as JSON with a fixed key order, layer by layer into any text stream.
enum ReportJSONFormatter {
    /// The whole document as one string (tests; the command streams with `write`).
    static func format(scenario: Scenario, runs: [RunReport], histograms: Bool) -> String {
        var out = ""
        write(scenario: scenario, runs: runs, histograms: histograms, to: &out)
        return out
    }

    /// Writes the document, one line per run object, ending in a newline; each layer's text is formed and
    /// written on its own, so memory holds one layer's text at a time.
    static func write<Output: TextOutputStream>(scenario: Scenario, runs: [RunReport], histograms: Bool,
                                                jacobians: [JacobianSpectrum]? = nil, to out: inout Output) {
        out.write(header(scenario))
        for (number, run) in runs.enumerated() {
            if number > 0 { out.write(",\n") }
            out.write("{\"initializer\":\(string(run.initializerName)),\"chi1\":\(optional(run.chi1)),")
            out.write("\"depthScale\":\(optional(run.depthScale)),\"layers\":[")
            for (index, layer) in run.layers.enumerated() {
                if index > 0 { out.write(",") }
                out.write(self.layer(layer, histograms: histograms))
            }
            out.write("]")
            if let jacobians, number < jacobians.count { out.write(",\"jacobian\":" + jacobian(jacobians[number])) }
            out.write("}")
        }
        out.write("\n]}\n")
    }

    /// The scenario object and the opening of the runs array.
    static func header(_ scenario: Scenario) -> String {
        "{\"scenario\":{" + scenarioFields(scenario) + "},\n\"runs\":[\n"
    }

    /// The scenario fields every architecture writes, activation to initializers (no braces, no trailing comma).
    static func scenarioFields(_ scenario: Scenario) -> String {
        var out = "\"activation\":\(string(scenario.activation.name)),\"depth\":\(scenario.depth),"
        out += "\"width\":\(scenario.width),\"batch\":\(scenario.batch),\"seed\":\(scenario.seed),"
        out += "\"biasStd\":\(number(scenario.biasStandardDeviation)),"
        out += "\"initializers\":[\(scenario.initializers.map { string($0.name) }.joined(separator: ","))]"
        return out
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
        // No finite element: no moments (the summary's 0 and +-infinity are placeholders of the empty set).
        func moment(_ value: Double) -> String { s.hasFiniteValues ? number(value) : "null" }
        var out = "{\"mean\":\(moment(s.mean)),\"variance\":\(moment(s.variance)),\"secondMoment\":\(moment(s.secondMoment)),"
        out += "\"min\":\(moment(s.min)),\"max\":\(moment(s.max)),\"saturatedFraction\":\(number(s.saturatedFraction)),"
        out += "\"zeroFraction\":\(number(s.zeroFraction)),\"nonFinite\":\(s.nonFiniteCount)"
        if histograms, let linear = report.linear, let logMagnitude = report.logMagnitude {
            out += ",\"histogram\":{\"linear\":\(histogram(linear)),\"log10Magnitude\":\(histogram(logMagnitude))}"
        }
        return out + "}"
    }

    /// One run's Jacobian spectrum (`report --jacobian`): the method, moments per layer, then (SVD) the last
    /// layer's singular values, or (probes) each moment's standard error and no singular values.
    static func jacobian(_ spectrum: JacobianSpectrum) -> String {
        guard case .probes(let count) = spectrum.method else {
            let layers = spectrum.layers.map {
                "{\"layer\":\($0.layer),\"log10MeanSquaredSingularValue\":\(number($0.log10MeanSquaredSingularValue)),"
                    + "\"normalizedSpread\":\(number($0.normalizedSpread))}"
            }
            return "{\"method\":\"svd\",\"input\":0,\"layers\":[\(layers.joined(separator: ","))],\"singularValueLayer\":\(spectrum.singularValueLayer),"
                + "\"log10SingularValues\":[\(spectrum.log10SingularValues.map(number).joined(separator: ","))],"
                + "\"log10ResolutionFloor\":\(number(spectrum.log10ResolutionFloor)),\"unresolved\":\(spectrum.unresolvedCount)}"
        }
        let layers = spectrum.layers.map {
            "{\"layer\":\($0.layer),\"log10MeanSquaredSingularValue\":\(number($0.log10MeanSquaredSingularValue)),"
                + "\"meanRelativeStandardError\":\(optional($0.meanRelativeStandardError)),"
                + "\"normalizedSpread\":\(number($0.normalizedSpread)),\"normalizedSpreadStandardError\":\(optional($0.spreadStandardError))}"
        }
        return "{\"method\":\"probes\",\"probes\":\(count),\"input\":0,\"layers\":[\(layers.joined(separator: ","))]}"
    }

    static func histogram(_ h: Histogram) -> String {
        "{\"lower\":\(number(h.lower)),\"upper\":\(number(h.upper)),\"counts\":[\(h.binCounts.map(String.init).joined(separator: ","))],"
            + "\"underflow\":\(h.underflow),\"overflow\":\(h.overflow),\"nonFinite\":\(h.nonFinite),\"zeros\":\(h.zeroCount)}"
    }

    /// A finite Double in shortest round-trip form, or null.
    static func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }

    static func optional(_ value: Double?) -> String { value.map(number) ?? "null" }

    /// A JSON string literal with escapes (one escaper for every JSON the program writes: the recordings').
    static func string(_ text: String) -> String { AsciicastEncoder.jsonString(text) }
}
