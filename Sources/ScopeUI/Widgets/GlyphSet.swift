// The characters widgets draw with, as data: one set for UTF-8 terminals, one for plain ASCII.

/// Every glyph a widget uses; swap the set to draw the same screen in Unicode or ASCII.
public struct GlyphSet: Equatable, Sendable {
    /// The set's name ("unicode", "ascii").
    public var name: String
    /// Sparkline levels from lowest to highest (a one-row bar of `levels.count` heights).
    public var levels: [Character]
    /// Partial bar tops for vertical bars: index k = k eighths filled, 0...8 (9 entries).
    public var eighths: [Character]
    /// A layer not computed yet.
    public var pending: Character
    /// A non-finite value (NaN or infinity).
    public var nonFinite: Character
    /// Underflow marker (values left of a histogram's range).
    public var underflow: Character
    /// Overflow marker (values right of a histogram's range).
    public var overflow: Character
    /// Marker of the focused row.
    public var focus: Character
    /// Marker of the selected layer below its column (points up at it).
    public var layerMarker: Character
    /// Marker of the selected layer above its column (points down at it).
    public var layerMarkerAbove: Character = "▼"
    /// A mean-field prediction point.
    public var prediction: Character
    /// Box drawing: horizontal, vertical, and the corners top-left, top-right, bottom-left, bottom-right.
    public var horizontal: Character, vertical: Character
    public var topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character
    /// Density shades from empty to full, for heat maps (5 entries).
    public var shades: [Character] = [" ", "░", "▒", "▓", "█"]
    /// One glyph per health state (healthy, vanishing, exploding, saturated, dead, non-finite), in that order:
    /// what tells the states apart where colour is gone (mono theme, NO_COLOR, vt100) and what the legend shows.
    public var states: [Character] = ["█", "↓", "↑", "≈", "○", "×"]
    /// Ends a text cut to fit (the status line's message): a cut text must not pass for a whole one.
    public var ellipsis = "…"
    /// Arrows named in the help and status line (left, right, up, down).
    public var arrows: (left: String, right: String, up: String, down: String)

    /// Same name and drawing glyphs (the arrow names follow from the name).
    public static func == (a: GlyphSet, b: GlyphSet) -> Bool { a.name == b.name && a.levels == b.levels && a.eighths == b.eighths && a.shades == b.shades && a.states == b.states }

    /// Unicode eighth blocks and box drawing, for UTF-8 terminals.
    public static let unicode = GlyphSet(
        name: "unicode", levels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        eighths: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        pending: "·", nonFinite: "×", underflow: "◀", overflow: "▶", focus: "▶", layerMarker: "▲", prediction: "•",
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        arrows: ("←", "→", "↑", "↓"))

    /// Seven-bit ASCII only, for `--ascii` and non-UTF-8 locales.
    public static let ascii = GlyphSet(
        name: "ascii", levels: ["_", ".", ":", "-", "=", "+", "*", "#", "%", "@"],
        eighths: [" ", " ", ".", ".", ":", ":", "|", "|", "#"],
        pending: " ", nonFinite: "!", underflow: "<", overflow: ">", focus: ">", layerMarker: "|", prediction: "o",
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        arrows: ("left", "right", "up", "down")).with {
            $0.shades = [" ", ".", ":", "*", "#"]
            $0.states = ["#", "v", "^", "~", "o", "!"]
            $0.layerMarkerAbove = "|"
            $0.ellipsis = "..."
        }

    /// The glyph standing for `health` (pending: the pending glyph, blank in ASCII).
    public func stateGlyph(_ health: Health) -> Character {
        switch health {
        case .pending: return pending
        case .healthy: return states[0]
        case .vanishing: return states[1]
        case .exploding: return states[2]
        case .saturated: return states[3]
        case .dead: return states[4]
        case .nonFinite: return states[5]
        }
    }

    /// A copy changed by `edit`.
    public func with(_ edit: (inout GlyphSet) -> Void) -> GlyphSet {
        var copy = self
        edit(&copy)
        return copy
    }
}
