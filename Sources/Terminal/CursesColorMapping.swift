// Pure mapping from Style colours to curses colour numbers and pairs, kept apart from CursesScreen so it can be
// tested without a terminal. Curses colour numbers: -1 = the terminal's default (use_default_colors), 0-255 =
// palette index, and on direct-colour terminfo (COLORS = 2^24, e.g. xterm-direct) r<<16 | g<<8 | b for 24-bit
// colours, where values below 8 still mean the ANSI colours.

/// Colour numbers as curses takes them.
public enum CursesColorMapping {
    /// The curses colour number for `color` on a terminal of `depth`; `directColor` when terminfo is direct-colour.
    /// The colour is first degraded to `depth` (monochrome gives -1, the default).
    public static func colorNumber(for color: TerminalColor, depth: ColorDepth, directColor: Bool) -> Int32 {
        let shown = color.degraded(to: depth)
        switch shown {
        case .default: return -1
        case .ansi(let index):
            return depth >= .ansi16 ? Int32(index % 16) : Int32(index % 8)
        case .indexed(let index):
            if directColor { return packed(XtermPalette.colors[Int(index)]) }
            return Int32(index)
        case .rgb(let r, let g, let b):
            if directColor { return packed(RGBColor(r, g, b)) }
            // Not reachable after degradation to a non-truecolor depth; keep the nearest palette index anyway.
            return Int32(XtermPalette.nearestIndex(to: RGBColor(r, g, b), among: 16..<256))
        }
    }

    /// r<<16 | g<<8 | b, bumped to 8 when it would collide with the ANSI range 0-7 of direct-colour terminfo.
    static func packed(_ color: RGBColor) -> Int32 {
        let value = Int32(color.red) << 16 | Int32(color.green) << 8 | Int32(color.blue)
        return value < 8 ? 8 : value
    }
}

/// Colour pairs allocated on demand: (foreground, background) -> pair number 1...capacity-1; pair 0 is the
/// terminal default and is returned when the table is full.
public struct ColorPairTable: Sendable {
    /// Pair numbers available (COLOR_PAIRS); numbers 1 ..< capacity are handed out.
    public let capacity: Int
    private var pairs: [ColorPairKey: Int32] = [:]

    /// A foreground/background couple of curses colour numbers.
    public struct ColorPairKey: Hashable, Sendable {
        /// Foreground colour number.
        public var foreground: Int32
        /// Background colour number.
        public var background: Int32
    }

    /// An empty table for `capacity` pairs.
    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Number of pairs handed out.
    public var count: Int { pairs.count }

    /// The pair for (foreground, background) and whether it is new (the caller must then init_pair it).
    /// Default/default is pair 0; a full table answers 0 (default colours) rather than failing.
    public mutating func pair(foreground: Int32, background: Int32) -> (number: Int32, isNew: Bool) {
        if foreground == -1 && background == -1 { return (0, false) }
        let key = ColorPairKey(foreground: foreground, background: background)
        if let number = pairs[key] { return (number, false) }
        guard pairs.count + 1 < capacity else { return (0, false) }
        let number = Int32(pairs.count + 1)
        pairs[key] = number
        return (number, true)
    }
}
