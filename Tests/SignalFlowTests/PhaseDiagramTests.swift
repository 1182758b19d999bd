// The order-chaos diagram against reference 3.3/3.5: chi_1 and the chi_1 = 1 boundary from the closed forms and the
// worked tanh table (A17, A19 and the edge-of-chaos curve), xi_c at the table's points, axis parsing.
import Foundation
import Testing
@testable import SignalFlow

private func relativeError(_ a: Double, _ b: Double) -> Double { Swift.abs(a - b) / Swift.abs(b) }

@Test func reluBoundaryIsTwoAtEveryBias() {
    // Reference 3.5: chi_1 = sigma_w^2 / 2 exactly, at every q, so the edge is sigma_w^2 = 2 whatever sigma_b^2.
    let diagram = PhaseDiagram(activation: .relu, weightAxis: PhaseAxis(lower: 0, upper: 4, count: 5),
                               biasAxis: PhaseAxis(lower: 0, upper: 0.5, count: 3))
    for point in diagram.boundary {
        #expect(Swift.abs((point.weightVariance ?? 0) - 2) < 1e-10, "sigma_b^2 \(point.biasVariance)")
    }
    for cell in diagram.cells { #expect(Swift.abs(cell.chi1 - cell.weightVariance / 2) < 1e-12) }
    // sigma_w^2 = 1, sigma_b^2 = 0.25: q* = sigma_b^2 / (1 - sigma_w^2/2) = 0.5, c* = 1, xi_c = -1/ln(1/2).
    let ordered = diagram.cell(column: 1, row: 1)
    #expect(ordered.phase == .ordered && Swift.abs((ordered.fixedPoint ?? 0) - 0.5) < 1e-9)
    #expect(Swift.abs((ordered.depthScale.value ?? 0) - (-1 / Foundation.log(0.5))) < 1e-9)
    // sigma_w^2 = 2, sigma_b^2 = 0: every q fixed, chi_1 = 1 exactly, xi diverges (not a large finite number).
    #expect(diagram.cell(column: 2, row: 0).depthScale == .infinite)
    #expect(diagram.cell(column: 2, row: 0).phase == .critical)
    // sigma_w^2 = 3: q grows without bound, no fixed point to measure a depth scale at.
    #expect(diagram.cell(column: 3, row: 2).depthScale == .unbounded && diagram.cell(column: 3, row: 2).phase == .chaotic)
}

@Test func linearBoundaryIsOne() {
    // Reference 3.5: chi_1 = sigma_w^2.
    let point = PhaseDiagram.criticalPoint(activation: .linear, biasVariance: 0.2, lower: 0, upper: 4)
    #expect(Swift.abs((point.weightVariance ?? 0) - 1) < 1e-10)
}

@Test func tanhBoundaryFollowsTheReferenceCurve() {
    // Reference 3.5 edge-of-chaos curve and A19 (sigma_b^2 = 0.05: 1.760955, q* = 0.570048).
    for (sigmaB2, sigmaW2) in [(1e-4, 1.086026), (0.01, 1.424205), (0.05, 1.760955), (0.1, 1.986073), (0.2, 2.285152),
                               (0.3, 2.505127), (0.5, 2.843167)] {
        let point = PhaseDiagram.criticalPoint(activation: .tanh, biasVariance: sigmaB2, lower: 0, upper: 4)
        #expect(Swift.abs((point.weightVariance ?? 0) - sigmaW2) < 1e-5, "sigma_b^2 \(sigmaB2)")
    }
    let a19 = PhaseDiagram.criticalPoint(activation: .tanh, biasVariance: 0.05, lower: 0, upper: 4)
    #expect(Swift.abs((a19.fixedPoint ?? 0) - 0.570048) < 1e-5)
    // sigma_b^2 = 0: sigma_w^2 = 1 with q* = 0. Above 1, chi_1 - 1 ~ (4/3) q*^2 is tiny (q* ~ (sigma_w^2 - 1)/2), so
    // the bisection resolves the crossing only to where the fixed-point iteration resolves chi_1 - 1.
    let origin = PhaseDiagram.criticalPoint(activation: .tanh, biasVariance: 0, lower: 0, upper: 4)
    #expect(Swift.abs((origin.weightVariance ?? 0) - 1) < 2e-3)
}

@Test func tanhChiAndDepthScaleMatchTheWorkedTable() {
    // Reference 3.5 tanh table: (sigma_w^2, sigma_b^2) -> chi_1, xi_c, phase.
    let rows: [(Double, Double, Double, Double, Double, MeanFieldPhase)] = [
        (25.0 / 9, 0, 1.20983132038, 1e-6, 12.12, .chaotic),
        (2, 0, 1.10552882044, 1e-6, 21.72, .chaotic),
        (1.5, 0.05, 0.938636268199, 1e-6, 15.79, .ordered),
        (1.0, 0.05, 0.75903, 1e-5, 3.627, .ordered),
    ]
    for (sigmaW2, sigmaB2, chi1, chiTolerance, xi, phase) in rows {
        let point = PhasePoint(activation: .tanh, weightVariance: sigmaW2, biasVariance: sigmaB2)
        #expect(Swift.abs(point.chi1 - chi1) < chiTolerance, "chi_1 at (\(sigmaW2), \(sigmaB2))")
        // The table gives xi_c to 4 significant digits: half a unit of the last digit.
        #expect(Swift.abs((point.depthScale.value ?? 0) - xi) <= 0.5 * Foundation.pow(10, Foundation.floor(Foundation.log10(xi)) - 3) + 1e-12,
                "xi_c at (\(sigmaW2), \(sigmaB2)): \(point.depthScale)")
        #expect(point.phase == phase)
    }
    // The critical row (1.76, 0.05): chi_1 = 0.99980, critical; xi_c = -1/ln chi_1 (c* = 1) is finite but thousands
    // of layers (the table's "~2300" is not -1/ln(0.99980) = 5000; the formula of 3.3 is what is tested).
    let near = PhasePoint(activation: .tanh, weightVariance: 1.76, biasVariance: 0.05)
    #expect(Swift.abs(near.chi1 - 0.99980) < 1e-5 && near.phase == .critical)
    #expect(relativeError(near.depthScale.value ?? 0, -1 / Foundation.log(near.chi1)) < 1e-12)
    #expect((near.depthScale.value ?? 0) > 1000)
}

