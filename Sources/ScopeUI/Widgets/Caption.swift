// The one-line plain-words caption, derived from the numbers the rows show for the focused run.
// Legend: L = depth; l = last layer revealed; v_1, v_l = activation variance at layers 1 and l as the row prints them.
import Foundation
import SignalFlow

/// Builds the sentence that says what the user is looking at and why, in phrasings from long to short.
public enum Caption {
    /// `text` fitted to `width` columns: unchanged when it fits, else cut at the last space that leaves room for
    /// "...", so a number is never shown cut short (x2.2e+53 must not read as x2.2e+5).
    public static func fitted(_ text: String, width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 3 else { return String(repeating: ".", count: max(0, width)) }
        let room = text.prefix(width - 3)
        guard let space = room.lastIndex(of: " ") else { return "..." }
        return String(room[..<space]) + "..."
    }

    /// The longest phrasing of the caption that fits `width` columns; the shortest one cut at a space when none
    /// fits (never a cut number).
    public static func text(for state: AppState, width: Int = Int.max) -> String {
        let options = phrasings(for: state)
        return options.first { $0.count <= width } ?? fitted(options.last ?? "", width: width)
    }

    /// A number as the rows' first/last columns print it (7 characters at most), so caption and table agree.
    public static func tableNumber(_ value: Double) -> String { NumberFormat.compact(value, maxWidth: 7) }

    /// Every phrasing of the caption for `state`, longest first: the full subject ("ReLU with xavier") and
    /// message, then the initializer name alone, then shorter messages.
    public static func phrasings(for state: AppState) -> [String] {
        if let training = TrainingCaption.phrasings(for: state) { return training }
        guard let named = state.focusedInitializer, let run = state.focusedRun else { return ["no initializer to show"] }
        var subjects = ["\(state.scenario.activation.displayName) with \(named.name)", named.name]
        var messages = Caption.messages(run: run, activation: state.scenario.activation, width: state.scenario.width)
        // A residual network: the rows show the stream block by block; say so ("ReLU resnet, no norm, with he:
        // stream variance grows x3.0 each block").
        let architecture = ArchitectureRows.architecture(of: named, in: state.scenario.architecture)
        if architecture != .mlp {
            let norm = architecture.normalizationName == "none" ? "no norm" : architecture.normalizationName
            subjects = ["\(state.scenario.activation.displayName) \(architecture.name), \(norm), with \(named.name)", named.name]
            messages = (streamMessages(run: run) ?? []) + messages.map { message in
                let blocks = message.replacingOccurrences(of: "layer", with: "block")
                return blocks.hasPrefix("variance ") ? "stream " + blocks : blocks
            }
        }
        var result: [String] = []
        for message in messages {
            for subject in subjects { result.append("\(subject): \(message)") }
        }
        return result
    }

