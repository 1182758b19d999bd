// `initscope report` default output: a readable fixed-width table per initializer.
import Foundation
import SignalFlow

/// Writes report runs as a human-readable table.
enum ReportTableFormatter {
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

extension String {
    /// The string without trailing spaces.
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
