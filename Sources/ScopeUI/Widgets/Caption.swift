// The one-line plain-words caption, derived from the measured numbers of the focused run.
import Foundation
import SignalFlow

/// Builds the sentence that says what the user is looking at and why.
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

    /// The caption for `state`'s focused initializer: progress while running, then the trend of the
    /// activation variance with depth (per-layer factor r = (v_L / v_1)^(1/(L-1)) and r^L), saturation,
    /// dead units, or the first non-finite layer.
    public static func text(for state: AppState) -> String {
        guard let named = state.focusedInitializer, let run = state.focusedRun else { return "no initializer to show" }
        let subject = "\(state.scenario.activation.displayName) with \(named.name)"
        let depth = run.layers.count
        let known = run.forwardCount
        if known == 0 { return "\(subject): waiting for the first layer" }
        if let bad = run.layers.firstIndex(where: { ($0?.stats(.activation)?.nonFiniteCount ?? 0) > 0 }) {
            return "\(subject): the signal overflows, inf/NaN from layer \(bad + 1) on"
        }
        let variances = run.series(.activation) { $0.variance }
        guard let firstIndex = variances.firstIndex(where: { $0 != nil }),
              let lastIndex = variances.lastIndex(where: { $0 != nil }),
              let first = variances[firstIndex], let last = variances[lastIndex] else {
            return "\(subject): waiting for the first layer"
        }
        let progress = known < depth ? " (\(known)/\(depth) layers so far)" : ""
        let top = run.report(layer: lastIndex + 1)
        if state.scenario.activation.isBounded, let saturated = top?.stats(.activation)?.saturatedFraction, saturated > 0.5 {
            let gradients = gradientClause(run).map { ", " + $0 } ?? ""
            return "\(subject): \(NumberFormat.percent(saturated)) of units saturated at layer \(lastIndex + 1)"
                + "\(gradients)\(progress)"
        }
        if let dead = top?.stats(.activation)?.zeroFraction, dead > 0.9 {
            return "\(subject): \(NumberFormat.percent(dead)) of units dead (exactly 0) at layer \(lastIndex + 1)\(progress)"
        }
        let steps = lastIndex - firstIndex
        guard steps > 0, first > 0, last >= 0 else {
            return "\(subject): variance \(NumberFormat.compact(last)) at layer \(lastIndex + 1)\(progress)"
        }
        let total = last / first
        if total >= 1.0 / 3.0 && total <= 3 {
            return "\(subject): variance holds near \(NumberFormat.compact(last)) through \(lastIndex + 1) layers\(progress)"
        }
        if last == 0 {
            return "\(subject): variance collapses to exactly 0 by layer \(lastIndex + 1)\(progress)"
        }
        let factor = pow(total, 1 / Double(steps))
        let shown = roundedSignificant(factor, digits: 2)
        let verb: String
        if abs(factor - 0.5) < 0.05 { verb = "halves" }
        else if abs(factor - 2) < 0.2 { verb = "doubles" }
        else if factor < 1 { verb = "shrinks x\(shown)" }
        else { verb = "grows x\(shown)" }
        let layers = lastIndex + 1
        let power = pow(shown, Double(layers))
        let ending = known < depth ? " so far (\(known)/\(depth))" : " at the top"
        return "\(subject): variance \(verb) each layer, \(format(shown))^\(layers) = \(NumberFormat.compact(power))\(ending)"
    }

    /// How the activation-gradient variance changes from the top layer down to layer 1 ("gradients grow
    /// x6e+51 toward the input"), nil before the backward pass or when it changes less than 10x.
    static func gradientClause(_ run: RunData) -> String? {
        let variances = run.series(.activationGradient) { $0.variance }
        guard let bottom = variances.first(where: { $0 != nil }) ?? nil, let top = variances.last(where: { $0 != nil }) ?? nil,
              bottom.isFinite, top.isFinite, top > 0, bottom > 0 else { return nil }
        let ratio = bottom / top
        if ratio > 10 { return "gradients grow x\(NumberFormat.compact(ratio)) toward the input" }
        if ratio < 0.1 { return "gradients shrink x\(NumberFormat.compact(ratio)) toward the input" }
        return nil
    }

    /// `value` rounded to `digits` significant digits.
    static func roundedSignificant(_ value: Double, digits: Int) -> Double {
        guard value.isFinite, value != 0 else { return value }
        let scale = pow(10, Double(digits) - ceil(log10(abs(value))))
        return (value * scale).rounded() / scale
    }

    /// A short decimal without trailing zeros ("0.5", "1.3", "0.91").
    static func format(_ value: Double) -> String {
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
