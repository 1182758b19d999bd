// What every label, marker and colour of the live screen means: the help overlay's glossary page.
// Data only; the overlay lays it out. Terms are written as the screen shows them with `glyphs`.

/// One glossary line: a label as it appears on screen, and what it means in plain words.
public struct GlossaryEntry: Equatable, Sendable {
    /// The label, marker or colour name as shown ("off 0.06 dec", "L1  L50").
    public var term: String
    /// One or two short sentences saying what it is.
    public var meaning: String

    /// Creates an entry.
    public init(term: String, meaning: String) { self.term = term; self.meaning = meaning }
}

/// Every label and colour of the live view, explained.
public enum HelpGlossary {
    /// Longest meaning, in characters: one line of the help box at 80 columns (78 - frame 4 - term 18 - gap 2).
    public static let meaningWidth = 54

    /// The glossary with the markers drawn in `glyphs` (Unicode by default), most needed first (colours, rows,
    /// mean-field line, axes), then the histograms, heat maps and statistics table; each meaning one line at 80
    /// columns (`meaningWidth`).
    public static func entries(glyphs: GlyphSet = .unicode) -> [GlossaryEntry] {
        let levels = glyphs.levels, top = levels[levels.count - 1]
        let state = { (health: Health) in String(glyphs.stateGlyph(health)) + " " + health.word }
        return [
            GlossaryEntry(term: state(.healthy), meaning: "variance in 1e-2..1e+2 and within 100x of layer 1"),
            GlossaryEntry(term: state(.vanishing), meaning: "below 1e-2, or fell over 100x from layer 1"),
            GlossaryEntry(term: state(.exploding), meaning: "above 1e+2, or grew over 100x from layer 1"),
            GlossaryEntry(term: state(.saturated), meaning: "tanh/sigmoid: over half the units at a bound"),
            GlossaryEntry(term: state(.dead), meaning: "over 70% of units exactly 0 (ReLU alone: about 50%)"),
            GlossaryEntry(term: state(.nonFinite), meaning: "NaN or inf: overflowed float32 (never shown as 0)"),
            GlossaryEntry(term: state(.pending), meaning: "not computed yet"),
            GlossaryEntry(term: "act variance", meaning: "variance of activations phi(h) by layer, 1 at left"),
            GlossaryEntry(term: "grad variance", meaning: "variance of dL/dh flowing back into each layer"),
            GlossaryEntry(term: "L1  L50", meaning: "the row's exact value at layer 1 and the last layer"),
            GlossaryEntry(term: "\(glyphs.layerMarkerAbove)L12 \(glyphs.layerMarker)",
                          meaning: "selected layer (left/right); exact value: table \"var\""),
            GlossaryEntry(term: "sel L12/50", meaning: "header: the selected layer, apart from progress"),
            GlossaryEntry(term: "log10 per row", meaning: "log axes: act, grad of each row their own; S: shared"),
            GlossaryEntry(term: "16d", meaning: "row's end: its bars' full height spans 16 decades"),
            GlossaryEntry(term: "\(top) bars", meaning: "one column per layer, or per group of layers"),
            GlossaryEntry(term: "mean-field", meaning: "theory's var x and var dL/dh for the focused row"),
            GlossaryEntry(term: "off 0.06 dec", meaning: "largest gap row vs line: 0.3 dec = 2x, 1 dec = 10x"),
            GlossaryEntry(term: "finite-width band", meaning: "chi1 = 1: ln q drifts, sd sqrt(5 l / n); band +-2 sd"),
            GlossaryEntry(term: "band x0.2..3.1", meaning: "that band as factors on mean field at the last layer"),
            GlossaryEntry(term: "no prediction", meaning: "mean field has no formula here (\"waiting\": not yet)"),
            GlossaryEntry(term: "chi1", meaning: "mean-field gain per layer: 1 steady, <1 fade, >1 grow"),
            GlossaryEntry(term: "\(glyphs.focus) name", meaning: "focused row: mean field, panels, caption are its"),
            GlossaryEntry(term: "g: linear", meaning: "histograms in value on a fixed axis, shown in title"),
            GlossaryEntry(term: "g: log10|x|", meaning: "histograms of log10|value|; \"N zeros\" = exact zeros"),
            GlossaryEntry(term: "\(glyphs.underflow)N  N\(glyphs.overflow)", meaning: "values left / right of the histogram axis"),
            GlossaryEntry(term: "\(glyphs.nonFinite)N", meaning: "NaN or inf values, counted"),
            GlossaryEntry(term: "log10|x| by layer", meaning: "heat map: layers across (axis below), |x| up"),
            GlossaryEntry(term: "var", meaning: "variance at the selected layer, as the rows print it"),
            GlossaryEntry(term: "mean, std", meaning: "of the finite values: activations (act), dL/dh (grad)"),
            GlossaryEntry(term: "satur.", meaning: "share of activations within 1% of a bound"),
            GlossaryEntry(term: "dead", meaning: "share of values exactly 0"),
            GlossaryEntry(term: "non-fin", meaning: "how many values are NaN or inf"),
            GlossaryEntry(term: "q meas", meaning: "measured mean of h^2 (act) and of (dL/dh)^2 (grad)"),
            GlossaryEntry(term: "q MF", meaning: "the same as mean field predicts it"),
            GlossaryEntry(term: "LSUV it", meaning: "LSUV rescalings of the layer; * = did not converge"),
            GlossaryEntry(term: "2 3 (loss chart)", meaning: "that many rows' held-out curves meet in the cell"),
        ]
    }
}
