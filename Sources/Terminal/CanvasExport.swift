// A drawn screen as a file for slides and scripts: plain text, ANSI text, SVG (monospace cells in the theme's
// colours) and HTML (the SVG in a page). Pure: canvas in, text out.
// Legend: W x H = canvas size in cells; one cell is `cellWidth` x `cellHeight` SVG units (px).

/// Writes a Canvas out as txt, ansi, svg or html.
public enum CanvasExport {
    /// The formats, as `--format` names them.
    public enum Format: String, CaseIterable, Sendable {
        case txt, ansi, svg, html
    }

    /// Width and height of one cell in the SVG, px (a 14 px monospace font).
    public static let cellWidth = 8.4, cellHeight = 17.0
    /// The SVG's font size, px.
    public static let fontSize = 14.0

    /// `canvas` in `format`; `foreground` and `background` stand for the terminal's default colours (SVG, HTML).
    public static func render(_ canvas: Canvas, format: Format, foreground: RGBColor, background: RGBColor) -> String {
        switch format {
        case .txt: return text(canvas)
        case .ansi: return ansi(canvas)
        case .svg: return svg(canvas, foreground: foreground, background: background)
        case .html:
            return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>initscope</title></head>\n"
                + "<body style=\"margin:0;background:#\(hex(background))\">\n"
                + svg(canvas, foreground: foreground, background: background) + "</body></html>\n"
        }
    }

    /// One line per row, trailing blanks dropped.
    public static func text(_ canvas: Canvas) -> String {
        canvas.lines.map { line in String(line.reversed().drop(while: { $0 == " " }).reversed()) }.joined(separator: "\n") + "\n"
    }

    /// One line per row with SGR sequences where the style changes (each from a reset), a reset at each line's end.
    public static func ansi(_ canvas: Canvas) -> String {
        var result = ""
        for y in 0..<canvas.height {
            var current: Style? = nil
            for x in 0..<canvas.width {
                guard let cell = canvas[x, y] else { continue }
                if cell.style != current { result += AnsiEscape.sequence(cell.style); current = cell.style }
                result.append(cell.character)
            }
            result += AnsiEscape.reset + "\n"
        }
        return result
    }

    /// An SVG of the canvas: a background rectangle, one rectangle per run of cells with their own background, one
    /// `text` per run of cells with the same look (textLength keeps every glyph in its cell). Reverse swaps the
    /// colours, dim halves the foreground towards the background, bold is font-weight bold.
    public static func svg(_ canvas: Canvas, foreground: RGBColor, background: RGBColor) -> String {
        let width = Double(canvas.width) * cellWidth, height = Double(canvas.height) * cellHeight
        var body = ""
        var texts = ""
        for y in 0..<canvas.height {
            var x = 0
            while x < canvas.width {
                let style = canvas[x, y]!.style
                let colors = resolved(style, foreground: foreground, background: background)
                var end = x + 1
                while end < canvas.width, resolved(canvas[end, y]!.style, foreground: foreground, background: background) == colors,
                      canvas[end, y]!.style.bold == style.bold, canvas[end, y]!.style.underline == style.underline { end += 1 }
                let run = (x..<end).map { canvas[$0, y]!.character }
                if colors.background != background {
                    body += "<rect x=\"\(number(Double(x) * cellWidth))\" y=\"\(number(Double(y) * cellHeight))\" width=\"\(number(Double(end - x) * cellWidth))\" height=\"\(number(cellHeight))\" fill=\"#\(hex(colors.background))\"/>\n"
                }
                if run.contains(where: { $0 != " " }) {
                    var attributes = "x=\"\(number(Double(x) * cellWidth))\" y=\"\(number(Double(y) * cellHeight + cellHeight * 0.78))\" fill=\"#\(hex(colors.foreground))\""
                    attributes += " textLength=\"\(number(Double(end - x) * cellWidth))\" lengthAdjust=\"spacingAndGlyphs\""
                    if style.bold { attributes += " font-weight=\"bold\"" }
                    if style.underline { attributes += " text-decoration=\"underline\"" }
                    texts += "<text \(attributes)>\(escaped(String(run)))</text>\n"
                }
                x = end
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(number(width))\" height=\"\(number(height))\" viewBox=\"0 0 \(number(width)) \(number(height))\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"#\(hex(background))\"/>\n" + body
            + "<g font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"\(number(fontSize))\" xml:space=\"preserve\">\n"
            + texts + "</g>\n</svg>\n"
    }

    /// The colours a cell of `style` shows, the terminal's defaults resolved, reverse and dim applied.
    static func resolved(_ style: Style, foreground: RGBColor, background: RGBColor) -> (foreground: RGBColor, background: RGBColor) {
        var fg = style.foreground.rgbValue(defaultingTo: foreground), bg = style.background.rgbValue(defaultingTo: background)
        if style.reverse { swap(&fg, &bg) }
        if style.dim {
            fg = RGBColor(UInt8((Int(fg.red) + Int(bg.red)) / 2), UInt8((Int(fg.green) + Int(bg.green)) / 2),
                          UInt8((Int(fg.blue) + Int(bg.blue)) / 2))
        }
        return (fg, bg)
    }

    /// "rrggbb".
    static func hex(_ color: RGBColor) -> String {
        [color.red, color.green, color.blue].map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// A length with at most two decimals, no trailing zeros ("8.4", "17", "672").
    static func number(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let whole = hundredths / 100, fraction = hundredths % 100
        if fraction == 0 { return "\(whole)" }
        return fraction % 10 == 0 ? "\(whole).\(fraction / 10)" : "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// `text` with XML's special characters escaped.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
