// `initscope report` default output: a readable fixed-width table per initializer.
import Foundation
import SignalFlow

/// Writes report runs as a human-readable table.
enum ReportTableFormatter {
    /// The whole table as one string (tests; the command streams with `write`).
    static func format(scenario: Scenario, runs: [RunReport]) -> String {
        var out = ""
        write(scenario: scenario, runs: runs, to: &out)
        return out
    }

    /// One block per initializer: a heading with chi_1, then one row per layer, each written on its own.
    static func write<Output: TextOutputStream>(scenario: Scenario, runs: [RunReport], to out: inout Output) {
        out.write("initscope report: \(scenario.activation.name), depth \(scenario.depth), width \(scenario.width), "
            + "batch \(scenario.batch), seed \(scenario.seed), bias std \(scenario.biasStandardDeviation)\n")
        out.write("q(h) = mean h^2 measured, q MF = mean-field prediction; var(dh) = variance of dL/dh; g MF = predicted E[(dL/dh)^2]\n")
        for run in runs {
            var heading = "\n[\(run.initializerName)]  chi1 \(short(run.chi1))  depth scale \(short(run.depthScale))"
            if let layer = run.firstNonFiniteLayer { heading += "  first non-finite value at layer \(layer)" }
            out.write(heading + "\n")
            let hasLSUV = run.layers.contains { $0.lsuv != nil }
            var header = pad("layer", 6) + pad("q(h)", 11) + pad("q MF", 11) + pad("var(x)", 11) + pad("var(dh)", 11)
                + pad("g MF", 11) + pad("sat%", 7) + pad("dead%", 7) + pad("nonfinite", 10)
            if hasLSUV { header += "lsuv" }
            out.write(header.trimmingTrailingSpaces() + "\n")
            for layer in run.layers {
                let h = layer.stats(.preactivation), x = layer.stats(.activation), g = layer.stats(.activationGradient)
                let nonFinite = layer.nonFiniteCount
                var row = pad(String(layer.index), 6) + pad(short(moment(h) { $0.secondMoment }), 11)
                    + pad(short(layer.theory?.preactivationSecondMoment), 11) + pad(short(moment(x) { $0.variance }), 11)
                    + pad(short(moment(g) { $0.variance }), 11) + pad(short(layer.theory?.gradientSecondMoment), 11)
                    + pad(percent(x?.saturatedFraction), 7) + pad(percent(x?.zeroFraction), 7) + pad(String(nonFinite), 10)
                if let trace = layer.lsuv {
                    row += "\(trace.rescalings)" + (trace.degenerate ? " degenerate" : trace.converged ? "" : " not converged")
                }
                out.write(row.trimmingTrailingSpaces() + "\n")
            }
        }
    }

    /// A moment of `stats`; nil ("-") when the quantity is absent or has no finite element (no moments).
    static func moment(_ stats: SummaryStats?, _ pick: (SummaryStats) -> Double) -> Double? {
        guard let stats, stats.hasFiniteValues else { return nil }
        return pick(stats)
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