    /// The message after the subject, longest first (at least one).
    static func messages(run: RunData, activation: Activation, width: Int) -> [String] {
        let depth = run.layers.count, known = run.forwardCount
        if known == 0 { return ["waiting for the first layer", "waiting"] }
        let gradientBad = run.perLayer.stats(.activationGradient).lastIndex { ($0?.nonFiniteCount ?? 0) > 0 }.map { $0 + 1 }
        let activations = run.perLayer.stats(.activation), preactivations = run.perLayer.stats(.preactivation)
        if let bad = activations.indices.first(where: { (activations[$0]?.nonFiniteCount ?? 0) > 0
                                                       || (preactivations[$0]?.nonFiniteCount ?? 0) > 0 }) {
            let tail = gradientBad == nil ? "" : ", gradients inf/NaN"
            return ["the signal overflows float32: inf/NaN from layer \(bad + 1) on\(tail)",
                    "inf/NaN from layer \(bad + 1) on\(tail)", "inf/NaN from L\(bad + 1) on"]
        }
        if let bad = gradientBad {
            return ["gradients overflow float32: inf/NaN from layer \(bad) down", "gradients inf/NaN from L\(bad) down"]
        }
        let variances = run.perLayer.variances(.activation)
        guard let firstIndex = variances.firstIndex(where: { $0 != nil }),
              let lastIndex = variances.lastIndex(where: { $0 != nil }),
              let first = variances[firstIndex], let last = variances[lastIndex] else {
            return ["waiting for the first layer", "waiting"]
        }
        let layer = lastIndex + 1
        let progress = known < depth ? [" (\(known)/\(depth) layers so far)", " (\(known)/\(depth))"] : ["", ""]
        let top = run.report(layer: layer)?.stats(.activation)
        if activation.isBounded, let saturated = top?.saturatedFraction, saturated > Health.saturatedLimit {
            let percent = NumberFormat.percent(saturated)
            let gradients = gradientRatio(run).map { ($0 >= 1 ? "grow x" : "shrink x") + NumberFormat.compact($0) }
            var result: [String] = []
            if let gradients {
                result.append("\(percent) of units saturated at layer \(layer), gradients \(gradients) toward the input\(progress[0])")
                result.append("\(percent) saturated at L\(layer), gradients \(gradients) to the input\(progress[1])")
            }
            result.append("\(percent) of units saturated at layer \(layer)\(progress[0])")
            result.append("\(percent) saturated at L\(layer)\(progress[1])")
            return result
        }
        // Every value exactly 0, the pre-activations too, is not dead units (those have negative pre-activations):
        // the weights are zero, or the signal shrank below float32's smallest number (vanishing taken to its end).
        // Scanned only when the last layer's are all 0 (the caption is built every frame).
        func allZero(_ stats: SummaryStats?) -> Bool { (stats?.zeroFraction ?? 0) >= 1 }
        if allZero(preactivations[lastIndex]), let from = preactivations.firstIndex(where: allZero) {
            if run.report(layer: from + 1)?.stats(.weight)?.variance == 0 {
                return ["all weights 0: every unit is exactly 0 from layer \(from + 1)\(progress[0])",
                        "weights 0: every unit 0 from L\(from + 1)\(progress[1])"]
            }
            return ["the signal underflows float32: exactly 0 from layer \(from + 1) on\(progress[0])",
                    "underflow: exactly 0 from L\(from + 1) on\(progress[1])"]
        }
        if let dead = top?.zeroFraction, dead > Health.deadLimit {
            let percent = NumberFormat.percent(dead)
            return ["\(percent) of units dead (exactly 0) at layer \(layer)\(progress[0])",
                    "\(percent) dead at L\(layer)\(progress[1])"]
        }
        // The numbers exactly as the row prints them; every figure below is computed from these.
        let firstText = tableNumber(first), lastText = tableNumber(last)
        let shownFirst = Double(firstText) ?? first, shownLast = Double(lastText) ?? last
        let steps = lastIndex - firstIndex
        let span = "\(firstText) at layer \(firstIndex + 1), \(lastText) at layer \(layer)"
        let arrow = "\(firstText) -> \(lastText)"
        guard steps > 0, shownFirst > 0, shownLast >= 0 else {
            return ["variance \(lastText) at layer \(layer)\(progress[0])", "variance \(lastText) at L\(layer)\(progress[1])"]
        }
        if shownLast == 0 {
            return ["variance collapses to exactly 0 by layer \(layer)\(progress[0])", "variance 0 by L\(layer)\(progress[1])"]
        }
        let total = last / first
        // "holds" only for a change the table shows as under 25% over the whole depth (0.682 -> 0.288 does not hold).
        let holds = holdsRange.contains(shownLast / shownFirst)
        // Where mean field is marginal, the finite-width band is the verdict: drift inside it is no law.
        if let band = FiniteWidthBand.forRun(run, activation: activation, width: width, layer: layer),
           let theory = FiniteWidthBand.meanFieldRatio(run, from: firstIndex + 1, to: layer) {
            let low = tableNumber(shownFirst * theory * band.lowerFactor), high = tableNumber(shownFirst * theory * band.upperFactor)
            let inside = (shownFirst * theory * band.lowerFactor...shownFirst * theory * band.upperFactor).contains(shownLast)
            let verdict = inside ? "within" : "outside"
            let bandText = "\(verdict) the finite-width band \(low)..\(high)"
            if holds && inside {
                return ["variance holds: \(span), \(bandText)\(progress[0])",
                        "variance holds, \(arrow) by L\(layer), \(bandText)\(progress[1])",
                        "variance holds, \(arrow), \(bandText)\(progress[1])",
                        "holds, \(arrow), \(bandText)\(progress[1])"]
            }
            return ["variance \(arrow) by layer \(layer), \(bandText)\(progress[0])",
                    "variance \(arrow), \(bandText)\(progress[1])",
                    "\(arrow), \(bandText)\(progress[1])",
                    "\(bandText)\(progress[1])"]
        }
        if holds {
            return ["variance holds: \(span)\(progress[0])", "variance holds, \(arrow) by L\(layer)\(progress[1])",
                    "holds, \(arrow)\(progress[1])"]
        }
        let factorText = perLayerFactor(total: total, steps: steps, first: shownFirst, last: lastText)
        // "halves" / "doubles" only when the factor is 0.50 / 2.0 to two digits; the exact factor is still printed.
        let twoDigits = roundedSignificant(pow(total, 1 / Double(steps)), digits: 2)
        let verb = twoDigits == 0.5 ? "halves" : twoDigits == 2 ? "doubles" : total < 1 ? "shrinks" : "grows"
        let exact = ["0.5", "2"].contains(factorText) ? "" : " (x\(factorText))"
        let plain = verb == "halves" || verb == "doubles"
        return ["variance \(plain ? verb + exact : "\(verb) x\(factorText)") each layer: \(span)\(progress[0])",
                "variance \(plain ? verb + exact : "\(verb) x\(factorText)") per layer, \(arrow) by L\(layer)\(progress[1])",
                "variance \(plain ? verb + exact : "x\(factorText)") per layer, \(arrow) by L\(layer)\(progress[1])",
                "variance x\(factorText)/layer, \(arrow)\(progress[1])",
                "x\(factorText)/layer, \(arrow)\(progress[1])"]
    }

