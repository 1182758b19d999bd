// The `?` overlay: a framed box centred over the screen with two pages: every key (from the key table), then
// what every label and colour means (HelpGlossary). Tab or the arrows turn the page; any other key closes it.
import Terminal

/// Draws the help in a box.
public struct HelpOverlay {
    /// The key table's lines (page 1).
    public var bindings: [KeyBinding]
    /// The labels and colours explained (page 2).
    public var glossary: [GlossaryEntry]
    /// The page shown: 0 = keys, 1... = labels and colours (as many pages as the area needs).
    public var page: Int

    /// Creates the overlay.
    public init(bindings: [KeyBinding], glossary: [GlossaryEntry] = [], page: Int = 0) {
        self.bindings = bindings; self.glossary = glossary; self.page = page
    }

    /// The footer: how to turn pages, and that the closing key does nothing else.
    static func footer(page: Int, of count: Int = 2) -> String {
        " page \(page + 1)/\(count), tab: next page; other keys close help and do nothing else "
    }

    /// Width of the glossary box in an area `width` wide, and of its term column.
    static func glossaryWidths(_ glossary: [GlossaryEntry], width: Int) -> (box: Int, term: Int) {
        (min(width, 78), min(18, glossary.map(\.term.count).max() ?? 0))
    }

    /// The glossary's lines (term or "", meaning) cut into pages that fit a `width` x `height` area.
    static func glossaryPages(_ glossary: [GlossaryEntry], width: Int, height: Int) -> [[(String, String)]] {
        let (boxWidth, termWidth) = glossaryWidths(glossary, width: width)
        let meaningWidth = max(1, boxWidth - 4 - termWidth - 2)
        let lines: [(String, String)] = glossary.flatMap { entry in
            HelpOverlay.wrap(entry.meaning, width: meaningWidth).enumerated().map { ($0.offset == 0 ? entry.term : "", $0.element) }
        }
        let perPage = max(1, height - 2)
        return stride(from: 0, to: max(1, lines.count), by: perPage).map { Array(lines[$0..<min(lines.count, $0 + perPage)]) }
    }

    /// Pages of the help in a `width` x `height` area: the keys, then the glossary's pages.
    public static func pageCount(glossary: [GlossaryEntry], width: Int, height: Int) -> Int {
        1 + glossaryPages(glossary, width: width, height: height).count
    }

    /// Draws the box centred in `area`, clipped to it.
    public func draw(into canvas: inout Canvas, area: Rect, glyphs: GlyphSet, theme: Theme) {
        guard !area.isEmpty else { return }
        if page >= 1 { drawGlossary(into: &canvas, area: area, glyphs: glyphs, theme: theme) }
        else { drawKeys(into: &canvas, area: area, glyphs: glyphs, theme: theme) }
    }

    /// Page 1: one or two columns of bindings, whichever fits.
    func drawKeys(into canvas: inout Canvas, area: Rect, glyphs: GlyphSet, theme: Theme) {
        let keyWidth = bindings.map(\.keys.count).max() ?? 0
        let naturalWidth = keyWidth + 2 + (bindings.map(\.summary.count).max() ?? 0)
        // One column when it fits in height; else two, with summaries cut when the width is short, so every
        // key is still listed on small terminals.
        let columns = bindings.count + 2 > area.height ? 2 : 1
        let lineWidth = columns == 1 ? naturalWidth : max(keyWidth, min(naturalWidth, (area.width - 7) / 2))
        let perColumn = (bindings.count + columns - 1) / columns
        let boxWidth = min(area.width, max(columns * lineWidth + (columns - 1) * 3 + 4, HelpOverlay.footer(page: 0).count + 4))
        let box = frame(in: area, width: boxWidth, height: perColumn + 2)
        let inner = drawBox(into: &canvas, box: box, title: " initscope keys ", glyphs: glyphs, theme: theme)
        let text = theme.style(.text), accent = theme.style(.accent)
        for (index, binding) in bindings.enumerated() {
            let column = index / max(1, perColumn), row = index % max(1, perColumn)
            let x = inner.x + column * (lineWidth + 3), y = inner.y + row
            let after = canvas.write(NumberFormat.fit(binding.keys, keyWidth), x: x, y: y, style: accent, clip: inner)
            let room = max(0, lineWidth - keyWidth - 2)
            canvas.write("  " + String(binding.summary.prefix(room)), x: after, y: y, style: text, clip: inner)
        }
    }

    /// Pages 2...: each term, then its meaning wrapped to the box, as many lines per page as fit.
    func drawGlossary(into canvas: inout Canvas, area: Rect, glyphs: GlyphSet, theme: Theme) {
        let (boxWidth, termWidth) = HelpOverlay.glossaryWidths(glossary, width: area.width)
        let pages = HelpOverlay.glossaryPages(glossary, width: area.width, height: area.height)
        let lines = pages[min(pages.count - 1, max(0, page - 1))]
        let box = frame(in: area, width: boxWidth, height: lines.count + 2)
        let inner = drawBox(into: &canvas, box: box, title: " what the screen shows ", glyphs: glyphs, theme: theme)
        let text = theme.style(.text), accent = theme.style(.accent)
        for (row, line) in lines.prefix(inner.height).enumerated() {
            let after = canvas.write(NumberFormat.fit(line.0, termWidth), x: inner.x, y: inner.y + row, style: accent, clip: inner)
            canvas.write("  " + line.1, x: after, y: inner.y + row, style: text, clip: inner)
        }
    }

    /// Words of `text` in lines of at most `width` characters (a longer word is cut).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width { lines.append(current); current = "" }
            current += (current.isEmpty ? "" : " ") + String(word.prefix(width))
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// A box of at most `width` x `height` centred in `area`.
    func frame(in area: Rect, width: Int, height: Int) -> Rect {
        let boxWidth = min(area.width, width), boxHeight = min(area.height, height)
        return Rect(x: area.x + (area.width - boxWidth) / 2, y: area.y + (area.height - boxHeight) / 2,
                    width: boxWidth, height: boxHeight)
    }

    /// Clears and frames `box` with its title and the page footer; returns the inner area.
    func drawBox(into canvas: inout Canvas, box: Rect, title: String, glyphs: GlyphSet, theme: Theme) -> Rect {
        canvas.fill(box, with: Cell(" ", style: theme.style(.background)))
        drawFrame(into: &canvas, box: box, glyphs: glyphs, style: theme.style(.border))
        canvas.write(title, x: box.x + 2, y: box.y, style: theme.style(.accent), clip: box)
        let count = HelpOverlay.pageCount(glossary: glossary, width: canvas.width, height: canvas.height)
        canvas.write(HelpOverlay.footer(page: page, of: count), x: box.x + 2, y: box.maxY - 1, style: theme.style(.mutedText), clip: box)
        return Rect(x: box.x + 2, y: box.y + 1, width: max(0, box.width - 4), height: max(0, box.height - 2))
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
