// `initscope report --phase-diagram`: the mean-field order-chaos diagram as a table, CSV or JSON (README.md documents
// the JSON contract). Legend: sigma_w^2 = fan_in Var(W) (columns), sigma_b^2 = bias variance (rows); xi = xi_c in layers.
import Foundation
import SignalFlow

/// Writes a phase diagram, its chi_1 = 1 boundary and the scenario's points.
enum PhaseDiagramFormatter {
    /// One initializer's point: its name as given and where it sits.
    typealias NamedPoint = (name: String, point: PhasePoint)

    /// The whole document as one string (tests).
    static func format(_ diagram: PhaseDiagram, points: [NamedPoint], scenario: Scenario, format: ReportFormat) -> String {
        var out = ""
        write(diagram, points: points, scenario: scenario, format: format, to: &out)
        return out
    }

    /// Writes the document in `format`.
    static func write<Output: TextOutputStream>(_ diagram: PhaseDiagram, points: [NamedPoint], scenario: Scenario,
                                                format: ReportFormat, to out: inout Output) {
        switch format {
        case .table: table(diagram, points: points, scenario: scenario, to: &out)
        case .csv: csv(diagram, points: points, to: &out)
        case .json: json(diagram, points: points, scenario: scenario, to: &out)
        }
    }

    /// True when the point lies inside the diagram's sigma_w^2 x sigma_b^2 rectangle.
    static func onMap(_ point: PhasePoint, _ diagram: PhaseDiagram) -> Bool {
        (diagram.weightAxis.lower...diagram.weightAxis.upper).contains(point.weightVariance)
            && (diagram.biasAxis.lower...diagram.biasAxis.upper).contains(point.biasVariance)
    }

    // MARK: table

    static func table<Output: TextOutputStream>(_ diagram: PhaseDiagram, points: [NamedPoint], scenario: Scenario, to out: inout Output) {
        let w = diagram.weightAxis, b = diagram.biasAxis
        out.write("initscope report --phase-diagram: \(diagram.activation.name), sigma_w^2 \(short(w.lower))..\(short(w.upper)) "
                  + "(\(w.count) values), sigma_b^2 \(short(b.lower))..\(short(b.upper)) (\(b.count) values), width \(scenario.width)\n")
        out.write("chi1 = sigma_w^2 E[phi'(sqrt(q*) z)^2]; xi = correlation depth scale xi_c in layers (reference 3.3): "
                  + "inf where it diverges (chi1 = 1), unb where q grows without bound (no fixed point q*)\n")
        out.write("\npoints (sigma_w^2 = fan_in Var(W); orthogonal: gain^2; lsuv: its calibrated layers' (1 - sigma_b^2)/E[phi(z)^2])\n")
        out.write(pad("initializer", 16) + pad("sigma_w^2", 11) + pad("sigma_b^2", 11) + pad("chi1", 11) + pad("phase", 10)
                  + pad("xi", 9) + "on map\n")
        for (name, p) in points {
            out.write((pad(name, 16) + pad(short(p.weightVariance), 11) + pad(short(p.biasVariance), 11) + pad(short(p.chi1), 11)
                       + pad(p.phase.rawValue, 10) + pad(xiText(p.depthScale), 9) + (onMap(p, diagram) ? "yes" : "no")) + "\n")
        }
        out.write("\nchi1 = 1 boundary\n" + pad("sigma_b^2", 11) + pad("sigma_w^2", 11) + "q*\n")
        for point in diagram.boundary {
            out.write((pad(short(point.biasVariance), 11) + pad(point.weightVariance.map(short) ?? "none in range", 11)
                       + (point.weightVariance == nil ? "" : point.fixedPoint.map(short) ?? "unbounded")).trimmingTrailingSpaces() + "\n")
        }
        out.write("\nxi (rows sigma_b^2, columns sigma_w^2)\n")
        grid(diagram, to: &out) { xiText($0.depthScale) }
        out.write("\nphase (o ordered, = critical |chi1 - 1| <= 1e-3, c chaotic)\n")
        grid(diagram, to: &out) { $0.phase == .ordered ? "o" : $0.phase == .critical ? "=" : "c" }
    }

    /// A rows x columns grid with axis labels, each cell `text` of its point.
    static func grid<Output: TextOutputStream>(_ diagram: PhaseDiagram, to out: inout Output, _ text: (PhasePoint) -> String) {
        var header = pad("", 9)
        for value in diagram.weightAxis.values { header += pad(short(value), 7) }
        out.write(header.trimmingTrailingSpaces() + "\n")
        for (j, sigmaB2) in diagram.biasAxis.values.enumerated() {
            var line = pad(short(sigmaB2), 9)
            for i in 0..<diagram.weightAxis.count { line += pad(text(diagram.cell(column: i, row: j)), 7) }
            out.write(line.trimmingTrailingSpaces() + "\n")
        }
    }