    /// Last over first variance, as the table prints them, that the caption calls "holds": under 25% change.
    public static let holdsRange = 0.8...1.25

    /// The per-layer factor r = total^(1/steps) with the fewest significant digits (2 to 8) for which
    /// `first` x r^steps prints as `last` does in the table: the caption's arithmetic agrees with the numbers shown.
    public static func perLayerFactor(total: Double, steps: Int, first: Double, last: String) -> String {
        let exponent = 1 / Double(max(1, steps))
        let factor = pow(total, exponent)
        // The measured factor first; the one the printed numbers imply when rounding `first` tips it over.
        let implied = Double(last).map { pow($0 / first, exponent) } ?? factor
        for digits in 2...8 {
            for candidate in [factor, implied] {
                let shown = roundedSignificant(candidate, digits: digits)
                if tableNumber(first * pow(shown, Double(steps))) == last { return format(shown, digits: digits) }
            }
        }
        return format(implied, digits: 8)
    }

    /// How much larger the activation-gradient variance is at layer 1 than at layer L, from the numbers the
    /// row prints; nil before the backward pass reaches layer 1 or when it changes less than 10x.
    static func gradientRatio(_ run: RunData) -> Double? {
        let variances = run.perLayer.variances(.activationGradient)
        guard let bottom = variances.first ?? nil, let top = variances.last ?? nil, bottom.isFinite, top.isFinite,
              let shownBottom = Double(tableNumber(bottom)), let shownTop = Double(tableNumber(top)),
              shownBottom > 0, shownTop > 0 else { return nil }
        let ratio = shownBottom / shownTop
        return ratio > 10 || ratio < 0.1 ? ratio : nil
    }

    /// `value` rounded to `digits` significant digits.
    static func roundedSignificant(_ value: Double, digits: Int) -> Double {
        guard value.isFinite, value != 0 else { return value }
        let scale = pow(10, Double(digits) - ceil(log10(abs(value))))
        return (value * scale).rounded() / scale
    }

    /// `value` with up to `digits` significant digits, trailing zeros dropped ("0.5", "0.99803", "1.3").
    static func format(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite, value != 0 else { return NumberFormat.compact(value) }
        let decimals = max(0, digits - Int(ceil(log10(abs(value)))))
        if decimals > 10 || abs(value) >= 1e6 { return NumberFormat.scientific(value, digits: max(0, digits - 1)) }
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
