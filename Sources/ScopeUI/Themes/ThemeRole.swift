// The single-colour roles of a theme, their file keys, and per-role attributes and fallbacks.
import Foundation
import Terminal

/// A single-colour role; the list roles (series, ramp) are separate arrays on `Theme`.
public enum ThemeRole: String, CaseIterable, Hashable, Sendable {
    /// Screen background, text, secondary text, headings/focus, panel borders, selected-row background.
    case background, text, mutedText = "muted", accent, border, selection
    /// Variance healthy, vanishing or exploding with depth; NaN/inf present.
    case healthy, vanishing, exploding, nonFinite = "non-finite"
    /// Units that pass almost no gradient: saturated (tanh, sigmoid) or dead (ReLU).
    case saturated

    /// The key a theme file uses for this role ("muted", "non-finite").
    public var key: String { rawValue }

    /// The role for a theme-file key, accepting "muted-text" and "non_finite" spellings too.
    public init?(key: String) {
        let normalized = key.lowercased().replacingOccurrences(of: "_", with: "-")
        switch normalized {
        case "muted-text", "mutedtext": self = .mutedText
        case "nonfinite": self = .nonFinite
        default: self.init(rawValue: normalized)
        }
    }
}

/// Text attributes a role adds to its style (bit set).
public struct TextAttributes: OptionSet, Hashable, Sendable {
    /// The attribute bits.
    public let rawValue: UInt8
    /// Creates attributes from bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Bold.
    public static let bold = TextAttributes(rawValue: 1)
    /// Dim (faint).
    public static let dim = TextAttributes(rawValue: 2)
    /// Reverse video.
    public static let reverse = TextAttributes(rawValue: 4)
    /// Underline.
    public static let underline = TextAttributes(rawValue: 8)

    /// Names a theme file uses, in bit order.
    public static let names: [(String, TextAttributes)] =
        [("bold", .bold), ("dim", .dim), ("reverse", .reverse), ("underline", .underline)]

    /// The attribute for a file name ("bold"), nil if unknown.
    public init?(name: String) {
        guard let match = Self.names.first(where: { $0.0 == name.lowercased() }) else { return nil }
        self = match.1
    }

    /// `style` with these attributes switched on.
    public func applied(to style: Style) -> Style {
        var result = style
        if contains(.bold) { result.bold = true }
        if contains(.dim) { result.dim = true }
        if contains(.reverse) { result.reverse = true }
        if contains(.underline) { result.underline = true }
        return result
    }
}

/// Explicit replacements of a colour on 16- and 8-colour terminals (nil = degrade automatically).
public struct ColorFallback: Equatable, Hashable, Sendable {
    /// Colour on a 16-colour terminal.
    public var ansi16: TerminalColor?
    /// Colour on an 8-colour terminal.
    public var ansi8: TerminalColor?

    /// Creates a fallback pair.
    public init(ansi16: TerminalColor? = nil, ansi8: TerminalColor? = nil) {
        self.ansi16 = ansi16; self.ansi8 = ansi8
    }

    /// `color` as a terminal of `depth` shows it, honouring these fallbacks (8 colours falls back to the
    /// 16-colour choice before automatic degradation).
    public func resolve(_ color: TerminalColor, at depth: ColorDepth) -> TerminalColor {
        switch depth {
        case .ansi16: return (ansi16 ?? color).degraded(to: .ansi16)
        case .ansi8: return (ansi8 ?? ansi16 ?? color).degraded(to: .ansi8)
        default: return color.degraded(to: depth)
        }
    }
}
