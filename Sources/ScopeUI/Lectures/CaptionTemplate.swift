// A scene's caption: words with placeholders ({ratio}, {last@he}) filled from the run's numbers, the numbers the
// rows print and `report` computes, so no figure on a slide is ever typed in by hand.
// Legend: L = depth; "first"/"last" = layer 1 / layer L; v = variance of the activations (a residual or transformer
// network: of the stream), g = variance of dL/dh (of the stream's gradient).
import Foundation
import SignalFlow

/// A caption with placeholders, parsed once and filled from the runs on every frame.
public struct CaptionTemplate: Equatable, Sendable {
    /// The values a placeholder can name.
    public enum Value: String, CaseIterable, Equatable, Sendable {
        /// v at layer 1, as the row prints it.
        case first
        /// v at layer L, as the row prints it.
        case last
        /// v(L) / v(1): how much the variance changed over the whole depth.
        case ratio
        /// The per-layer factor r with v(1) r^(L-1) printing as v(L) does (Caption.perLayerFactor).
        case factor
        /// g at layer 1.
        case gradFirst = "grad_first"
        /// g at layer L.
        case gradLast = "grad_last"
        /// g(1) / g(L): how much larger the gradient is at the input than at the output.
        case gradRatio = "grad_ratio"
        /// Share of units within 1% of a bound at layer L ("97.3%").
        case saturated
        /// Share of units exactly 0 at layer L ("50.2%").
        case dead
        /// Mean field's chi_1 of the run ("-" where it has none).
        case chi1
        /// Mean field's depth scale -1/ln chi_1 in layers ("inf" at chi_1 = 1, "-" where it has none).
        case depthScale = "depth_scale"
        /// v at the selected layer.
        case variance = "var"
        /// g at the selected layer.
        case gradient = "grad"
        /// The selected layer.
        case layer
        /// Depth L, width n, batch B of the scenario.
        case depth, width, batch
        /// The row's initializer name.
        case name
        /// The activation's name.
        case activation
        /// sigma_w^2 = fan_in Var(W) of the row's first layer (LSUV: its calibrated layers'), as the phase map places it.
        case sigmaW2 = "sigma_w2"
        /// The row's phase by chi_1 (one word): "critical" (|chi_1 - 1| <= 1e-3, the edge of chaos), "ordered", "chaotic".
        case phase
        /// Spread m_2/m_1^2 - 1 of the squared singular values of J at the selected layer (the spectrum panel's; the
        /// focused row only).
        case singularValueSpread = "sv_spread"
        /// Decades between the largest and smallest resolved singular value of J at the selected layer (focused row),
        /// with "+" when some lie below the resolution floor.
        case singularValueDecades = "sv_decades"
        // A training scene's run (TrainingCaptionValues): read at the caption's step, the latest evaluation step
        // every row still training has reached.
        /// The caption's step: the latest evaluation step of the held-out loss every row still training has reached.
        case step
        /// Steps S of the run.
        case steps
        /// The peak learning rate, the optimizer's name, the task's name, and its floor (teacher: noise^2; else "-").
        case learningRate = "lr", optimizer, task, floor
        /// The row's held-out loss at the caption's step ("diverged" once it has).
        case loss
        /// The row's held-out loss at step 1.
        case lossStart = "loss_start"
        /// What the row's held-out loss did by the caption's step: "diverged at step 37", "halved by step 21" or
        /// "at 45% of its start".
        case outcome
        /// The row with the lowest held-out loss at the caption's step, and that loss.
        case best, bestLoss = "best_loss"
        /// The row with the highest held-out loss at the caption's step (a diverged row first), and that loss.
        case worst, worstLoss = "worst_loss"

        /// True for the values of a training run (only a scene with `train = true` has one).
        public var readsTraining: Bool {
            switch self {
            case .step, .steps, .learningRate, .optimizer, .task, .floor, .loss, .lossStart, .outcome, .best, .bestLoss,
                 .worst, .worstLoss: return true
            default: return false
            }
        }

        /// True for the values of the step-0 run (its layers, mean field's numbers of it, the spectrum): training
        /// replaces that network, so a training scene cannot state them.
        public var readsStepZeroRun: Bool {
            switch self {
            case .depth, .width, .batch, .name, .activation, .sigmaW2, .layer: return false
            default: return !readsTraining
            }
        }
    }

    /// A piece of the caption.
    public enum Segment: Equatable, Sendable {
        /// Words as written.
        case text(String)
        /// A value, of the scene's focused row (nil) or of the row named.
        case value(Value, row: String?)
    }

    /// The caption as written in the file.
    public var source: String
    /// The caption cut into words and values.
    public var segments: [Segment]