    /// xi in 4 significant digits, "inf" when it diverges, "unb" when q is unbounded.
    static func xiText(_ xi: CorrelationDepthScale) -> String {
        switch xi {
        case .finite(let x): return short(x)
        case .infinite: return "inf"
        case .unbounded: return "unb"
        }
    }

    static func short(_ value: Double) -> String { ReportTableFormatter.short(value) }
    static func pad(_ text: String, _ width: Int) -> String { ReportTableFormatter.pad(text, width) }

    // MARK: CSV

    /// Header, then one `cell` row per grid point, one `boundary` row per sigma_b^2, one `point` row per initializer.
    static func csv<Output: TextOutputStream>(_ diagram: PhaseDiagram, points: [NamedPoint], to out: inout Output) {
        out.write("record,initializer,sigmaW2,sigmaB2,chi1,phase,qStar,cStar,xi,xiKind,onMap\n")
        func n(_ value: Double?) -> String { value.map(ReportCSVFormatter.number) ?? "" }
        func xi(_ p: PhasePoint) -> String { p.depthScale == .infinite ? "inf" : n(p.depthScale.value) }
        for p in diagram.cells {
            out.write(["cell", "", n(p.weightVariance), n(p.biasVariance), n(p.chi1), p.phase.rawValue, n(p.fixedPoint),
                       n(p.correlationFixedPoint), xi(p), p.depthScale.kind, ""].joined(separator: ",") + "\n")
        }
        for point in diagram.boundary {
            out.write(["boundary", "", n(point.weightVariance), n(point.biasVariance), point.weightVariance == nil ? "" : "1",
                       point.weightVariance == nil ? "" : "critical", n(point.fixedPoint), "", "", "", ""].joined(separator: ",") + "\n")
        }
        for (name, p) in points {
            out.write(["point", ReportCSVFormatter.field(name), n(p.weightVariance), n(p.biasVariance), n(p.chi1), p.phase.rawValue,
                       n(p.fixedPoint), n(p.correlationFixedPoint), xi(p), p.depthScale.kind, String(onMap(p, diagram))]
                .joined(separator: ",") + "\n")
        }
    }

    // MARK: JSON

    static func json<Output: TextOutputStream>(_ diagram: PhaseDiagram, points: [NamedPoint], scenario: Scenario, to out: inout Output) {
        func n(_ value: Double?) -> String { ReportJSONFormatter.optional(value) }
        func axis(_ a: PhaseAxis) -> String { "{\"lower\":\(n(a.lower)),\"upper\":\(n(a.upper)),\"count\":\(a.count)}" }
        func fields(_ p: PhasePoint) -> String {
            "\"sigmaW2\":\(n(p.weightVariance)),\"sigmaB2\":\(n(p.biasVariance)),\"chi1\":\(n(p.chi1)),\"phase\":\"\(p.phase.rawValue)\","
                + "\"qStar\":\(n(p.fixedPoint)),\"cStar\":\(n(p.correlationFixedPoint)),\"xi\":\(n(p.depthScale.value)),"
                + "\"xiKind\":\"\(p.depthScale.kind)\""
        }
        out.write("{\"scenario\":{\"activation\":\(ReportJSONFormatter.string(scenario.activation.name)),\"width\":\(scenario.width),"
                  + "\"biasStd\":\(n(scenario.biasStandardDeviation)),"
                  + "\"initializers\":[\(scenario.initializers.map { ReportJSONFormatter.string($0.name) }.joined(separator: ","))]},\n")
        out.write("\"phaseDiagram\":{\"activation\":\(ReportJSONFormatter.string(diagram.activation.name)),"
                  + "\"sigmaW2\":\(axis(diagram.weightAxis)),\"sigmaB2\":\(axis(diagram.biasAxis)),\n\"cells\":[\n")
        for (k, p) in diagram.cells.enumerated() {
            out.write((k > 0 ? ",\n" : "") + "{" + fields(p) + "}")
        }
        out.write("],\n\"boundary\":[")
        out.write(diagram.boundary.map {
            "{\"sigmaB2\":\(n($0.biasVariance)),\"sigmaW2\":\(n($0.weightVariance)),\"qStar\":\(n($0.fixedPoint))}"
        }.joined(separator: ",\n"))
        out.write("],\n\"points\":[")
        out.write(points.map { name, p in
            "{\"initializer\":\(ReportJSONFormatter.string(name))," + fields(p) + ",\"onMap\":\(onMap(p, diagram))}"
        }.joined(separator: ",\n"))
        out.write("]}}\n")
    }
}
