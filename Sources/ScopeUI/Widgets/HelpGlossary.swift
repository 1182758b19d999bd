// What every label, marker and colour of the live screen means: the help overlay's second page.
// Data only; the overlay lays it out. (Stub by view-time: view-honest writes the full content.)

/// One glossary line: a label as it appears on screen, and what it means in plain words.
public struct GlossaryEntry: Equatable, Sendable {
    /// The label, marker or colour name as shown ("off 0.06 dec", "first/last").
    public var term: String
    /// One or two short sentences saying what it is.
    public var meaning: String

    /// Creates an entry.
    public init(term: String, meaning: String) { self.term = term; self.meaning = meaning }
}

/// Every label and colour of the live view, explained.
public enum HelpGlossary {
    /// The glossary with the markers drawn in `glyphs`, in screen order.
    public static func entries(glyphs: GlyphSet = .unicode) -> [GlossaryEntry] {
        [
            GlossaryEntry(term: "act variance", meaning: "variance of the activations at each layer, left = layer 1"),
            GlossaryEntry(term: "grad variance", meaning: "variance of dL/dh flowing back into each layer"),
            GlossaryEntry(term: "first/last", meaning: "the value at layer 1 and at the last layer"),
            GlossaryEntry(term: "log10 row/shared", meaning: "sparkline scale: one per row, or shared by all rows (S)"),
            GlossaryEntry(term: "sel L12/50", meaning: "the selected layer (left/right), apart from the run's progress"),
        ]
    }
}
