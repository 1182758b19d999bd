// A per-layer series drawn as bars on a shared log scale: one column per layer, or per group of layers
// when there are more layers than columns. Legend: L = number of layers (values.count), W = rect.width.
import Terminal

/// A log-scale sparkline of one value per layer, coloured by health.
public struct Sparkline {
    /// One value per layer (count L); nil = not computed yet.
    public var values: [Double?]
    /// Health per layer (count L), choosing each column's theme role.
    public var health: [Health]
    /// The shared value axis.
    public var scale: LogScale
    /// Layer to highlight (1-based), nil for none.
    public var selectedLayer: Int?
    /// Draw in the muted role only (e.g. a prediction row) instead of health colours.
    public var muted: Bool

    /// Creates a sparkline; `health` defaults to classifying `values` against the band alone (not needed, so not
    /// computed, for a muted one: it draws in one role).
    public init(values: [Double?], health: [Health]? = nil, scale: LogScale, selectedLayer: Int? = nil, muted: Bool = false) {
        self.values = values
        self.health = health ?? (muted ? [] : values.map { Health.classify(variance: $0) })
        self.scale = scale; self.selectedLayer = selectedLayer; self.muted = muted
    }

    /// The layers (1-based, inclusive) each column shows for `layerCount` layers in `columns` columns: when they
    /// fit, every layer gets floor(W / L) columns (the rest stay empty); else consecutive groups, one per column.
    public static func columnLayers(layerCount: Int, columns: Int) -> [ClosedRange<Int>] {
        guard layerCount > 0, columns > 0 else { return [] }
        if layerCount <= columns {
            let repeatCount = columns / layerCount
            return (1...layerCount).flatMap { Array(repeating: $0...$0, count: repeatCount) }
        }
        return (0..<columns).map { column in
            let first = column * layerCount / columns + 1
            let last = (column + 1) * layerCount / columns
            return first...max(first, last)
        }
    }

    /// Draws into `rect` of `canvas` with `glyphs` and `theme`. One row uses the level glyphs; taller rects
    /// stack eighth blocks. Columns whose group holds a non-finite layer show the non-finite glyph.
    public func draw(into canvas: inout Canvas, rect: Rect, glyphs: GlyphSet, theme: Theme) {
        guard !rect.isEmpty else { return }
        let groups = Sparkline.columnLayers(layerCount: values.count, columns: rect.width)
        for (column, group) in groups.enumerated() {
            let x = rect.x + column
            let anyNonFinite = group.contains { health.indices.contains($0 - 1) && health[$0 - 1] == .nonFinite }
            let shownLayer = group.reversed().first { values.indices.contains($0 - 1) && values[$0 - 1] != nil }
            let columnHealth: Health = anyNonFinite ? .nonFinite
                : shownLayer.map { health.indices.contains($0 - 1) ? health[$0 - 1] : Health.classify(variance: values[$0 - 1]) } ?? .pending
            var style = muted ? theme.style(.mutedText) : theme.style(columnHealth.role)
            if let selectedLayer, group.contains(selectedLayer) {
                style.background = theme.selection
                style.reverse = style.reverse || !theme.hasColor
                style.bold = true
            }
            let bottom = rect.maxY - 1
            // Clear the column in the base style so the selection background spans the whole height.
            for y in rect.y...bottom { canvas.set(x: x, y: y, Cell(" ", style: style)) }
            if columnHealth == .nonFinite && !muted {
                canvas.set(x: x, y: bottom, Cell(glyphs.nonFinite, style: style)); continue
            }
            guard let shownLayer, let value = values[shownLayer - 1] else {
                canvas.set(x: x, y: bottom, Cell(glyphs.pending, style: style)); continue
            }
            // Without colour each state but healthy shows its own glyph at the bar's top (legend: GlyphSet.states).
            let stateGlyph: Character? = !theme.hasColor && !muted && columnHealth != .healthy
                ? glyphs.stateGlyph(columnHealth) : nil
            let fraction = scale.fraction(value)
            if let stateGlyph, rect.height == 1 {
                canvas.set(x: x, y: bottom, Cell(stateGlyph, style: style))
            } else if rect.height == 1 {
                let top = glyphs.levels.count - 1
                let level = min(top, max(0, Int((fraction * Double(top)).rounded())))
                canvas.set(x: x, y: bottom, Cell(glyphs.levels[level], style: style))
            } else {
                let units = max(1, Int((fraction * Double(rect.height * 8)).rounded()))
                for row in 0..<rect.height {
                    let filled = min(8, max(0, units - row * 8))
                    if filled == 0 { break }
                    canvas.set(x: x, y: bottom - row, Cell(glyphs.eighths[filled], style: style))
                }
                if let stateGlyph {
                    let topRow = min(rect.height - 1, max(0, (units - 1) / 8))
                    canvas.set(x: x, y: bottom - topRow, Cell(stateGlyph, style: style))
                }
            }
        }
    }
}