    /// Shown for a number the run has not computed yet.
    public static let pending = "?"
    /// Longest caption accepted, in characters as written.
    public static let maximumLength = 400
    /// Sentences a caption may have.
    public static let sentenceRange = 1...3

    /// The caption `source`: "{name}" or "{name@row}" placeholders (names in `Value`), "{{" and "}}" for braces.
    /// Throws a one-line reason for an unknown name, an unclosed brace, a caption of the wrong length, or a control
    /// character (a "\r" or "\n" escape would break the caption's lines on the screen and in --print-scenes).
    public init(_ source: String) throws(TemplateProblem) {
        if source.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            throw TemplateProblem("control characters are not allowed (the screen wraps a caption into its lines)")
        }
        self.source = source
        var segments: [Segment] = []
        var text = ""
        var index = source.startIndex
        while index < source.endIndex {
            let character = source[index]
            let next = source.index(after: index)
            if (character == "{" || character == "}") && next < source.endIndex && source[next] == character {
                text.append(character); index = source.index(after: next); continue
            }
            if character == "}" { throw TemplateProblem("'}' without '{' (write }} for a brace)") }
            guard character == "{" else { text.append(character); index = next; continue }
            guard let close = source[next...].firstIndex(of: "}"), !source[next..<close].contains("{") else {
                throw TemplateProblem("'{' not closed")
            }
            let body = String(source[next..<close])
            let parts = body.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let value = Value(rawValue: parts[0].trimmingCharacters(in: .whitespaces)) else {
                throw TemplateProblem("unknown placeholder {\(body.prefix(40))} (known: \(Value.allCases.map(\.rawValue).joined(separator: ", ")); {name@row} reads another row)")
            }
            let row = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : nil
            if row?.isEmpty == true { throw TemplateProblem("empty row name in {\(body)}") }
            if !text.isEmpty { segments.append(.text(text)); text = "" }
            segments.append(.value(value, row: row))
            index = source.index(after: close)
        }
        if !text.isEmpty { segments.append(.text(text)) }
        self.segments = segments
        guard source.count <= Self.maximumLength else {
            throw TemplateProblem("caption is \(source.count) characters, over \(Self.maximumLength)")
        }
        let sentences = Self.sentenceCount(segments)
        guard Self.sentenceRange.contains(sentences) else {
            throw TemplateProblem("a caption has 1 to 3 sentences, each ending in . ! or ? (this one has \(sentences))")
        }
    }

    /// Rows named by `{value@row}` placeholders, in order of appearance.
    public var rowsNamed: [String] {
        segments.compactMap { if case .value(_, let row) = $0 { return row } else { return nil } }
    }

    /// The values of the placeholders, in order of appearance.
    public var values: [Value] {
        segments.compactMap { if case .value(let value, _) = $0 { return value } else { return nil } }
    }

    /// Sentences of the words: '.', '!' or '?' followed by a blank or the end (a decimal point is none).
    static func sentenceCount(_ segments: [Segment]) -> Int {
        let words = segments.map { if case .text(let text) = $0 { return text } else { return "0" } }.joined()
        let characters = Array(words)
        var count = 0
        for (index, character) in characters.enumerated() where ".!?".contains(character) {
            if index + 1 == characters.count || characters[index + 1] == " " { count += 1 }
        }
        return count
    }

    /// The caption with every value filled: `runs` by row name, `focus` the row placeholders without `@row` read;
    /// values not computed yet read `pending`.
    /// `spectrum`: the spectrum panel's last result, read by the sv_ values when it is the focused row's at the selected layer.
    /// `training`: the training run on screen, read by the training values (its rows are `scenario.initializers`).
    public func filled(runs: [String: RunData], focus: String, scenario: Scenario, selectedLayer: Int,
                       spectrum: SpectrumPanelData? = nil, training: TrainingState? = nil) -> String {
        let reading = training.map { TrainingCaptionValues(training: $0, names: scenario.initializers.map(\.name)) }
        return segments.map { segment in
            switch segment {
            case .text(let text): return text
            case .value(let value, let row):
                let name = row ?? focus
                if value.readsTraining { return reading?.text(of: value, row: name) ?? Self.pending }
                if value == .singularValueSpread || value == .singularValueDecades {
                    return Self.spectrumText(of: value, spectrum: spectrum, name: name, selectedLayer: selectedLayer) ?? Self.pending
                }
                return Self.text(of: value, run: runs[name], name: name, scenario: scenario, selectedLayer: selectedLayer)
                    ?? Self.pending
            }
        }.joined()
    }

    /// A spectrum value of row `name` at `selectedLayer`; nil until the spectrum panel has that very spectrum.
    static func spectrumText(of value: Value, spectrum: SpectrumPanelData?, name: String, selectedLayer: Int) -> String? {
        guard let spectrum, spectrum.request.name == name, spectrum.request.layer == selectedLayer,
              let result = spectrum.spectrum else { return nil }
        let values = result.log10SingularValues.filter(\.isFinite)
        switch value {
        case .singularValueSpread:
            guard let last = result.layers.last else { return nil }
            // A probe estimate (wider than the SVD's limit) says so: its value and standard error.
            guard let error = last.spreadStandardError, result.method != .singularValues else { return Caption.tableNumber(last.normalizedSpread) }
            return Caption.tableNumber(last.normalizedSpread) + " +- " + Caption.tableNumber(error) + " (estimate)"
        default:
            // No singular values without the SVD: no span to give.
            guard result.method == .singularValues else { return "-" }
            guard let low = values.min(), let high = values.max() else { return "-" }
            // "11+": values below the resolution floor make the true span wider than the resolved one.
            return Caption.format(high - low, digits: 2) + (result.unresolvedCount > 0 ? "+" : "")
        }
    }

    /// One value as the caption shows it; nil when the run has not computed it yet.
    static func text(of value: Value, run: RunData?, name: String, scenario: Scenario, selectedLayer: Int) -> String? {
        let depth = scenario.depth
        func stats(_ quantity: Quantity, _ layer: Int) -> SummaryStats? { run?.report(layer: layer)?.stats(quantity) }
        func variance(_ quantity: Quantity, _ layer: Int) -> Double? {
            guard let stats = stats(quantity, layer) else { return nil }
            return stats.nonFiniteCount > 0 ? .nan : stats.variance
        }
        func number(_ value: Double?) -> String? {
            guard let value else { return nil }
            return value.isFinite ? Caption.tableNumber(value) : "NaN/inf"
        }
        switch value {
        case .depth: return "\(depth)"
        case .width: return "\(scenario.width)"
        case .batch: return "\(scenario.batch)"
        case .name: return name
        case .activation: return scenario.activation.displayName
        case .sigmaW2:
            guard let named = scenario.initializers.first(where: { $0.name == name }) else { return nil }
            let variances = MeanField.weightVariances(scenario: scenario, initializer: named.initializer)
            return (named.initializer.needsCalibration ? variances.last : variances.first).map { Caption.format($0, digits: 3) }
        case .phase:
            guard let finished = run?.finished else { return nil }
            guard let chi1 = finished.chi1 else { return "-" }
            return abs(chi1 - 1) <= 1e-3 ? "critical" : chi1 < 1 ? "ordered" : "chaotic"
        case .singularValueSpread, .singularValueDecades: return nil
        case .step, .steps, .learningRate, .optimizer, .task, .floor, .loss, .lossStart, .outcome, .best, .bestLoss,
             .worst, .worstLoss: return nil
        case .layer: return "\(selectedLayer)"
        case .first: return number(variance(.activation, 1))
        case .last: return number(variance(.activation, depth))
        case .variance: return number(variance(.activation, selectedLayer))
        case .gradFirst: return number(variance(.activationGradient, 1))
        case .gradLast: return number(variance(.activationGradient, depth))
        case .gradient: return number(variance(.activationGradient, selectedLayer))
        case .ratio:
            guard let first = variance(.activation, 1), let last = variance(.activation, depth) else { return nil }
            return number(last / first)
        case .gradRatio:
            guard let input = variance(.activationGradient, 1), let output = variance(.activationGradient, depth) else { return nil }
            return number(input / output)
        case .factor:
            guard let first = variance(.activation, 1), let last = variance(.activation, depth) else { return nil }
            guard first.isFinite, last.isFinite, first > 0, last > 0, depth > 1 else { return "-" }
            let lastText = Caption.tableNumber(last)
            return Caption.perLayerFactor(total: last / first, steps: depth - 1,
                                          first: Double(Caption.tableNumber(first)) ?? first, last: lastText)
        case .saturated: return stats(.activation, depth).map { NumberFormat.percent($0.saturatedFraction) }
        case .dead: return stats(.activation, depth).map { NumberFormat.percent($0.zeroFraction) }
        case .chi1:
            guard let finished = run?.finished else { return nil }
            return finished.chi1.map { Caption.tableNumber($0) } ?? "-"
        case .depthScale:
            guard let finished = run?.finished else { return nil }
            guard finished.chi1 != nil else { return "-" }
            return finished.depthScale.map { $0.isFinite ? Caption.tableNumber($0) : "inf" } ?? "inf"
        }
    }
}

/// Why a caption cannot be used, in a few words.
public struct TemplateProblem: Error, Equatable, Sendable {
    /// What is wrong.
    public var text: String
    /// A problem saying `text`.
    public init(_ text: String) { self.text = text }
}
