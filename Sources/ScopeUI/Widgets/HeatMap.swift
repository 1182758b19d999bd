// Layers x value bins: how one quantity's distribution moves with depth, in log10|x| on one shared axis.
// Legend: L = layers (columns, grouped like a Sparkline), R = rows of the map (value bands, high at the top).
import Foundation
import SignalFlow
import Terminal

/// A heat map of per-layer log10|x| histograms re-binned onto a common axis; each column is scaled to its
/// own peak so a sliding band (vanishing or exploding) stays visible at every depth.
public struct HeatMap {
    /// One log10|x| histogram per layer (count L), nil where not yet known.
    public var histograms: [Histogram?]
    /// Layer to highlight (1-based), nil for none.
    public var selectedLayer: Int?

    /// Creates the widget.
    public init(histograms: [Histogram?], selectedLayer: Int? = nil) {
        self.histograms = histograms; self.selectedLayer = selectedLayer
    }

    /// The common axis: the lowest lower and highest upper edge over the known histograms (nil when none).
    public var axis: ClosedRange<Double>? {
        var low = Double.infinity, high = -Double.infinity
        // The edges are read in place: binding each histogram (a struct holding an array) retained and released
        // that array, a cache miss per layer (at 10,000 layers, 10-30 ms of a 200x60 frame's heat maps).
        histograms.withUnsafeBufferPointer { buffer in
            for index in buffer.indices {
                guard let lower = buffer[index]?.lower, let upper = buffer[index]?.upper,
                      lower.isFinite, upper.isFinite, upper > lower else { continue }
                low = min(low, lower); high = max(high, upper)
            }
        }
        return low <= high ? low...high : nil
    }

    /// True when layer `layer` (1-based) has a histogram (a look, not a copy of it).
    private func hasHistogram(layer: Int) -> Bool {
        histograms.withUnsafeBufferPointer { $0[layer - 1]?.lower != nil }
    }

    /// Mass of `histogram` per row for `rows` equal bands of `axis` (row 0 = lowest band), by bin centre.
    public static func rebinned(_ histogram: Histogram, axis: ClosedRange<Double>, rows: Int) -> [Double] {
        var mass = [Double](repeating: 0, count: max(0, rows))
        let span = axis.upperBound - axis.lowerBound
        guard rows > 0, span > 0, span.isFinite, histogram.binWidth > 0, histogram.binWidth.isFinite else { return mass }
        for (bin, count) in histogram.binCounts.enumerated() where count > 0 {
            let centre = histogram.lower + (Double(bin) + 0.5) * histogram.binWidth
            let position = ((centre - axis.lowerBound) / span * Double(rows)).rounded(.down)
            guard position.isFinite else { continue }  // never convert a non-finite Double to Int
            mass[Int(min(Double(rows - 1), max(0, position)))] += Double(count)
        }
        return mass
    }

    /// Draws a 6-column axis label strip on the left (upper, middle, lower as powers of ten), the map, and below
    /// it the layer axis (first and last layer) when the rect is at least 3 rows high.
    public func draw(into canvas: inout Canvas, rect: Rect, glyphs: GlyphSet, theme: Theme) {
        let labelWidth = 6
        guard rect.width > labelWidth, rect.height > 0 else { return }
        let muted = theme.style(.mutedText)
        guard let axis else {
            canvas.write("waiting for layers", x: rect.x, y: rect.y + rect.height / 2, style: muted, clip: rect)
            return
        }
        // The last row is the layer axis ("L1 ... layer ... L50") when there is room for a map above it.
        let withLayerAxis = rect.height >= 3
        let mapHeight = withLayerAxis ? rect.height - 1 : rect.height
        let labels = [(rect.y, axis.upperBound), (rect.y + mapHeight / 2, (axis.lowerBound + axis.upperBound) / 2),
                      (rect.y + mapHeight - 1, axis.lowerBound)]
        for (y, position) in labels {
            let label = position.isFinite && abs(position) < 330 ? NumberFormat.powerOfTen(Int(position.rounded())) : "?"
            canvas.write(label, x: rect.x, y: y, style: muted, clip: rect)
        }
        let map = Rect(x: rect.x + labelWidth, y: rect.y, width: rect.width - labelWidth, height: mapHeight)
        if withLayerAxis {
            let y = rect.maxY - 1, last = "L\(histograms.count)", middle = "layer"
            canvas.write("L1", x: map.x, y: y, style: muted, clip: rect)
            canvas.write(middle, x: map.x + (map.width - middle.count) / 2, y: y, style: muted, clip: rect)
            canvas.write(last, x: map.maxX - last.count, y: y, style: muted, clip: rect)
        }
        let groups = Sparkline.columnLayers(layerCount: histograms.count, columns: map.width)
        for (column, group) in groups.enumerated() {
            let x = map.x + column
            let selected = selectedLayer.map { group.contains($0) } ?? false
            guard let layer = group.reversed().first(where: hasHistogram(layer:)),
                  let histogram = histograms[layer - 1] else {
                if selected { fillSelected(&canvas, x: x, map: map, theme: theme) }
                continue
            }
            let mass = HeatMap.rebinned(histogram, axis: axis, rows: map.height)
            let peak = mass.max() ?? 0
            for row in 0..<map.height {
                let fraction = peak > 0 ? mass[row] / peak : 0
                let shade = fraction <= 0 ? 0 : min(glyphs.shades.count - 1, max(1, Int((fraction * Double(glyphs.shades.count - 1)).rounded())))
                var style = Style(foreground: theme.rampColor(fraction: fraction), background: theme.background)
                if selected { style.background = theme.selection; style.reverse = style.reverse || !theme.hasColor }
                canvas.set(x: x, y: map.maxY - 1 - row, Cell(glyphs.shades[shade], style: style))
            }
        }
    }

    private func fillSelected(_ canvas: inout Canvas, x: Int, map: Rect, theme: Theme) {
        for y in map.y..<map.maxY { canvas.set(x: x, y: y, Cell(" ", style: theme.style(.selection))) }
    }
}
