// The learning-rate sweep as a heat map: one line per initializer, one cell per rate, coloured (and shaded, so it
// reads without colour) by the final held-out loss on a log scale, a distinct glyph where the run diverged.
// (HeatMap draws layers x histogram bins with one peak per column; this map has one value per cell and needs a
// shared scale, labels and a diverged state, so it is a widget of its own on the same theme ramp.)
// Legend: R = rows (initializers), N = rates; log10(loss) mapped to 0...1 between the best and worst finite cell,
// 1 = lowest loss (brightest).
import Foundation
import SignalFlow
import Terminal

/// The sweep's heat map.
public struct SweepHeatMap {
    /// The rows' names, top to bottom.
    public var names: [String]
    /// The rates, left to right.
    public var rates: [Double]
    /// results[r][i]: row r at rate i, nil while not run.
    public var results: [[SweepResult?]]
    /// Width of the name column.
    public static let nameWidth = 12

    /// Creates the map.
    public init(names: [String], rates: [Double], results: [[SweepResult?]]) {
        self.names = names; self.rates = rates; self.results = results
    }

    /// The lowest and highest finite positive final loss over the cells, nil when none.
    public var lossRange: ClosedRange<Double>? {
        let losses = results.flatMap { $0.compactMap { $0?.finalLoss } }.filter { $0.isFinite && $0 > 0 }
        guard let low = losses.min(), let high = losses.max() else { return nil }
        return low...high
    }

    /// 1 for the lowest loss of the map, 0 for the highest, log-linear between (0.5 when all are equal).
    public func goodness(_ loss: Double) -> Double {
        guard let range = lossRange, loss.isFinite, loss > 0 else { return 0 }
        let span = log10(range.upperBound) - log10(range.lowerBound)
        guard span > 0 else { return 0.5 }
        return min(1, max(0, (log10(range.upperBound) - log10(loss)) / span))
    }

    /// Draws the rate labels (top row), one line per row, and a key (bottom row) into `rect`.
    public func draw(into canvas: inout Canvas, rect: Rect, glyphs: GlyphSet, theme: Theme) {
        let nameWidth = min(SweepHeatMap.nameWidth, (names.map(\.count).max() ?? 0) + 2, rect.width / 3)
        guard rect.height >= 3, rates.count > 0, rect.width > nameWidth + rates.count else { return }
        let muted = theme.style(.mutedText), ascii = glyphs.name == "ascii"
        let cellWidth = max(1, (rect.width - nameWidth) / rates.count)
        let rowHeight = max(1, min(2, (rect.height - 2) / max(1, names.count)))
        // Every rate labelled when the labels fit their cells, else every other one (over two cells).
        let labels = rates.map(SweepHeatMap.rateLabel)
        let stride = labels.allSatisfy { $0.count < cellWidth } ? 1 : 2
        for i in Swift.stride(from: 0, to: rates.count, by: stride) where labels[i].count < stride * cellWidth {
            canvas.write(labels[i], x: rect.x + nameWidth + i * cellWidth, y: rect.y, style: muted, clip: rect)
        }
        canvas.write("lr", x: rect.x, y: rect.y, style: muted, clip: rect)
        for (r, name) in names.enumerated() {
            let y = rect.y + 1 + r * rowHeight
            guard y + rowHeight <= rect.maxY - 1 else { break }
            canvas.write(NumberFormat.fit(name, nameWidth - 1), x: rect.x, y: y, style: theme.seriesStyle(r), clip: rect)
            for i in rates.indices {
                let x = rect.x + nameWidth + i * cellWidth
                let result = results.indices.contains(r) && results[r].indices.contains(i) ? results[r][i] : nil
                let cell = cellText(result, width: cellWidth, glyphs: glyphs, theme: theme, ascii: ascii)
                for line in 0..<rowHeight {
                    for (offset, character) in cell.text.enumerated() where offset < cellWidth - (cellWidth > 2 ? 1 : 0) {
                        canvas.set(x: x + offset, y: y + line, Cell(line == 0 || cell.fill ? character : cell.filler, style: cell.style))
                    }
                    if line > 0 && !cell.fill && cell.filler != " " {
                        for offset in 0..<(cellWidth - (cellWidth > 2 ? 1 : 0)) {
                            canvas.set(x: x + offset, y: y + line, Cell(cell.filler, style: cell.style))
                        }
                    }
                }
            }
        }
        let keys = ["bright = lowest final loss, \(glyphs.nonFinite)N diverged at step N, \(glyphs.pending) not run yet",
                    "bright: lowest loss  \(glyphs.nonFinite)N: diverged at step N  \(glyphs.pending): not run"]
        canvas.write(keys.first { $0.count <= rect.width } ?? keys[1], x: rect.x, y: rect.maxY - 1, style: muted, clip: rect)
    }

    /// A rate as the map's header prints it: "1e-4", "3e-4", "0.03", "0.3", "1".
    public static func rateLabel(_ rate: Double) -> String {
        if rate >= 0.01 && rate < 1000 { return Caption.format(rate, digits: 1) }
        return String(format: "%.0e", rate).replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+0", with: "e+")
    }

    /// What one cell shows: the loss on the ramp (its value when the cell is wide enough), the diverged glyph, or
    /// pending dots.
    func cellText(_ result: SweepResult?, width: Int, glyphs: GlyphSet, theme: Theme, ascii: Bool)
        -> (text: String, filler: Character, fill: Bool, style: Style) {
        let inner = max(1, width > 2 ? width - 1 : width)
        guard let result else {
            return (String(repeating: glyphs.pending, count: inner), glyphs.pending, true, theme.style(.mutedText))
        }
        guard let loss = result.finalLoss else {
            var style = Style(foreground: theme.exploding, background: theme.background)
            style.bold = true
            let step = result.divergedAt.map { "\(glyphs.nonFinite)\($0)" } ?? String(glyphs.nonFinite)
            let text = step.count <= inner ? step + String(repeating: " ", count: inner - step.count)
                                           : String(repeating: glyphs.nonFinite, count: inner)
            return (text, " ", false, style)
        }
        let fraction = goodness(loss)
        // Never the ramp's blank first glyph: a finished cell always shows.
        let shade = theme.rampGlyph(fraction: 0.25 + 0.75 * fraction, ascii: ascii)
        let style = Style(foreground: theme.rampColor(fraction: fraction), background: theme.background)
        let number = NumberFormat.compact(loss, maxWidth: inner - 1)
        if inner >= 6 {
            // Wide cells print the loss after the shade glyph on their first line, shade on the others.
            let text = String(shade) + number + String(repeating: " ", count: max(0, inner - 1 - number.count))
            return (String(text.prefix(inner)), shade, false, style)
        }
        return (String(repeating: shade, count: inner), shade, true, style)
    }
}
