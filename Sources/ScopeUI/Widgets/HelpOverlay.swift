// The `?` overlay: a framed box listing every key, centred over the screen.
import Terminal

/// Draws the key bindings in a box.
public struct HelpOverlay {
    /// The lines to list.
    public var bindings: [KeyBinding]

    /// Creates the overlay.
    public init(bindings: [KeyBinding]) { self.bindings = bindings }

    /// Draws the box centred in `area` (one or two columns of bindings, whichever fits), clipped to it.
    public func draw(into canvas: inout Canvas, area: Rect, glyphs: GlyphSet, theme: Theme) {
        guard !area.isEmpty else { return }
        let keyWidth = bindings.map(\.keys.count).max() ?? 0
        let naturalWidth = keyWidth + 2 + (bindings.map(\.summary.count).max() ?? 0)
        // One column when it fits in height; else two, with summaries cut when the width is short, so every
        // key is still listed on small terminals.
        let columns = bindings.count + 2 > area.height ? 2 : 1
        let lineWidth = columns == 1 ? naturalWidth : max(keyWidth, min(naturalWidth, (area.width - 7) / 2))
        let perColumn = (bindings.count + columns - 1) / columns
        let boxWidth = min(area.width, columns * lineWidth + (columns - 1) * 3 + 4)
        let boxHeight = min(area.height, perColumn + 2)
        let box = Rect(x: area.x + (area.width - boxWidth) / 2, y: area.y + (area.height - boxHeight) / 2,
                       width: boxWidth, height: boxHeight)
        let border = theme.style(.border), text = theme.style(.text), accent = theme.style(.accent)
        canvas.fill(box, with: Cell(" ", style: theme.style(.background)))
        drawFrame(into: &canvas, box: box, glyphs: glyphs, style: border)
        canvas.write(" initscope keys ", x: box.x + 2, y: box.y, style: accent, clip: box)
        let inner = Rect(x: box.x + 2, y: box.y + 1, width: box.width - 4, height: box.height - 2)
        for (index, binding) in bindings.enumerated() {
            let column = index / max(1, perColumn), row = index % max(1, perColumn)
            let x = inner.x + column * (lineWidth + 3), y = inner.y + row
            let after = canvas.write(NumberFormat.fit(binding.keys, keyWidth), x: x, y: y, style: accent, clip: inner)
            let room = max(0, lineWidth - keyWidth - 2)
            canvas.write("  " + String(binding.summary.prefix(room)), x: after, y: y, style: text, clip: inner)
        }
        canvas.write(" any key closes ", x: box.x + 2, y: box.maxY - 1, style: theme.style(.mutedText), clip: box)
    }

    /// A one-cell frame around `box`.
    func drawFrame(into canvas: inout Canvas, box: Rect, glyphs: GlyphSet, style: Style) {
        guard box.width >= 2, box.height >= 2 else { return }
        for x in box.x..<box.maxX {
            canvas.set(x: x, y: box.y, Cell(glyphs.horizontal, style: style))
            canvas.set(x: x, y: box.maxY - 1, Cell(glyphs.horizontal, style: style))
        }
        for y in box.y..<box.maxY {
            canvas.set(x: box.x, y: y, Cell(glyphs.vertical, style: style))
            canvas.set(x: box.maxX - 1, y: y, Cell(glyphs.vertical, style: style))
        }
        canvas.set(x: box.x, y: box.y, Cell(glyphs.topLeft, style: style))
        canvas.set(x: box.maxX - 1, y: box.y, Cell(glyphs.topRight, style: style))
        canvas.set(x: box.x, y: box.maxY - 1, Cell(glyphs.bottomLeft, style: style))
        canvas.set(x: box.maxX - 1, y: box.maxY - 1, Cell(glyphs.bottomRight, style: style))
    }
}
