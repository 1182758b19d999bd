// Synthetic but realistic reports for UI tests, built from closed-form mean-field formulas (no engine needed),
// and text snapshots kept in Snapshots/*.txt beside this file.
//
// Re-record snapshots:  INITSCOPE_RECORD_SNAPSHOTS=1 swift test --filter ScopeUITests
// (the test then writes the file and fails once so the recording is never mistaken for a pass).
import Foundation
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

enum UITestSupport {
    /// Standard normal CDF.
    static func phi(_ x: Double) -> Double { 0.5 * (1 + erf(x / 2.0.squareRoot())) }

    /// Expected counts of N(mean 0, std^2) * `count` elements in `bins` equal bins over [lower, upper), with the
    /// mass of exact zeros `zeroFraction` (ReLU) put in the bin holding 0 and the rest as a half (positive)
    /// Gaussian when `positiveOnly`.
    static func gaussianHistogram(std: Double, count: Int, lower: Double, upper: Double, bins: Int,
                                  zeroFraction: Double = 0, positiveOnly: Bool = false) -> Histogram {
        let width = (upper - lower) / Double(bins)
        let mass: (Double, Double) -> Double = { a, b in
            if positiveOnly {
                let lo = max(a, 0), hi = max(b, 0)
                return hi <= lo ? 0 : 2 * (phi(hi / std) - phi(lo / std)) * (1 - zeroFraction)
            }
            return phi(b / std) - phi(a / std)
        }
        var counts = (0..<bins).map { Int((mass(lower + Double($0) * width, lower + Double($0 + 1) * width) * Double(count)).rounded()) }
        if zeroFraction > 0 {
            let zeroBin = Int(((0 - lower) / width).rounded(.down))
            if counts.indices.contains(zeroBin) { counts[zeroBin] += Int(zeroFraction * Double(count)) }
        }
        let under = Int((mass(-.infinity, lower) * Double(count)).rounded())
        let over = Int((mass(upper, .infinity) * Double(count)).rounded())
        return Histogram(scale: .linear, lower: lower, upper: upper, binCounts: counts, underflow: under, overflow: over)
    }

    /// log10|x| histogram of N(0, std^2) over [lower, upper) decades.
    static func logHistogram(std: Double, count: Int, lower: Double, upper: Double, bins: Int, zeroFraction: Double = 0) -> Histogram {
        let width = (upper - lower) / Double(bins)
        let keep = 1 - zeroFraction
        let mass: (Double, Double) -> Double = { a, b in 2 * (phi(pow(10, b) / std) - phi(pow(10, a) / std)) * keep }
        let counts = (0..<bins).map { Int((mass(lower + Double($0) * width, lower + Double($0 + 1) * width) * Double(count)).rounded()) }
        return Histogram(scale: .log10Magnitude, lower: lower, upper: upper, binCounts: counts,
                         underflow: Int((mass(-300, lower) * Double(count)).rounded()),
                         overflow: Int((mass(upper, 300) * Double(count)).rounded()),
                         zeroCount: Int(zeroFraction * Double(count)))
    }

    /// A quantity report for a zero-mean Gaussian of variance `variance` (optionally ReLU-rectified).
    static func quantity(variance: Double, count: Int, rectified: Bool = false, saturated: Double = 0,
                         nonFinite: Int = 0) -> QuantityReport {
        let std = variance.squareRoot()
        // ReLU of N(0, q): mean sqrt(q / 2pi), second moment q / 2; `variance` here is q of the input.
        let mean = rectified ? (variance / (2 * Double.pi)).squareRoot() : 0
        let second = rectified ? variance / 2 : variance
        let shownVariance = second - mean * mean
        let stats = SummaryStats(count: count, mean: mean, variance: shownVariance, secondMoment: second,
                                 min: rectified ? 0 : -4 * std, max: 4 * std, saturatedFraction: saturated,
                                 zeroFraction: rectified ? 0.5 : 0, nonFiniteCount: nonFinite)
        let bound = 4 * max(std, 1e-300)
        let linear = gaussianHistogram(std: std, count: count, lower: rectified ? 0 : -bound, upper: bound, bins: 32,
                                       zeroFraction: rectified ? 0.5 : 0, positiveOnly: rectified)
        let center = log10(max(std, 1e-300)).rounded()
        let log = logHistogram(std: std, count: count, lower: center - 4, upper: center + 2, bins: 24,
                               zeroFraction: rectified ? 0.5 : 0)
        return QuantityReport(stats: stats, linear: linear, logMagnitude: log)
    }

