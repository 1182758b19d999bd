// The status line: the current message (it expires after a few seconds), then as many key hints as fit, most
// essential first (KeyMap's hint order), so ? help and q quit always show.
import Terminal

/// The bottom line of the live view.
public struct StatusBar: Equatable {
    /// The message, empty for none.
    public var message: String
    /// Key hints in the order they should show ("?:help", "q:quit", ...).
    public var hints: [String]
    /// Ends a message cut to fit (`GlyphSet.ellipsis`).
    public var ellipsis: String

    /// A status line of `message` and `hints`; a message cut to fit ends with `ellipsis`.
    public init(message: String, hints: [String], ellipsis: String = GlyphSet.unicode.ellipsis) {
        self.message = message; self.hints = hints; self.ellipsis = ellipsis
    }

    /// The hints that fit in `width` cells after the message (at least the first two when the width allows).
    public func fittingHints(width: Int) -> [String] {
        let used = message.isEmpty ? 0 : message.count + 3
        var shown: [String] = [], length = 0
        for hint in hints {
            let next = length + (shown.isEmpty ? 0 : 1) + hint.count
            if used + next > width { break }
            shown.append(hint); length = next
        }
        return shown
    }

    /// Draws the message (accent) then " | " and the hints (muted) into the first line of `rect`. A long message
    /// is cut at the width and ends with the ellipsis, keeping the two essential hints when they fit.
    public func draw(into canvas: inout Canvas, rect: Rect, theme: Theme) {
        guard !rect.isEmpty else { return }
        let essential = hints.prefix(2).joined(separator: " ")
        var shownMessage = message
        if !message.isEmpty && message.count + 3 + essential.count > rect.width {
            let room = max(0, rect.width - 3 - essential.count)
            shownMessage = room > ellipsis.count ? String(message.prefix(room - ellipsis.count)) + ellipsis
                : String(message.prefix(room))
        }
        var x = rect.x
        if !shownMessage.isEmpty {
            x = canvas.write(shownMessage + " | ", x: x, y: rect.y, style: theme.style(.accent), clip: rect)
        }
        let shown = StatusBar(message: shownMessage, hints: hints).fittingHints(width: rect.width)
        canvas.write(shown.joined(separator: " "), x: x, y: rect.y, style: theme.style(.mutedText), clip: rect)
    }
}
