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
    /// The glossary with the markers drawn in `glyphs` (Unicode by default), in screen order: rows, mean-field
    /// line, legend and colours, histograms, heat maps, statistics table.
    public static func entries(glyphs: GlyphSet = .unicode) -> [GlossaryEntry] {
        let levels = glyphs.levels, top = levels[levels.count - 1]
        let state = { (health: Health) in String(glyphs.stateGlyph(health)) + " " + health.word }
        return [
            GlossaryEntry(term: "act variance", meaning: "variance of the activations x = phi(h) at each layer, "
                + "left = layer 1, right = last layer; bar height on the row's log10 scale"),
            GlossaryEntry(term: "grad variance", meaning: "variance of dL/dh, the gradient flowing back into each "
                + "layer (computed top-down by the backward pass)"),
            GlossaryEntry(term: "L1  L50", meaning: "the row's exact value at layer 1 and at the last layer, "
                + "coloured like that layer; the caption's numbers are these"),
            GlossaryEntry(term: "\(glyphs.focus) name", meaning: "the focused initializer: the mean-field line, "
                + "histograms, table and caption are about it"),
            GlossaryEntry(term: "\(glyphs.layerMarkerAbove)L12 \(glyphs.layerMarker)", meaning: "the selected layer, marked "
                + "above and below its column (left/right move it); its exact value is the table's \"var\" row"),
            GlossaryEntry(term: "mean-field", meaning: "infinite-width theory (reference section 3) for the focused "
                + "initializer, started from the measured layer 1: predicted q(h) and E[(dL/dh)^2]"),
            GlossaryEntry(term: "off 0.06 dec", meaning: "largest gap between measurement and mean field so far, in "
                + "decades of 10x: 0.3 dec = 2x, 1 dec = 10x"),
            GlossaryEntry(term: "band x0.2..3.1", meaning: "where mean field is marginal: the finite-width band, as "
                + "factors on the prediction at the last layer"),
            GlossaryEntry(term: "finite-width band", meaning: "where chi1 = 1 (ReLU+He), layers of finite width "
                + "drift at random: ln q wanders about sqrt(5 l / n); the band is +-2 of that around mean field"),
            GlossaryEntry(term: "no prediction", meaning: "mean field has no formula for this scenario; "
                + "\"waiting\" means the run has not reached it yet"),
            GlossaryEntry(term: "log10 row 1e-04..1e+02", meaning: "the value axis of the sparklines, bottom and top "
                + "in powers of ten: each row its own (the focused row's is shown), or one shared by all rows (S)"),
            GlossaryEntry(term: "sel L12/50", meaning: "header: the selected layer, apart from the run's progress"),
            GlossaryEntry(term: state(.healthy), meaning: "variance within 1e-2..1e+2 and within 100x of layer 1, "
                + "few saturated or dead units"),
            GlossaryEntry(term: state(.vanishing), meaning: "variance below 1e-2, or fallen more than 100x from "
                + "layer 1: the signal fades with depth"),
            GlossaryEntry(term: state(.exploding), meaning: "variance above 1e+2, or grown more than 100x from "
                + "layer 1: the signal blows up with depth"),
            GlossaryEntry(term: state(.saturated), meaning: "tanh or sigmoid: more than half the units within 1% of "
                + "a bound, so phi' is near 0 there"),
            GlossaryEntry(term: state(.dead), meaning: "more than 70% of units exactly 0 (ReLU passes about 50%): "
                + "those units pass no gradient"),
            GlossaryEntry(term: state(.nonFinite), meaning: "NaN or inf: the values overflowed float32 (never shown "
                + "as 0 or as vanishing)"),
            GlossaryEntry(term: state(.pending), meaning: "not computed yet"),
            GlossaryEntry(term: "\(top) bars", meaning: "each column is one layer, or a group of layers on narrow "
                + "screens (the group shows its last layer)"),
            GlossaryEntry(term: "g: linear", meaning: "histograms in value; the axis is fixed ([-1, 1] tanh, [0, 1] "
                + "sigmoid, else symmetric per scenario) and printed under the bars"),
            GlossaryEntry(term: "g: log10|x|", meaning: "histograms of log10 of |value| in decades; exact zeros "
                + "cannot be shown there and are counted as \"N zeros\""),
            GlossaryEntry(term: "\(glyphs.underflow)N  N\(glyphs.overflow)", meaning: "values left / right of the "
                + "histogram's axis, counted"),
            GlossaryEntry(term: "\(glyphs.nonFinite)N", meaning: "NaN or inf values, counted"),
            GlossaryEntry(term: "log10|x| by layer", meaning: "heat map: one column per layer (axis below), "
                + "magnitude up the side; darker/brighter = more values"),
            GlossaryEntry(term: "var", meaning: "variance at the selected layer, exactly as the rows print it"),
            GlossaryEntry(term: "mean, std", meaning: "of the finite values of the selected layer: activations "
                + "(act) and dL/dh (grad)"),
            GlossaryEntry(term: "satur.", meaning: "share of activations within 1% of a bound (tanh, sigmoid)"),
            GlossaryEntry(term: "dead", meaning: "share of values exactly 0"),
            GlossaryEntry(term: "non-fin", meaning: "how many values are NaN or inf"),
            GlossaryEntry(term: "q meas", meaning: "measured mean of h^2 (act) and of (dL/dh)^2 (grad)"),
            GlossaryEntry(term: "q MF", meaning: "the same as mean field predicts it"),
            GlossaryEntry(term: "LSUV it", meaning: "how many times LSUV rescaled this layer's weights; "
                + "* = it did not reach variance 1 within its limit"),
            GlossaryEntry(term: "chi1", meaning: "mean-field gain per layer at the fixed point: 1 keeps signals "
                + "steady, below 1 they fade, above 1 they grow"),
        ]
    }
}
