// Loss against steps on a log10 scale, one series per initializer row: the held-out loss (measured every k steps)
// in the row's colour and marker glyph (so the curves stay apart without colour), the training loss of every step
// fainter behind it (dim dots in the row's colour), the task's floor as a horizontal line, a divergence marked where
// it happened. Where several held-out curves fall in one cell, the cell shows how many (2...9, bold, in the text
// colour) instead of the last row's glyph, which would hide the others (at 80x24 a chart is 8 rows of 3 decades).
// Legend: S = steps of the run (x axis 0...S), columns group steps like a Sparkline groups layers; rows of the plot
// are equal bands of log10(loss), high at the top; the left 6 columns label powers of ten.
import Foundation
import SignalFlow
import Terminal

/// One curve of the chart.
public struct LossSeries: Equatable, Sendable {
    /// The row's name (for the key).
    public var name: String
    /// The row's index: its colour and glyph.
    public var index: Int
    /// Training loss at steps 1...t (index t - 1).
    public var losses: [Double]
    /// Held-out loss at the evaluation steps so far, in step order.
    public var heldOut: [HeldOutLoss]
    /// The step it diverged at, nil when it did not.
    public var divergedAt: Int?

    /// Creates a series.
    public init(name: String, index: Int, losses: [Double], heldOut: [HeldOutLoss] = [], divergedAt: Int? = nil) {
        self.name = name; self.index = index; self.losses = losses; self.heldOut = heldOut; self.divergedAt = divergedAt
    }
}

/// The loss-curve chart of the training panel.
public struct LossChart {
    /// The curves, in row order (a cell two or more held-out curves share shows their count).
    public var series: [LossSeries]
    /// Steps of the run: the x axis spans 0...totalSteps.
    public var totalSteps: Int
    /// The task's lowest expected loss, drawn as a line when positive; nil = none.
    public var floor: Double?
    /// Width of the label strip on the left.
    public static let labelWidth = 6

    /// Creates the chart.
    public init(series: [LossSeries], totalSteps: Int, floor: Double?) {
        self.series = series; self.totalSteps = max(1, totalSteps); self.floor = floor
    }

    /// The decades shown, lower...upper (integers, at least one apart): every finite positive loss and the floor.
    public var decades: ClosedRange<Int> {
        var values = (series.flatMap(\.losses) + series.flatMap { $0.heldOut.map(\.loss) }).filter { $0.isFinite && $0 > 0 }
        if let floor, floor > 0, floor.isFinite { values.append(floor) }
        guard let low = values.min(), let high = values.max() else { return -2...0 }
        let lower = Int(Foundation.floor(log10(low))), upper = max(lower + 1, Int(ceil(log10(high))))
        return max(-300, lower)...min(300, max(upper, lower + 1))
    }

    /// The plot row (0 = bottom) of `value` among `height` rows, nil when not finite or not positive.
    public static func row(of value: Double, decades: ClosedRange<Int>, height: Int) -> Int? {
        guard value.isFinite, value > 0, height > 0 else { return nil }
        let span = Double(decades.upperBound - decades.lowerBound)
        let position = (log10(value) - Double(decades.lowerBound)) / span * Double(height - 1)
        guard position.isFinite else { return nil }
        return Int(min(Double(height - 1), max(0, position.rounded())))
    }

    /// The steps (1-based) column `column` of `columns` covers, for `totalSteps` steps.
    public static func steps(column: Int, columns: Int, totalSteps: Int) -> ClosedRange<Int> {
        let first = column * totalSteps / max(1, columns) + 1
        let last = max(first, (column + 1) * totalSteps / max(1, columns))
        return first...last
    }

