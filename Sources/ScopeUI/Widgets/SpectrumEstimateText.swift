// The spectrum panel above the singular-value width limit (reference 3.9): no histogram, because the singular
// values need the SVD of the formed J; instead the probe estimate of the mean squared singular value m_1 and the
// spread m_2/m_1^2 - 1, each with its standard error, said to be an estimate, and a caption from them. Every text is
// shown whole or replaced by a shorter phrasing: never cut.
// Legend: k = probes; sigma = singular value; m_1 = mean sigma^2; spread = m_2/m_1^2 - 1 of sigma^2; se = standard error.
import Foundation
import SignalFlow
import Terminal

/// The estimate's lines: why there is no histogram, the numbers with their errors, the caption.
public struct SpectrumEstimateText {
    /// The row's name.
    public var name: String
    /// The activation (for the caption).
    public var activation: Activation
    /// The probe estimate (`method` is `.probes`).
    public var spectrum: JacobianSpectrum
    /// Seven-bit text ("+-" for the plus-minus sign).
    public var ascii: Bool
    /// A spread at most this (upper end of two standard errors) counts as concentrated: sigma^2's standard deviation
    /// within about a third of its mean.
    public static let concentratedSpread = 0.1

    /// Creates the text.
    public init(name: String, activation: Activation, spectrum: JacobianSpectrum, ascii: Bool) {
        self.name = name; self.activation = activation; self.spectrum = spectrum; self.ascii = ascii
    }

    var probeCount: Int { if case .probes(let count) = spectrum.method { return count } else { return 0 } }
    var plusMinus: String { ascii ? "+-" : "±" }

    /// The numbers at the last layer, longest phrasing first: "estimate from 128 probes: mean sigma^2 = 0.631 ± 1.5%,
    /// spread = 48 ± 6.1".
    public var numbers: [String] {
        guard let last = spectrum.layers.last else { return [""] }
        guard last.log10MeanSquaredSingularValue.isFinite else {
            return ["estimate from \(probeCount) probes: J is zero (every unit of a layer dead)", "J is zero"]
        }
        let mean = SpectrumPanel.power(last.log10MeanSquaredSingularValue)
        let meanError = Caption.format(100 * (last.meanRelativeStandardError ?? .nan), digits: 2) + "%"
        let spread = Caption.format(last.normalizedSpread, digits: 3)
        let spreadError = Caption.format(last.spreadStandardError ?? .nan, digits: 2)
        let values = "mean sigma^2 = \(mean) \(plusMinus) \(meanError), spread = \(spread) \(plusMinus) \(spreadError)"
        return ["estimate from \(probeCount) probes: " + values, "estimate (\(probeCount) probes): " + values]
    }

    /// Why there is no histogram, longest phrasing first.
    public var explanation: [String] {
        let limit = LowerPanel.spectrumWidthLimit
        return ["No histogram: the singular values need the SVD of J, formed up to width \(limit). Above it, m_1 and "
                + "the spread m_2/m_1^2 - 1 of sigma^2 are estimated from \(probeCount) random unit probes pushed through "
                + "the layers; \(plusMinus) is one standard error from the probes.",
                "No histogram above width \(limit) (no SVD): m_1 and the spread are estimated from \(probeCount) random probes.",
                "no histogram above width \(limit): an estimate", ""]
    }

    /// The caption from the numbers, longest phrasing first.
    public var caption: [String] {
        let l = spectrum.singularValueLayer
        let subject = "\(name) + \(activation.displayName)"
        guard let last = spectrum.layers.last, last.log10MeanSquaredSingularValue.isFinite else {
            return ["\(subject): J is zero at layer \(l) (every unit of a layer dead)."]
        }
        let spread = Caption.format(last.normalizedSpread, digits: 2)
        let error = Caption.format(last.spreadStandardError ?? .nan, digits: 2)
        let upper = last.normalizedSpread + 2 * (last.spreadStandardError ?? .infinity)
        let source = "estimated from \(probeCount) probes"
        if upper <= Self.concentratedSpread, abs(last.log10MeanSquaredSingularValue) <= 2 * log10(2) {
            return ["\(subject): squared singular values stay concentrated near 1 to layer \(l) (spread \(spread) \(plusMinus) \(error), \(source)).",
                    "\(subject): singular values stay near 1 to layer \(l) (estimate)."]
        }
        if upper <= Self.concentratedSpread {
            let size = SpectrumPanel.power(last.log10MeanSquaredSingularValue)
            return ["\(subject): squared singular values stay together (spread \(spread) \(plusMinus) \(error)) but their mean is \(size) at layer \(l) (\(source)).",
                    "\(subject): concentrated, mean sigma^2 \(size) at layer \(l) (estimate)."]
        }
        return ["\(subject): the squared singular values spread at layer \(l): spread \(spread) \(plusMinus) \(error) (an isometry has 0; \(source)).",
                "\(subject): singular values spread at layer \(l): spread \(spread) \(plusMinus) \(error) (estimate)."]
    }

    /// The first phrasing that fits whole in `lines` lines of `width`, wrapped; nil when none does.
    static func fitting(_ phrasings: [String], width: Int, lines: Int) -> [String]? {
        for text in phrasings {
            let wrapped = PhaseMapPanel.wrap(text, width: width, lines: lines + 1)
            if wrapped.count <= lines && wrapped.allSatisfy({ $0.count <= width }) && wrapped.joined(separator: " ") == text.split(separator: " ").joined(separator: " ") {
                return wrapped
            }
        }
        return nil
    }

    /// Draws the title, the explanation, the numbers and the caption into `rect` (numbers first to get room).
    public func draw(into canvas: inout Canvas, rect: Rect, theme: Theme) {
        guard !rect.isEmpty else { return }
        let l = spectrum.singularValueLayer
        let titles = ["Jacobian spectrum J_1..\(l) (\(name)): moment estimate, no singular values",
                      "Jacobian spectrum J_1..\(l) (\(name)): estimate", "J_1..\(l) (\(name)): estimate"]
        let title = titles.first { $0.count <= rect.width } ?? NumberFormat.fit(titles[2], rect.width)
        canvas.write(title, x: rect.x, y: rect.y, style: theme.style(.accent), clip: rect)
        var room = rect.height - 1
        let numbers = Self.fitting(numbers, width: rect.width, lines: min(3, room)) ?? []
        room -= numbers.count
        let caption = room >= 4 ? Self.fitting(caption, width: rect.width, lines: 2) ?? [] : []
        room -= caption.count
        let explanation = Self.fitting(explanation, width: rect.width, lines: max(0, room)) ?? []
        var y = rect.y + 1
        for line in explanation { canvas.write(line, x: rect.x, y: y, style: theme.style(.mutedText), clip: rect); y += 1 }
        y = rect.maxY - caption.count - numbers.count
        for line in numbers + caption { canvas.write(line, x: rect.x, y: y, style: theme.style(.text), clip: rect); y += 1 }
    }
}