@Test func diagramCellsAreTheirPoints() {
    let diagram = PhaseDiagram(activation: .tanh, weightAxis: PhaseAxis(lower: 0.5, upper: 2.5, count: 3),
                               biasAxis: PhaseAxis(lower: 0, upper: 0.1, count: 2))
    #expect(diagram.cells.count == 6 && diagram.boundary.count == 2)
    let cell = diagram.cell(column: 2, row: 1)
    #expect(cell.weightVariance == 2.5 && cell.biasVariance == 0.1)
    #expect(cell == PhasePoint(activation: .tanh, weightVariance: 2.5, biasVariance: 0.1))
    // Ordered on the left, chaotic on the right of the boundary at sigma_b^2 = 0.1 (1.986).
    #expect(diagram.cell(column: 0, row: 1).phase == .ordered && cell.phase == .chaotic)
}

@Test func scenarioPointsUseTheEffectiveWeightVariance() throws {
    func scenario(_ activation: Activation, width: Int = 256, biasStd: Double = 0) -> Scenario {
        Scenario(activation: activation, depth: 10, width: width, batch: 8, seed: 1, biasStandardDeviation: biasStd, initializers: [])
    }
    // N(0, 1) at width 256: sigma_w^2 = 256 * 1 (far off the default map).
    let normal = try #require(PhasePoint(scenario: scenario(.tanh), initializer: .normal(std: 1)))
    #expect(Swift.abs(normal.weightVariance - 256) < 1e-9 && normal.phase == .chaotic)
    // Xavier (square): 1. Orthogonal with tanh's default gain 5/3: 25/9 (A17's chi_1).
    let xavier = try #require(PhasePoint(scenario: scenario(.tanh), initializer: try Initializer.parse("xavier")))
    #expect(Swift.abs(xavier.weightVariance - 1) < 1e-12 && xavier.phase == .critical)
    let orthogonal = try #require(PhasePoint(scenario: scenario(.tanh), initializer: try Initializer.parse("orthogonal")))
    #expect(Swift.abs(orthogonal.weightVariance - 25.0 / 9) < 1e-12)
    #expect(Swift.abs(orthogonal.chi1 - 1.20983132038) < 1e-6)
    // LSUV: its calibrated layers' (1 - sigma_b^2)/E[tanh(z)^2] = 1/0.394294490397841.
    let lsuv = try #require(PhasePoint(scenario: scenario(.tanh), initializer: try Initializer.parse("lsuv")))
    #expect(Swift.abs(lsuv.weightVariance - 1 / 0.394294490397841) < 1e-6)
    // Bias std 0.3 -> sigma_b^2 = 0.09.
    let biased = try #require(PhasePoint(scenario: scenario(.relu, biasStd: 0.3), initializer: try Initializer.parse("he")))
    #expect(Swift.abs(biased.biasVariance - 0.09) < 1e-15 && Swift.abs(biased.weightVariance - 2) < 1e-12)
}

@Test func axisParsing() throws {
    #expect(try PhaseAxis.parse("0..4:21", flag: "--sigma-w2") == PhaseAxis(lower: 0, upper: 4, count: 21))
    #expect(PhaseAxis(lower: 0, upper: 0.5, count: 11).values[6] == 0.3)
    for bad in ["4..0:21", "0..4:1", "0..4:202", "-1..4:5", "0..inf:5", "0..4", "a..b:3", "0..1e7:5", "nan..1:3"] {
        #expect(throws: PhaseDiagramError.self, "\(bad)") { try PhaseAxis.parse(bad, flag: "--sigma-w2") }
    }
}
