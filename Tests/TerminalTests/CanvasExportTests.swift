// CanvasExport: a small canvas as txt, ansi and svg, exactly.
import Testing
@testable import Terminal

@Suite struct CanvasExportTests {
    static func canvas() -> Canvas {
        var canvas = Canvas(width: 4, height: 2)
        canvas.write("a<", x: 0, y: 0, style: Style(foreground: .rgb(255, 0, 0)))
        canvas.write("█", x: 3, y: 0, style: Style(foreground: .ansi(2), background: .rgb(0, 0, 255)))
        canvas.write("b", x: 1, y: 1, style: Style(bold: true, reverse: true))
        return canvas
    }

    @Test func textDropsTrailingBlanks() {
        #expect(CanvasExport.text(Self.canvas()) == "a< █\n b\n")
    }

    @Test func ansiSetsEachStyleOnceAndResetsEachLine() {
        let esc = "\u{1B}["
        #expect(CanvasExport.ansi(Self.canvas())
                == "\(esc)0;38;2;255;0;0;49ma<\(esc)0;39;49m \(esc)0;32;48;2;0;0;255m█\(esc)0m\n"
                 + "\(esc)0;39;49m \(esc)0;1;7;39;49mb\(esc)0;39;49m  \(esc)0m\n")
    }

    @Test func svgDrawsBackgroundsAndTextRunsInTheirColours() {
        let svg = CanvasExport.svg(Self.canvas(), foreground: RGBColor(0xEE, 0xEE, 0xEE), background: RGBColor(0x11, 0x11, 0x11))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"33.6\" height=\"34\" viewBox=\"0 0 33.6 34\">"))
        #expect(svg.contains("<rect width=\"100%\" height=\"100%\" fill=\"#111111\"/>"))
        #expect(svg.contains("<text x=\"0\" y=\"13.26\" fill=\"#ff0000\" textLength=\"16.8\" lengthAdjust=\"spacingAndGlyphs\">a&lt;</text>"))
        // The block's own background, and the reversed bold b: default colours swapped.
        #expect(svg.contains("<rect x=\"25.2\" y=\"0\" width=\"8.4\" height=\"17\" fill=\"#0000ff\"/>"))
        #expect(svg.contains("<rect x=\"8.4\" y=\"17\" width=\"8.4\" height=\"17\" fill=\"#eeeeee\"/>"))
        #expect(svg.contains("fill=\"#111111\" textLength=\"8.4\" lengthAdjust=\"spacingAndGlyphs\" font-weight=\"bold\">b</text>"))
        #expect(svg.hasSuffix("</g>\n</svg>\n"))
    }
}