    /// Draws the labels, the floor line, the curves and the step axis (bottom row) into `rect`.
    public func draw(into canvas: inout Canvas, rect: Rect, glyphs: GlyphSet, theme: Theme) {
        let labelWidth = LossChart.labelWidth
        guard rect.width > labelWidth + 1, rect.height >= 3 else { return }
        let muted = theme.style(.mutedText), ascii = glyphs.name == "ascii"
        let plot = Rect(x: rect.x + labelWidth, y: rect.y, width: rect.width - labelWidth, height: rect.height - 1)
        let decades = self.decades
        let labels = [(plot.y, decades.upperBound), (plot.maxY - 1, decades.lowerBound)]
        for (y, exponent) in labels { canvas.write(NumberFormat.powerOfTen(exponent), x: rect.x, y: y, style: muted, clip: rect) }
        // Step axis: 0 on the left, "step" in the middle, S on the right.
        let axisY = rect.maxY - 1, last = "\(totalSteps)", middle = "step"
        canvas.write("0", x: plot.x, y: axisY, style: muted, clip: rect)
        canvas.write(middle, x: plot.x + (plot.width - middle.count) / 2, y: axisY, style: muted, clip: rect)
        canvas.write(last, x: plot.maxX - last.count, y: axisY, style: muted, clip: rect)
        if let floor, let row = LossChart.row(of: floor, decades: decades, height: plot.height) {
            let y = plot.maxY - 1 - row
            for x in plot.x..<plot.maxX { canvas.set(x: x, y: y, Cell(glyphs.horizontal, style: muted)) }
            let label = "floor " + NumberFormat.compact(floor)
            canvas.write(label, x: plot.maxX - label.count, y: y, style: muted, clip: plot)
        }
        // The training losses first, faint, so every held-out curve is drawn over them.
        let dot: Character = ascii ? "." : "·"
        for curve in series {
            var faint = theme.seriesStyle(curve.index)
            faint.dim = true
            for column in 0..<plot.width {
                let range = LossChart.steps(column: column, columns: plot.width, totalSteps: totalSteps)
                guard range.lowerBound <= curve.losses.count else { break }
                // The column's last step reached: the curve as it stands at the column's right edge.
                let value = curve.losses[min(range.upperBound, curve.losses.count) - 1]
                guard let row = LossChart.row(of: value, decades: decades, height: plot.height) else { continue }
                canvas.set(x: plot.x + column, y: plot.maxY - 1 - row, Cell(dot, style: faint))
            }
        }
        var shared = Style(foreground: theme.text, background: theme.background)
        shared.bold = true
        for (column, curves) in heldOutCells(height: plot.height, columns: plot.width, decades: decades) {
            for (row, indices) in curves {
                let cell = indices.count == 1
                    ? Cell(theme.seriesGlyph(indices[0], ascii: ascii), style: theme.seriesStyle(indices[0]))
                    : Cell(Character(String(min(9, indices.count))), style: shared)
                canvas.set(x: plot.x + column, y: plot.maxY - 1 - row, cell)
            }
        }
        for curve in series {
            if let step = curve.divergedAt {
                let column = min(plot.width - 1, max(0, (step - 1) * plot.width / totalSteps))
                var bad = Style(foreground: theme.nonFinite, background: theme.background)
                bad.bold = true
                canvas.set(x: plot.x + column, y: plot.y, Cell(glyphs.nonFinite, style: bad))
            }
        }
    }

    /// Where the held-out curves are: for each plot column (0...columns - 1), the plot rows (0 = bottom) a curve is
    /// at and the row indices (`LossSeries.index`) of the curves there, in series order.
    public func heldOutCells(height: Int, columns: Int, decades: ClosedRange<Int>) -> [Int: [Int: [Int]]] {
        var cells: [Int: [Int: [Int]]] = [:]
        for curve in series {
            let lastStep = curve.heldOut.last?.step ?? 0
            for column in 0..<columns where lastStep > 0 {
                let range = LossChart.steps(column: column, columns: columns, totalSteps: totalSteps)
                guard range.lowerBound <= lastStep else { break }
                // The last evaluation at or before the column's right edge: the held-out curve as it stands there.
                guard let point = curve.heldOut.last(where: { $0.step <= range.upperBound }),
                      let row = LossChart.row(of: point.loss, decades: decades, height: height) else { continue }
                cells[column, default: [:]][row, default: []].append(curve.index)
            }
        }
        return cells
    }

    /// The key: each row's glyph and name ("● xavier ▲ he ■ lsuv"), as (text, row index) pieces; with
    /// `largestSharedCell` (the most curves in one cell, from 2), a last piece says what the count means
    /// ("3 = 3 curves", index nil: the text colour).
    public func key(glyphs: GlyphSet, theme: Theme, largestSharedCell: Int? = nil) -> [(text: String, index: Int?)] {
        let ascii = glyphs.name == "ascii"
        let rows: [(text: String, index: Int?)] = series.map { ("\(theme.seriesGlyph($0.index, ascii: ascii)) \($0.name)", $0.index) }
        guard let count = largestSharedCell, count >= 2 else { return rows }
        let shown = min(9, count)
        return rows + [("\(shown) = \(shown) curves", nil)]
    }

    /// The most held-out curves in one cell of a plot `height` rows by `columns` columns, nil when no two share one.
    public func largestSharedCell(height: Int, columns: Int) -> Int? {
        let most = heldOutCells(height: height, columns: columns, decades: decades).values
            .flatMap { $0.values.map(\.count) }.max() ?? 0
        return most >= 2 ? most : nil
    }
}
