// Colour degradation: what a colour becomes on a terminal that shows fewer colours.
// truecolor keeps everything; 256 maps rgb into the cube + grey ramp (16-255); 16 maps to the ANSI colours;
// 8 maps bright ANSI to normal and anything else to the nearest of 0-7; monochrome drops colour (`.default`).
// "Nearest" is the smallest CIEDE2000 delta E (CIELAB, D65) against xterm's default palette (XtermPalette).

extension TerminalColor {
    /// The sRGB value this colour shows on xterm's default palette; nil for `.default` (the terminal's own).
    public var rgbValue: RGBColor? {
        switch self {
        case .default: return nil
        case .ansi(let index): return XtermPalette.ansi[Int(index % 16)]
        case .indexed(let index): return XtermPalette.colors[Int(index)]
        case .rgb(let r, let g, let b): return RGBColor(r, g, b)
        }
    }

    /// The sRGB value, with `.default` resolved to `fallback` (the theme's assumed terminal colour).
    public func rgbValue(defaultingTo fallback: RGBColor) -> RGBColor { rgbValue ?? fallback }

    /// This colour as a terminal of `depth` can show it; never returns a colour the depth cannot show.
    public func degraded(to depth: ColorDepth) -> TerminalColor {
        switch (depth, self) {
        case (_, .default), (.truecolor, _): return self
        case (.monochrome, _): return .default
        case (.indexed256, .ansi), (.indexed256, .indexed): return self
        case (.indexed256, .rgb(let r, let g, let b)):
            return .indexed(UInt8(XtermPalette.nearestIndex(to: RGBColor(r, g, b), among: 16..<256)))
        case (.ansi16, .ansi(let index)): return .ansi(index % 16)
        case (.ansi16, .indexed(let index)) where index < 16: return .ansi(index)
        case (.ansi16, _):
            return .ansi(UInt8(XtermPalette.nearestIndex(to: rgbValue!, among: 0..<16)))
        case (.ansi8, .ansi(let index)): return .ansi(index % 8)
        case (.ansi8, .indexed(let index)) where index < 16: return .ansi(index % 8)
        case (.ansi8, _):
            return .ansi(UInt8(XtermPalette.nearestIndex(to: rgbValue!, among: 0..<8)))
        }
    }
}
