// The caption of residual and transformer rows: how the stream's variance changes block by block (additively or by
// a factor, whichever the run's middle block says) and how much larger the gradient's variance is at block 1 than
// at the last block, every figure from the numbers the row prints.
// Legend: L = blocks; Q_1, Q_m, Q_L = the stream's variance at blocks 1, m = (L + 1) / 2 and L as the row prints
// them; g_1, g_L = the stream gradient's variance at blocks 1 and L.
import Foundation

extension Caption {
    /// The messages of a residual or transformer row with a complete forward pass, longest first; nil when the
    /// stream and its gradient both hold (the general messages say so), fewer than 3 blocks are known, or a
    /// number is not finite. "Additively" when the middle block lies nearer the straight line from Q_1 to Q_L
    /// than the geometric one (pre-LN's Q_l = Q_{l-1} + G; reference 2.10), with the mean step (Q_L - Q_1) /
    /// (L - 1) of the measured values; else the factor per block. The gradient clause only once the backward pass reached block 1 and
    /// g_1 / g_L is outside `holdsRange`.
    static func streamMessages(run: RunData) -> [String]? {
        let depth = run.layers.count
        let variances = run.perLayer.variances(.activation)
        guard depth >= 3, run.forwardCount == depth, run.perLayer.nonFiniteCount.allSatisfy({ $0 == 0 }),
              let first = variances[0], let middle = variances[(depth - 1) / 2], let last = variances[depth - 1],
              let shownFirst = Double(tableNumber(first)), let shownLast = Double(tableNumber(last)),
              shownFirst > 0, shownLast > 0, middle > 0 else { return nil }
        let firstText = tableNumber(first), lastText = tableNumber(last), steps = depth - 1
        let span = "\(firstText) at block 1, \(lastText) at block \(depth)"
        let arrow = "\(firstText) -> \(lastText)"
        let stream: (long: String, short: String)
        if holdsRange.contains(shownLast / shownFirst) {
            stream = ("stream variance holds: \(span)", "stream holds, \(arrow)")
        } else {
            let fraction = Double((depth - 1) / 2) / Double(steps)
            let straight = shownFirst + (shownLast - shownFirst) * fraction
            let geometric = shownFirst * pow(shownLast / shownFirst, fraction)
            if abs(log(middle / straight)) < abs(log(middle / geometric)) {
                // The mean step from the measured values (the row prints 1192 as 1.2e+03; the step stays +1.19).
                let step = (last - first) / Double(steps)
                let stepText = (step >= 0 ? "+" : "-") + format(abs(step))
                let verb = step >= 0 ? "grows" : "shrinks"
                stream = ("stream variance \(verb) additively, \(stepText) per block on average: \(span)",
                          "stream \(stepText)/block, \(arrow)")
            } else {
                let factor = perLayerFactor(total: last / first, steps: steps, first: shownFirst, last: lastText)
                let verb = shownLast > shownFirst ? "grows" : "shrinks"
                stream = ("stream variance \(verb) x\(factor) each block: \(span)", "stream x\(factor)/block, \(arrow)")
            }
        }
        let gradients = run.perLayer.variances(.activationGradient)
        var gradient: (long: String, short: String)? = nil
        if let bottom = gradients[0], let top = gradients[depth - 1], let shownBottom = Double(tableNumber(bottom)),
           let shownTop = Double(tableNumber(top)), shownBottom > 0, shownTop > 0,
           !holdsRange.contains(shownBottom / shownTop) {
            let ratio = NumberFormat.compact(shownBottom / shownTop)
            gradient = ("gradient variance x\(ratio) from block \(depth) down to block 1", "gradient x\(ratio) to block 1")
        }
        guard let gradient else {
            return holdsRange.contains(shownLast / shownFirst) ? nil : [stream.long, stream.short]
        }
        return ["\(stream.long); \(gradient.long)", "\(stream.short); \(gradient.long)", "\(stream.short); \(gradient.short)",
                stream.long, stream.short]
    }
}
