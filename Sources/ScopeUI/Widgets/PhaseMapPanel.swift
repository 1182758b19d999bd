// The order-chaos map (reference 3.3): xi_c over sigma_w^2 (columns) x sigma_b^2 (rows, high at the top) on the
// theme's ramp, glyph and colour both carrying the value; the chi_1 = 1 curve drawn across it; the focused row's
// point marked, or an arrow at the edge with its value when it falls off the map; a caption from the numbers.
// Legend: map cell (c, r) -> sigma_w^2 = lower + span c/(W-1), sigma_b^2 = upper - span r/(H-1); nearest grid point.
import Foundation
import SignalFlow
import Terminal

/// The phase-map panel.
public struct PhaseMapPanel {
    /// The diagram, nil while it computes.
    public var diagram: PhaseDiagram?
    /// The activation shown (the diagram may still be another's while the new one computes).
    public var activation: Activation
    /// The focused row's name and point, nil when there is no row (or no layer).
    public var point: (name: String, point: PhasePoint)?
    /// Width of the sigma_b^2 label column.
    static let labelWidth = 5
    /// xi at the top of the ramp (log scale from 1 layer): 1000 layers and beyond, the diverging line included.
    static let topDepthScale = 1000.0

    /// Creates the panel.
    public init(diagram: PhaseDiagram?, activation: Activation, point: (name: String, point: PhasePoint)?) {
        self.diagram = diagram; self.activation = activation; self.point = point
    }

    /// 0...1 on the ramp for a depth scale: log10(1 + xi) / log10(1 + 1000), infinite = 1; nil when unbounded.
    public static func rampFraction(_ xi: CorrelationDepthScale) -> Double? {
        switch xi {
        case .finite(let value): return min(1, max(0, log10(1 + max(0, value)) / log10(1 + topDepthScale)))
        case .infinite: return 1
        case .unbounded: return nil
        }
    }

    /// "on the edge of chaos", "ordered", "chaotic".
    static func phaseWords(_ phase: MeanFieldPhase) -> String {
        switch phase {
        case .critical: return "on the edge of chaos"
        case .ordered: return "ordered, gradients vanish"
        case .chaotic: return "chaotic, gradients explode"
        }
    }