    /// One complete ReLU layer: pre-activation second moment q, activation-gradient second moment g, with a small
    /// deterministic "measurement" wobble (+-3%) against the prediction.
    static func reluLayer(index: Int, q: Double, g: Double, count: Int, lsuvRescalings: Int? = nil) -> LayerReport {
        let wobble = 1 + 0.03 * sin(Double(index) * 1.7)
        let measuredQ = q * wobble, measuredG = g / wobble
        var quantities: [Quantity: QuantityReport] = [
            .preactivation: quantity(variance: measuredQ, count: count),
            .activation: quantity(variance: measuredQ, count: count, rectified: true),
            .activationGradient: quantity(variance: measuredG, count: count),
            .weightGradient: quantity(variance: measuredG * measuredQ / 2, count: 512 * 512),
        ]
        quantities[.activationGradient]!.stats.zeroFraction = 0.5
        let lsuv = lsuvRescalings.map {
            LSUVLayerTrace(rescalings: $0, varianceAfterIteration: [1.4, 1.02], converged: true, degenerate: false)
        }
        return LayerReport(index: index, quantities: quantities,
                           theory: LayerTheory(preactivationSecondMoment: q, gradientSecondMoment: g), lsuv: lsuv)
    }

    /// ReLU, L = depth, n = 512, B = 256; xavier halves q each layer, he and lsuv hold it (closed forms).
    static func reluScenario(depth: Int = 50) -> Scenario {
        Scenario(activation: .relu, depth: depth, width: 512, batch: 256, seed: 1,
                 initializers: AppState.comparisonSet())
    }

    /// Every event of the ReLU scenario's run, in engine order: per initializer forward 1...L, backward L...1,
    /// then runFinished.
    static func reluEvents(depth: Int = 50) -> [PropagationEvent] {
        var events: [PropagationEvent] = []
        let count = 256 * 512
        for run in 0..<3 {
            // sigma_w^2 = 1 (xavier), 2 (he, lsuv); q^1 = sigma_w^2 * E[x0^2] with E[x0^2] = 1.
            let sigma2 = run == 0 ? 1.0 : 2.0
            let q = (1...depth).map { sigma2 * pow(sigma2 / 2, Double($0 - 1)) }
            let g = (1...depth).map { 0.5 * pow(sigma2 / 2, Double(depth - $0)) }
            let full = (1...depth).map { reluLayer(index: $0, q: q[$0 - 1], g: g[$0 - 1], count: count,
                                                 lsuvRescalings: run == 2 ? 1 + $0 % 3 : nil) }
            for layer in full {
                var forward = layer
                forward.quantities[.activationGradient] = nil; forward.quantities[.weightGradient] = nil
                events.append(.forwardLayer(run: run, layer: forward))
            }
            for layer in full.reversed() { events.append(.backwardLayer(run: run, layer: layer)) }
            events.append(.runFinished(run: run, report: RunReport(initializerName: ["xavier", "he", "lsuv"][run], layers: full)))
        }
        return events
    }

    /// A started state of `width` x `height` with every ReLU event revealed (no animation).
    static func completedReluState(width: Int, height: Int, glyphs: GlyphSet = .unicode,
                                   theme: Theme = .builtInDefault) -> AppState {
        var state = AppState(scenario: reluScenario(), width: width, height: height, glyphs: glyphs, theme: theme,
                             sweepMilliseconds: 0)
        _ = update(&state, .start)
        for event in reluEvents() { _ = update(&state, .engine(event, generation: state.generation)) }
        _ = update(&state, .engineFinished(generation: state.generation))
        return state
    }

    /// Folder of the snapshot files.
    static let snapshotDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    /// Compares `canvas`'s characters with Snapshots/`name`.txt; records it when INITSCOPE_RECORD_SNAPSHOTS=1.
    static func expectSnapshot(_ canvas: Canvas, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = canvas.lines.joined(separator: "\n") + "\n"
        let url = snapshotDirectory.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["INITSCOPE_RECORD_SNAPSHOTS"] == "1" {
            try? text.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded snapshot \(name).txt; run again without INITSCOPE_RECORD_SNAPSHOTS", sourceLocation: sourceLocation)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing snapshot \(name).txt (record with INITSCOPE_RECORD_SNAPSHOTS=1)", sourceLocation: sourceLocation)
            return
        }
        if expected != text {
            let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let got = text.split(separator: "\n", omittingEmptySubsequences: false)
            let firstDifference = zip(want, got).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(want.count, got.count)
            Issue.record("snapshot \(name).txt differs at line \(firstDifference + 1):\nwant: \(firstDifference < want.count ? String(want[firstDifference]) : "<none>")\ngot:  \(firstDifference < got.count ? String(got[firstDifference]) : "<none>")\nwhole screen:\n\(text)",
                         sourceLocation: sourceLocation)
        }
    }
}
