// Probabilists' Gauss-Hermite quadrature by Golub-Welsch (reference section 3.6): E_z[f(z)] ~ sum_i w_i f(x_i),
// z ~ N(0, 1), exact for polynomials of degree <= 2n - 1. Legend: n = node count; J = n x n Jacobi matrix.
import COpenBLAS
import Foundation

/// A Gauss-Hermite rule for the standard normal weight: nodes x_i (ascending) and weights w_i summing to 1.
public struct GaussHermiteRule: Sendable {
    /// Quadrature nodes, ascending, exactly symmetric about 0 (the middle node is exactly 0 for odd n).
    public let nodes: [Double]
    /// Normalized weights (sum 1), symmetric.
    public let weights: [Double]

    /// The rule with `nodeCount` nodes: eigenvalues of the symmetric tridiagonal Jacobi matrix (zero diagonal,
    /// off-diagonal sqrt(1), ..., sqrt(n - 1)) are the nodes (LAPACKE_dstev, eigenvalues only: O(n^2)); the
    /// weights are the Christoffel numbers w_i = 1 / sum_{k<n} p_k(x_i)^2 of the orthonormal Hermite polynomials
    /// (p_0 = 1, p_1 = x, p_{k+1} = (x p_k - sqrt(k) p_{k-1}) / sqrt(k + 1)), equal to the squared first
    /// eigenvector components of Golub-Welsch without the O(n^3) eigenvectors. Symmetrized afterwards so that
    /// odd functions integrate to exactly 0.
    public init(nodeCount: Int) {
        let n = max(nodeCount, 1)
        var diagonal = [Double](repeating: 0, count: n)
        var offDiagonal = (1..<max(n, 2)).map { Double($0).squareRoot() }
        var unused = [Double](repeating: 0, count: 1)
        let status = LAPACKE_dstev(Int32(LAPACK_COL_MAJOR), Int8(UInt8(ascii: "N")), Int32(n), &diagonal, &offDiagonal,
                                   &unused, 1)
        var x = diagonal
        var w = x.map { GaussHermiteRule.christoffelNumber(at: $0, degree: n) }
        if status != 0 || !w.allSatisfy({ $0.isFinite && $0 >= 0 }) { x = [0]; w = [1] }  // cannot happen; keeps callers finite
        let count = x.count
        for i in 0..<(count / 2) {
            let j = count - 1 - i
            let node = 0.5 * (x[j] - x[i]), weight = 0.5 * (w[i] + w[j])
            x[i] = -node; x[j] = node; w[i] = weight; w[j] = weight
        }
        if count % 2 == 1 { x[count / 2] = 0 }
        let total = w.reduce(0, +)
        nodes = x
        weights = w.map { $0 / total }
    }

    /// 1 / sum_{k<n} p_k(x)^2 for the orthonormal probabilists' Hermite polynomials p_k. The terms grow like
    /// e^{x^2 / 2} at the outer nodes (|x| <= ~2 sqrt(n)), so the recurrence is rescaled by 2^-600 whenever it
    /// passes 2^300; the outermost weights of very large rules underflow to 0, as they do in Golub-Welsch.
    static func christoffelNumber(at x: Double, degree n: Int) -> Double {
        var previous = 0.0, current = 1.0, sum = 1.0
        var scaleExponent = 0   // the true sum is sum * 2^scaleExponent
        for k in 0..<(n - 1) {
            let next = (x * current - Double(k).squareRoot() * previous) / Double(k + 1).squareRoot()
            previous = current; current = next
            sum += next * next
            if Swift.abs(current) > 0x1p300 {
                previous *= 0x1p-300; current *= 0x1p-300; sum *= 0x1p-600; scaleExponent += 600
            }
        }
        return Foundation.scalbn(1 / sum, -scaleExponent)
    }

    /// Number of nodes n.
    public var nodeCount: Int { nodes.count }

    /// E_z[f(z)] ~ sum_i w_i f(x_i).
    @inlinable
    public func expectation(_ f: (Double) -> Double) -> Double {
        var sum = 0.0
        for i in 0..<nodes.count { sum += weights[i] * f(nodes[i]) }
        return sum
    }

    /// The 64-node rule (used for q <= 1).
    public static let sixtyFour = GaussHermiteRule(nodeCount: 64)
    /// The 256-node rule (used for 1 < q <= 5).
    public static let twoHundredFiftySix = GaussHermiteRule(nodeCount: 256)
}
