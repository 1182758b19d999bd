// Colours and text attributes of one terminal cell, independent of ncurses.

/// A colour as a theme or widget asks for it; the screen degrades it to what the terminal can show.
public enum TerminalColor: Equatable, Hashable, Sendable {
    /// The terminal's own default foreground or background.
    case `default`
    /// One of the 16 ANSI colours (0-7 normal, 8-15 bright).
    case ansi(UInt8)
    /// An index into the xterm 256-colour palette.
    case indexed(UInt8)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)
}

/// How many colours a terminal can show, from none to 24-bit.
public enum ColorDepth: Int, Comparable, CaseIterable, Sendable {
    case monochrome = 0, ansi8 = 8, ansi16 = 16, indexed256 = 256, truecolor = 16_777_216
    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }
}

/// Foreground, background and attributes of one cell.
public struct Style: Equatable, Hashable, Sendable {
    /// Text colour.
    public var foreground: TerminalColor
    /// Cell background colour.
    public var background: TerminalColor
    /// Bold (bright) text.
    public var bold: Bool
    /// Dim (faint) text.
    public var dim: Bool
    /// Foreground and background swapped.
    public var reverse: Bool
    /// Underlined text.
    public var underline: Bool

    /// Creates a style; every attribute off by default.
    public init(foreground: TerminalColor = .default, background: TerminalColor = .default,
                bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground; self.background = background
        self.bold = bold; self.dim = dim; self.reverse = reverse; self.underline = underline
    }

    /// The terminal's default look.
    public static let plain = Style()
}
