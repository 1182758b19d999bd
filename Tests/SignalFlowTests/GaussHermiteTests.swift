// Oracles A14-A16 (reference 4.1) and the node-count rule of 3.6 against an independent dense trapezoid.
import Foundation
import Testing
@testable import SignalFlow

@Test(arguments: [20, 100, 400, 1000])
func golubWelschMoments(nodeCount: Int) {
    // A14: sum w = 1, sum w x^2 = 1, sum w x^4 = 3 (each +-1e-12), no NaN.
    let rule = GaussHermiteRule(nodeCount: nodeCount)
    #expect(rule.nodeCount == nodeCount)
    #expect(rule.nodes.allSatisfy(\.isFinite) && rule.weights.allSatisfy { $0.isFinite && $0 >= 0 })
    #expect(Swift.abs(rule.expectation { _ in 1 } - 1) < 1e-12)
    #expect(Swift.abs(rule.expectation { $0 * $0 } - 1) < 1e-12)
    #expect(Swift.abs(rule.expectation { $0 * $0 * $0 * $0 } - 3) < 1e-12)
    #expect(Swift.abs(rule.expectation { $0 * $0 * $0 }) < 1e-12)
    #expect(zip(rule.nodes, rule.nodes.dropFirst()).allSatisfy { $0 < $1 })
}

@Test func smallRulesHaveKnownNodes() {
    // n = 2: nodes +-1, weights 1/2; n = 3: 0, +-sqrt 3 with weights 2/3, 1/6.
    let two = GaussHermiteRule(nodeCount: 2)
    #expect(Swift.abs(two.nodes[1] - 1) < 1e-15 && two.nodes[0] == -two.nodes[1])
    #expect(Swift.abs(two.weights[0] - 0.5) < 1e-15)
    let three = GaussHermiteRule(nodeCount: 3)
    #expect(three.nodes[1] == 0)
    #expect(Swift.abs(three.nodes[2] - 3.0.squareRoot()) < 1e-14)
    #expect(Swift.abs(three.weights[1] - 2.0 / 3) < 1e-14 && Swift.abs(three.weights[0] - 1.0 / 6) < 1e-14)
    // Exact for degree <= 2n - 1: E[z^10] = 945 with n = 6.
    #expect(Swift.abs(GaussHermiteRule(nodeCount: 6).expectation { pow($0, 10) } - 945) < 1e-9)
}

private func sech4(_ x: Double) -> Double { let c = 1 / Foundation.cosh(x); return c * c * c * c }
private func tanhTimesSecond(_ x: Double) -> Double { Activation.tanh.value(x) * Activation.tanh.secondDerivative(x) }

@Test func tanhIntegrandsAtUnitVarianceWith64Nodes() {
    // A15: 64 nodes reach 1e-6 on the three tanh integrands; 16 nodes must not for sech^4.
    let rule = GaussHermiteRule.sixtyFour
    #expect(Swift.abs(rule.expectation { let t = Foundation.tanh($0); return t * t } - 0.394294490397841) < 1e-6)
    #expect(Swift.abs(rule.expectation(sech4) - 0.464402902448268) < 1e-6)
    #expect(Swift.abs(rule.expectation(tanhTimesSecond) + 0.282605214307781) < 1e-6)
    #expect(Swift.abs(GaussHermiteRule(nodeCount: 16).expectation(sech4) - 0.464402902448268) > 1e-6)
}

@Test func reluPitfallsOfGaussHermite() {
    // A16: E[relu(z)^2] exact with n = 2; E[1{z > 0}] exact for even n, 0.5 - w0/2 for odd n (relu'(0) = 0).
    #expect(Swift.abs(GaussHermiteRule(nodeCount: 2).expectation { let r = Swift.max($0, 0); return r * r } - 0.5) < 1e-15)
    #expect(Swift.abs(GaussHermiteRule(nodeCount: 10).expectation { Activation.relu.derivative($0) } - 0.5) < 1e-15)
    let eleven = GaussHermiteRule(nodeCount: 11)
    let odd = eleven.expectation { Activation.relu.derivative($0) }
    #expect(Swift.abs(odd - (0.5 - eleven.weights[5] / 2)) < 1e-15)
    #expect(Swift.abs(odd - 0.3153) < 5e-5)
    #expect(Swift.abs(eleven.weights[5] - 0.3694) < 5e-5)
}

@Test func tanhReferenceTableAtSeveralVariances() {
    // Reference 3.5 table (mpmath, 15 digits), through the production rule selection (documented accuracy 1e-6;
    // 64 nodes at q = 1 give ~2e-7 on tanh tanh'', 256 nodes at q = 2 ~1e-12).
    let rows: [(Double, Double, Double, Double)] = [
        (0.5, 0.273676307936739, 0.592425793371796, -0.267795797382929),
        (1, 0.394294490397841, 0.464402902448268, -0.282605214307781),
        (2, 0.519975745663949, 0.349508297746603, -0.261031913178897),
    ]
    for (q, square, derivativeSquare, curvature) in rows {
        #expect(Swift.abs(GaussianExpectation.squaredValue(.tanh, q: q) - square) < 1e-6, "q \(q)")
        #expect(Swift.abs(GaussianExpectation.squaredDerivative(.tanh, q: q) - derivativeSquare) < 1e-6, "q \(q)")
        #expect(Swift.abs(GaussianExpectation.valueTimesSecondDerivative(.tanh, q: q) - curvature) < 1e-6, "q \(q)")
    }
}

/// Dense trapezoid on [-12, 12] in z with 400 001 points: an independent reference for smooth integrands.
private func denseReference(q: Double, _ g: (Double) -> Double) -> Double {
    let count = 400_000, lower = -12.0, h = 24.0 / Double(count)
    var sum = 0.0
    for k in 0...count {
        let z = lower + Double(k) * h
        let term = Foundation.exp(-0.5 * z * z) * 0.3989422804014327 * g(q.squareRoot() * z)
        sum += (k == 0 || k == count) ? term / 2 : term
    }
    return sum * h
}

@Test(arguments: [0.3, 1.0, 3.0, 5.0, 7.5, 30.0, 493.6, 1e4, 1e6])
func productionRuleMatchesDenseReference(q: Double) {
    // Reference 3.6: n = 64 (q <= 1), 256 (q <= 5), composite rule beyond; all within 1e-6 of the truth.
    let integrands: [(String, (Double) -> Double)] = [
        ("tanh^2", { let t = Foundation.tanh($0); return t * t }),
        ("sech^4", sech4),
        ("tanh tanh''", tanhTimesSecond),
        ("sigmoid'^2", { let d = Activation.sigmoid.derivative($0); return d * d }),
        ("gelu^2 / q", { let y = Activation.gelu.value($0); return y * y / q }),
    ]
    for (name, g) in integrands where !(q >= 1e4 && name != "tanh^2" && name != "gelu^2 / q") {
        let production = GaussianExpectation.expectation(q: q, g)
        let reference = denseReference(q: q, g)
        #expect(Swift.abs(production - reference) < 1e-6, "\(name) at q = \(q): \(production) vs \(reference)")
    }
}
