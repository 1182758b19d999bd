// Two-input Gaussian cross moments for the correlation map (reference sections 3.3, 3.5).
// Legend: u_a = sqrt(q_a) z1, u_b = sqrt(q_b) (c z1 + sqrt(1 - c^2) z2), z1, z2 iid N(0, 1); theta = arccos c.
import Foundation

/// Cross moments E[phi(u_a) phi(u_b)] and E[phi'(u_a) phi'(u_b)]: arc-cosine kernels for ReLU and leaky ReLU,
/// exact for linear, tensor-product Gauss-Hermite otherwise.
public enum CrossMoment {
    /// ReLU degree-1 kernel E[relu(u_a) relu(u_b)] = sqrt(q_a q_b)/(2 pi) [sin theta + (pi - theta) cos theta].
    public static func reluKernel(qa: Double, qb: Double, c: Double) -> Double {
        let clamped = Swift.min(Swift.max(c, -1), 1)
        let theta = Foundation.acos(clamped)
        let root = (qa * qb).squareRoot()
        return root == 0 ? 0 : root / (2 * Double.pi) * (Foundation.sin(theta) + (Double.pi - theta) * clamped)
    }

    /// ReLU degree-0 kernel E[1{u_a > 0} 1{u_b > 0}] = (pi - theta)/(2 pi).
    public static func reluDerivativeKernel(c: Double) -> Double {
        let theta = Foundation.acos(Swift.min(Swift.max(c, -1), 1))
        return (Double.pi - theta) / (2 * Double.pi)
    }

    /// The tensor-product rule for the pair, by the larger second moment (64 nodes per axis for q <= 1, 128 for
    /// q <= 2, else 256; reference 3.6 quotes <= 5e-7 at q = 2 with 60; larger q are approximate).
    private static func rule(for q: Double) -> GaussHermiteRule {
        if q <= 1 { return .sixtyFour }
        if q <= 2 { return ruleOf128 }
        return .twoHundredFiftySix
    }
    private static let ruleOf128 = GaussHermiteRule(nodeCount: 128)

    /// E[f(u_a) g(u_b)] by tensor-product Gauss-Hermite.
    private static func tensorExpectation(qa: Double, qb: Double, c: Double, _ f: (Double) -> Double,
                                          _ g: (Double) -> Double) -> Double {
        let quadrature = rule(for: Swift.max(qa, qb))
        let clamped = Swift.min(Swift.max(c, -1), 1)
        let sa = qa.squareRoot(), sb = qb.squareRoot(), orthogonal = (1 - clamped * clamped).squareRoot()
        var sum = 0.0
        for i in 0..<quadrature.nodeCount {
            let z1 = quadrature.nodes[i]
            let fa = f(sa * z1)
            if fa == 0 { continue }
            var inner = 0.0
            for j in 0..<quadrature.nodeCount {
                inner += quadrature.weights[j] * g(sb * (clamped * z1 + orthogonal * quadrature.nodes[j]))
            }
            sum += quadrature.weights[i] * fa * inner
        }
        return sum
    }

    /// E[phi(u_a) phi(u_b)].
    public static func values(_ activation: Activation, qa: Double, qb: Double, c: Double) -> Double {
        switch activation {
        case .linear: return c * (qa * qb).squareRoot()
        case .relu: return reluKernel(qa: qa, qb: qb, c: c)
        case .leakyRelu(let a): return (1 + a * a) * reluKernel(qa: qa, qb: qb, c: c) - 2 * a * reluKernel(qa: qa, qb: qb, c: -c)
        default: return tensorExpectation(qa: qa, qb: qb, c: c, activation.value, activation.value)
        }
    }

    /// E[phi'(u_a) phi'(u_b)].
    public static func derivatives(_ activation: Activation, qa: Double, qb: Double, c: Double) -> Double {
        switch activation {
        case .linear: return 1
        case .relu: return reluDerivativeKernel(c: c)
        case .leakyRelu(let a): return (1 + a * a) * reluDerivativeKernel(c: c) + 2 * a * reluDerivativeKernel(c: -c)
        default: return tensorExpectation(qa: qa, qb: qb, c: c, activation.derivative, activation.derivative)
        }
    }
}
