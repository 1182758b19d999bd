// Deep-network oracles of reference 4.4 (width 512, batch 256, depth 50, sigma_b = 0, fixed seeds):
// D1, D2, D5, D7, D9 (non-finite at the right layer), D10-D12 (tanh/Xavier vs mean field).
import Foundation
import Testing
@testable import SignalFlow

/// Runs one initializer through the Experiment and returns its report.
func deepRun(_ activation: Activation, _ initializer: Initializer, depth: Int = 50, width: Int = 512, batch: Int = 256,
             seed: UInt64 = 2024) throws -> RunReport {
    let scenario = Scenario(activation: activation, depth: depth, width: width, batch: batch, seed: seed,
                            initializers: [NamedInitializer(name: initializer.canonicalName, initializer: initializer)])
    let experiment = try Experiment(scenario: scenario)
    let runs = try #require(experiment.run(onEvent: { _ in }))
    return runs[0]
}

/// q-hat^l = mean((h^l)^2), l = 1...L.
func measuredQ(_ run: RunReport) -> [Double] { run.layers.map { $0.stats(.preactivation)!.secondMoment } }
/// g-hat^l = mean((dL/dh^l)^2), l = 1...L.
func measuredG(_ run: RunReport) -> [Double] { run.layers.map { $0.stats(.activationGradient)!.secondMoment } }

/// Mean of the L-1 forward ratios q^{l+1}/q^l.
func meanForwardRatio(_ q: [Double]) -> Double {
    var total = 0.0
    for l in 0..<(q.count - 1) { total += q[l + 1] / q[l] }
    return total / Double(q.count - 1)
}
/// Mean of the L-1 backward ratios g^l/g^{l+1}.
func meanBackwardRatio(_ g: [Double]) -> Double {
    var total = 0.0
    for l in 0..<(g.count - 1) { total += g[l] / g[l + 1] }
    return total / Double(g.count - 1)
}

@Test func reluHeKeepsTheSignalFlat() throws {
    let run = try deepRun(.relu, .heNormal(mode: .fanIn, gain: nil))
    let q = measuredQ(run), g = measuredG(run)
    #expect(Swift.abs(q[0] / 2 - 1) <= 0.03, "D1: q1/2 = \(q[0] / 2)")
    #expect(Swift.abs(meanForwardRatio(q) - 1) <= 0.07, "D2 forward: \(meanForwardRatio(q))")
    #expect(Swift.abs(meanBackwardRatio(g) - 1) <= 0.03, "D2 backward: \(meanBackwardRatio(g))")
    #expect(run.layers.allSatisfy { $0.quantities.values.allSatisfy { $0.stats.nonFiniteCount == 0 } })
}

@Test func reluXavierHalvesTheSignalEveryLayer() throws {
    let run = try deepRun(.relu, .xavierNormal(gain: 1))
    let q = measuredQ(run), g = measuredG(run)
    #expect(Swift.abs(meanForwardRatio(q) - 0.5) <= 0.035, "D5 forward: \(meanForwardRatio(q))")
    #expect(Swift.abs(meanBackwardRatio(g) - 0.5) <= 0.016, "D5 backward: \(meanBackwardRatio(g))")
}

@Test func reluStandardNormalExplodesAndIsReportedAtTheRightLayer() throws {
    let run = try deepRun(.relu, .normal(std: 1), depth: 40)
    let q = measuredQ(run)
    let ratio = q[1] / q[0]
    #expect(ratio >= 256 * 0.85 && ratio <= 256 * 1.15, "D7: q2/q1 = \(ratio)")
    // D9: activations pass Float32 max (3.4e38) around layer 32; squares (kept in Double here) would near 15-16.
    let firstNonFinite = try #require(run.layers.first { $0.stats(.activation)!.nonFiniteCount > 0 }?.index)
    #expect((30...34).contains(firstNonFinite), "D9: first non-finite activation at layer \(firstNonFinite)")
    #expect(run.layers[firstNonFinite - 2].stats(.activation)!.nonFiniteCount == 0)
    let firstHugeSquare = try #require(run.layers.first { $0.stats(.activation)!.secondMoment > Double(Float.greatestFiniteMagnitude) }?.index)
    #expect((14...17).contains(firstHugeSquare), "D9: first mean square above Float max at layer \(firstHugeSquare)")
    // Every statistic stays a number or is counted; nothing traps.
    for layer in run.layers { for report in layer.quantities.values { #expect(!report.stats.mean.isNaN) } }
}

@Test func tanhXavierFollowsMeanField() throws {
    let run = try deepRun(.tanh, .xavierNormal(gain: 1))
    let q = measuredQ(run), g = measuredG(run)
    let theoryQ = run.layers.map { $0.theory!.preactivationSecondMoment }
    let theoryG = run.layers.map { $0.theory!.gradientSecondMoment! }
    // The prediction is seeded with the measured q^1.
    #expect(theoryQ[0] == q[0])
    let forwardGap = meanForwardRatio(q) - meanForwardRatio(theoryQ)
    #expect(Swift.abs(forwardGap) <= 0.007, "D10: measured \(meanForwardRatio(q)), MF \(meanForwardRatio(theoryQ))")
    #expect(Swift.abs(meanForwardRatio(theoryQ) - 0.91973) < 0.005, "MF forward ratio near the reference's 0.91973")
    for l in 1...50 {
        let gap = Swift.abs(Foundation.log(q[l - 1] / theoryQ[l - 1]))
        #expect(gap <= (l <= 20 ? 0.10 : 0.35), "D11 layer \(l): |ln(q/qMF)| = \(gap)")
    }
    let backwardGap = meanBackwardRatio(g) - meanBackwardRatio(theoryG)
    #expect(Swift.abs(backwardGap) <= 0.007, "D12: measured \(meanBackwardRatio(g)), MF \(meanBackwardRatio(theoryG))")
    #expect(Swift.abs(meanBackwardRatio(theoryG) - 0.92384) < 0.005)
}