    /// A number for the caption: 2 decimals below 100, else 3 significant digits.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : value > 0 ? "inf" : "-inf" }
        return abs(value) < 100 ? String(format: "%.2f", value) : Caption.format(value, digits: 3)
    }

    /// The caption: "tanh, xavier: sigma_w^2 = 1.00, sigma_b^2 = 0.00, chi_1 = 1.00: on the edge of chaos; xi = inf".
    public var caption: String {
        guard let point else { return "\(activation.displayName): placing the focused row..." }
        let name = point.name, p = point.point
        var text = "\(activation.displayName), \(name): sigma_w^2 = \(PhaseMapPanel.number(p.weightVariance))"
        if p.biasVariance > 0 { text += ", sigma_b^2 = \(PhaseMapPanel.number(p.biasVariance))" }
        text += ", chi_1 = \(PhaseMapPanel.number(p.chi1)): \(PhaseMapPanel.phaseWords(p.phase))"
        switch p.depthScale {
        case .finite(let xi): text += "; xi = \(PhaseMapPanel.number(xi)) layers"
        case .infinite: text += "; xi diverges"
        case .unbounded: text += "; q grows without bound"
        }
        return text + "."
    }

    /// Draws title, legend, map with axes, and the caption (wrapped to two lines) into `rect`.
    public func draw(into canvas: inout Canvas, rect: Rect, glyphs: GlyphSet, theme: Theme) {
        guard !rect.isEmpty else { return }
        let muted = theme.style(.mutedText), ascii = glyphs.name == "ascii"
        let titles = ["phase map: \(activation.displayName), depth scale xi by sigma_w^2 (across) x sigma_b^2 (up)",
                      "phase map: \(activation.displayName), xi by sigma_w^2 x sigma_b^2", "phase map"]
        canvas.write(titles.first { $0.count <= rect.width } ?? titles[2], x: rect.x, y: rect.y, style: theme.style(.accent), clip: rect)
        let captionLines = rect.height >= 9 ? Self.wrap(caption, width: rect.width, lines: 2) : []
        for (offset, line) in captionLines.enumerated() {
            canvas.write(line, x: rect.x, y: rect.maxY - captionLines.count + offset, style: theme.style(.text), clip: rect)
        }
        guard let diagram, diagram.activation == activation else {
            canvas.write("computing the mean-field map of \(activation.displayName)...", x: rect.x, y: rect.y + rect.height / 2,
                         style: muted, clip: rect)
            return
        }
        let unboundedGlyph = glyphs.states[2]
        let curveGlyph = glyphs.vertical, pointGlyph: Character = ascii ? "@" : "◆"
        let legends = ["xi: " + legendSamples(theme: theme, ascii: ascii) + " (log, 1..1000+ layers)  \(curveGlyph) chi_1 = 1  "
                       + "\(unboundedGlyph) q unbounded  \(pointGlyph) \(point?.name ?? "row")",
                       "xi: " + legendSamples(theme: theme, ascii: ascii) + "  \(curveGlyph) chi_1=1  \(unboundedGlyph) unbounded  \(pointGlyph) row"]
        canvas.write(legends.first { $0.count <= rect.width } ?? legends[1], x: rect.x, y: rect.y + 1, style: muted, clip: rect)
        let top = rect.y + 2, axisY = rect.maxY - captionLines.count - 1
        let map = Rect(x: rect.x + Self.labelWidth, y: top, width: rect.width - Self.labelWidth, height: axisY - top)
        guard map.width >= 8, map.height >= 2 else { return }
        let w = diagram.weightAxis, b = diagram.biasAxis
        func sigmaW2(_ c: Int) -> Double { w.lower + (w.upper - w.lower) * Double(c) / Double(map.width - 1) }
        func sigmaB2(_ r: Int) -> Double { b.upper - (b.upper - b.lower) * Double(r) / Double(map.height - 1) }
        func nearest(_ value: Double, _ axis: PhaseAxis) -> Int {
            let position = ((value - axis.lower) / (axis.upper - axis.lower) * Double(axis.count - 1)).rounded()
            return Int(min(Double(axis.count - 1), max(0, position)))
        }
        for r in 0..<map.height {
            let j = nearest(sigmaB2(r), b)
            for c in 0..<map.width {
                let cell = diagram.cell(column: nearest(sigmaW2(c), w), row: j)
                if let fraction = Self.rampFraction(cell.depthScale) {
                    let style = Style(foreground: theme.rampColor(fraction: fraction), background: theme.background)
                    canvas.set(x: map.x + c, y: map.y + r, Cell(theme.rampGlyph(fraction: max(0.2, fraction), ascii: ascii), style: style))
                } else {
                    canvas.set(x: map.x + c, y: map.y + r, Cell(unboundedGlyph, style: theme.style(.exploding)))
                }
            }
            // The chi_1 = 1 curve, interpolated between the boundary's rows.
            if let critical = boundary(at: sigmaB2(r), diagram) {
                let position = (critical - w.lower) / (w.upper - w.lower) * Double(map.width - 1)
                if position.isFinite, position >= -0.5, position <= Double(map.width) - 0.5 {
                    var style = theme.style(.accent); style.bold = true
                    canvas.set(x: map.x + Int(position.rounded()), y: map.y + r, Cell(curveGlyph, style: style))
                }
            }
        }
        // sigma_b^2 labels (top, bottom) and sigma_w^2 labels (ends and middle).
        canvas.write(Caption.format(b.upper), x: rect.x, y: map.y, style: muted, clip: rect)
        canvas.write(Caption.format(b.lower), x: rect.x, y: map.maxY - 1, style: muted, clip: rect)
        canvas.write(ascii ? "sb2" : "σb²", x: rect.x, y: map.y + map.height / 2, style: muted, clip: rect)
        let middle = Caption.format((w.lower + w.upper) / 2), upperText = Caption.format(w.upper)
        canvas.write(Caption.format(w.lower), x: map.x, y: axisY, style: muted, clip: rect)
        canvas.write(middle, x: map.x + (map.width - middle.count) / 2, y: axisY, style: muted, clip: rect)
        let name = ascii ? "sw2" : "σw²"
        canvas.write(name, x: map.x + (map.width - middle.count) / 2 - name.count - 2, y: axisY, style: muted, clip: rect)
        canvas.write(upperText, x: map.maxX - upperText.count, y: axisY, style: muted, clip: rect)
        drawPoint(into: &canvas, map: map, diagram: diagram, glyph: pointGlyph, glyphs: glyphs, theme: theme)
    }

    /// The critical sigma_w^2 at `sigmaB2`, linear between the two boundary rows around it (nil where either has no
    /// crossing).
    func boundary(at sigmaB2: Double, _ diagram: PhaseDiagram) -> Double? {
        let b = diagram.biasAxis
        let position = (sigmaB2 - b.lower) / (b.upper - b.lower) * Double(b.count - 1)
        guard position.isFinite else { return nil }
        let low = Int(min(Double(b.count - 1), max(0, position.rounded(.down)))), high = min(b.count - 1, low + 1)
        guard let a = diagram.boundary[low].weightVariance, let c = diagram.boundary[high].weightVariance else { return nil }
        let t = min(1, max(0, position - Double(low)))
        return a + (c - a) * t
    }

    /// The point, or an arrow on the edge it left by, with its value beside it.
    func drawPoint(into canvas: inout Canvas, map: Rect, diagram: PhaseDiagram, glyph: Character, glyphs: GlyphSet, theme: Theme) {
        guard let p = point?.point else { return }
        let w = diagram.weightAxis, b = diagram.biasAxis
        let x = (p.weightVariance - w.lower) / (w.upper - w.lower) * Double(map.width - 1)
        let y = (b.upper - p.biasVariance) / (b.upper - b.lower) * Double(map.height - 1)
        guard x.isFinite, y.isFinite else { return }
        let column = Int(min(Double(map.width - 1), max(0, x.rounded())))
        let row = Int(min(Double(map.height - 1), max(0, y.rounded())))
        var style = theme.style(.text); style.bold = true; style.reverse = true
        let offRight = x > Double(map.width - 1) + 0.5, offLeft = x < -0.5, offTop = y < -0.5, offBottom = y > Double(map.height - 1) + 0.5
        guard offRight || offLeft || offTop || offBottom else {
            canvas.set(x: map.x + column, y: map.y + row, Cell(glyph, style: style))
            return
        }
        let arrows = glyphs.name == "ascii" ? (">", "<", "^", "v") : ("▶", "◀", "▲", "▼")
        let arrow = offRight ? arrows.0 : offLeft ? arrows.1 : offTop ? arrows.2 : arrows.3
        let value = offRight || offLeft ? "sigma_w^2 = \(Self.number(p.weightVariance))" : "sigma_b^2 = \(Self.number(p.biasVariance))"
        let label = offLeft ? arrow + " " + value : value + " " + arrow
        let start = offLeft ? map.x : min(map.maxX - label.count, max(map.x, map.x + column - label.count + 1))
        canvas.write(label, x: max(map.x, start), y: map.y + row, style: style, clip: map)
    }

    /// Four ramp samples from low to high, e.g. "░▒▓█".
    func legendSamples(theme: Theme, ascii: Bool) -> String {
        String([0.2, 0.45, 0.7, 1.0].map { theme.rampGlyph(fraction: $0, ascii: ascii) })
    }

    /// `text` word-wrapped to at most `lines` lines of `width` (the last one cut).
    static func wrap(_ text: String, width: Int, lines: Int) -> [String] {
        guard width > 0, lines > 0 else { return [] }
        var result: [String] = [], current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width {
                result.append(current); current = ""
                if result.count == lines { break }
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        if result.count < lines && !current.isEmpty { result.append(current) }
        return result.map { String($0.prefix(width)) }
    }
}
