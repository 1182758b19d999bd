// The legend line: the sparklines' value axis, one glyph + word per state in the state's colour, and the
// histogram mode. Fits its width by shorter words first, then by leaving the axis out; never cuts a word.
import SignalFlow
import Terminal

/// Says what each colour and glyph of the rows means.
public struct Legend {
    /// The value-axis text ("log10 1e-16..1e+00"), nil to leave it out.
    public var scaleText: String?
    /// The states to explain, in order.
    public var states: [Health]
    /// The histogram-mode note ("g: linear").
    public var note: String

    /// Creates a legend.
    public init(scaleText: String?, states: [Health], note: String) {
        self.scaleText = scaleText; self.states = states; self.note = note
    }

    /// The states that can occur with `activation`: saturated for bounded ones, dead for the ReLU family.
    public static func states(for activation: Activation) -> [Health] {
        var result: [Health] = [.healthy, .vanishing, .exploding]
        if activation.isBounded { result.append(.saturated) }
        switch activation {
        case .relu, .leakyRelu: result.append(.dead)
        default: break
        }
        return result + [.nonFinite, .pending]
    }

    /// The pieces of the line for one level of brevity: 0 everything in full words; 1 without "pending";
    /// 2 without the note; 3 without the axis; 4 short words with axis and note; 5 short words alone.
    /// Each piece is (text, state or nil).
    func pieces(level: Int, glyphs: GlyphSet) -> [(String, Health?)] {
        var result: [(String, Health?)] = []
        if let scaleText, level != 3 && level != 5 { result.append((" " + scaleText + " ", nil)) }
        for state in states {
            let glyph = glyphs.stateGlyph(state)
            if state == .pending && (glyph == " " || level >= 1) { continue }   // a blank needs no legend (ASCII)
            result.append((" ", nil))
            result.append((String(glyph) + (level < 4 ? state.word : state.shortWord), state))
        }
        if level < 2 || level == 4 { result.append(("  " + note, nil)) }
        return result
    }

    /// Draws into the first line of `rect`, with the most detailed level that fits.
    public func draw(into canvas: inout Canvas, rect: Rect, glyphs: GlyphSet, theme: Theme) {
        guard !rect.isEmpty else { return }
        let chosen = (0...5).lazy.map { self.pieces(level: $0, glyphs: glyphs) }
            .first { $0.reduce(0) { $0 + $1.0.count } <= rect.width } ?? pieces(level: 5, glyphs: glyphs)
        var x = rect.x
        for (text, state) in chosen {
            x = canvas.write(text, x: x, y: rect.y, style: theme.style(state?.role ?? .mutedText), clip: rect)
        }
    }
}
