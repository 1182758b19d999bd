// A histogram as vertical bars with eighth-block tops, a value axis and under/overflow marks.
// Legend: K = number of bins, W = rect.width, H = rect.height (bars take H - 1 rows, the axis one).
import Foundation
import SignalFlow
import Terminal

/// Draws one `SignalFlow.Histogram` into a rectangle.
public struct HistogramView {
    /// The counts to draw.
    public var histogram: Histogram
    /// Theme role of the bars.
    public var barRole: ThemeRole

    /// Creates the widget.
    public init(histogram: Histogram, barRole: ThemeRole = .accent) { self.histogram = histogram; self.barRole = barRole }

    /// Height per column for `columns` columns: the mean count of the bins each column covers when K > W (so
    /// uneven groups do not make steps), else each bin repeated over floor(W / K) columns (the rest stays empty).
    public static func columnCounts(_ bins: [Int], columns: Int) -> [Double] {
        guard !bins.isEmpty, columns > 0 else { return [] }
        if bins.count > columns {
            return (0..<columns).map { column in
                let first = column * bins.count / columns, last = max(first + 1, (column + 1) * bins.count / columns)
                return Double(bins[first..<last].reduce(0, +)) / Double(last - first)
            }
        }
        let repeatCount = columns / bins.count
        return bins.flatMap { Array(repeating: Double($0), count: repeatCount) }
    }

    /// The label of an axis position: the value itself (linear) or 10^value (log10|x| bins).
    public func axisLabel(_ position: Double) -> String {
        switch histogram.scale {
        case .linear: return NumberFormat.compact(position)
        case .log10Magnitude:
            guard position.isFinite, abs(position) < 330 else { return NumberFormat.compact(position) }
            let rounded = position.rounded()
            if abs(position - rounded) < 1e-9 { return NumberFormat.powerOfTen(Int(rounded)) }
            return NumberFormat.scientific(pow(10, position), digits: 0)
        }
    }

    /// Draws bars in the top H - 1 rows and the axis in the last row of `rect`.
    public func draw(into canvas: inout Canvas, rect: Rect, glyphs: GlyphSet, theme: Theme) {
        guard !rect.isEmpty else { return }
        let barRows = rect.height - 1
        let muted = theme.style(.mutedText)
        if barRows > 0 {
            let counts = HistogramView.columnCounts(histogram.binCounts, columns: rect.width)
            let highest = counts.max() ?? 0
            let style = theme.style(barRole)
            for (column, count) in counts.enumerated() where count > 0 && highest > 0 {
                let units = max(1, Int((count / highest * Double(barRows * 8)).rounded()))
                for row in 0..<barRows {
                    let filled = min(8, max(0, units - row * 8))
                    if filled == 0 { break }
                    canvas.set(x: rect.x + column, y: rect.y + barRows - 1 - row, Cell(glyphs.eighths[filled], style: style))
                }
            }
            if highest == 0 {
                // log10|x| has no bin for 0: a gradient that is exactly 0 everywhere (tanh saturated by a 1e30 bias)
                // is all zeros, not "no finite values"; values outside a fixed axis are counted at its ends.
                let onlyZeros = histogram.scale == .log10Magnitude && histogram.zeroCount > 0
                let outside = histogram.underflow + histogram.overflow > 0
                canvas.write(onlyZeros ? "all values are 0" : outside ? "all values off the axis" : "no finite values",
                             x: rect.x, y: rect.y + barRows - 1,
                             style: muted, clip: rect)
            }
        }
        drawAxis(into: &canvas, y: rect.maxY - 1, rect: rect, glyphs: glyphs, theme: theme)
    }

    /// The axis row: [underflow mark] lower ... middle ... upper [overflow mark] [non-finite].
    private func drawAxis(into canvas: inout Canvas, y: Int, rect: Rect, glyphs: GlyphSet, theme: Theme) {
        let muted = theme.style(.mutedText)
        let warn = theme.style(.exploding)
        var left = ""
        if histogram.underflow > 0 { left += "\(glyphs.underflow)\(histogram.underflow) " }
        // Exact zeros have no log10|x|: counted in words beside the axis.
        if histogram.scale == .log10Magnitude && histogram.zeroCount > 0 { left += "\(histogram.zeroCount) zeros " }
        var right = ""
        if histogram.overflow > 0 { right += " \(histogram.overflow)\(glyphs.overflow)" }
        if histogram.nonFinite > 0 { right += " \(glyphs.nonFinite)\(histogram.nonFinite)" }
        let lowerText = axisLabel(histogram.lower), upperText = axisLabel(histogram.upper)
        let middleText = axisLabel((histogram.lower + histogram.upper) / 2)
        var x = canvas.write(left, x: rect.x, y: y, style: warn, clip: rect)
        x = canvas.write(lowerText, x: x, y: y, style: muted, clip: rect)
        let rightStart = rect.maxX - right.count - upperText.count
        let middleStart = rect.x + (rect.width - middleText.count) / 2
        if middleStart > x + 1 && middleStart + middleText.count < rightStart - 1 {
            canvas.write(middleText, x: middleStart, y: y, style: muted, clip: rect)
        }
        if rightStart > x {
            let after = canvas.write(upperText, x: rightStart, y: y, style: muted, clip: rect)
            canvas.write(right, x: after, y: y, style: warn, clip: rect)
        }
    }
}
