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
    /// off-diagonal sqrt(1), ..., sqrt(n - 1)) are the nodes; squared first components of the unit eigenvectors are
    /// the weights (LAPACKE_dstev). Symmetrized afterwards so that odd functions integrate to exactly 0.
    public init(nodeCount: Int) {
        let n = max(nodeCount, 1)
        var diagonal = [Double](repeating: 0, count: n)
        var offDiagonal = (1..<max(n, 2)).map { Double($0).squareRoot() }
        var vectors = [Double](repeating: 0, count: n * n)
        let status = LAPACKE_dstev(Int32(LAPACK_COL_MAJOR), Int8(UInt8(ascii: "V")), Int32(n), &diagonal, &offDiagonal,
                                   &vectors, Int32(n))
        var x = diagonal
        var w = (0..<n).map { vectors[$0 * n] * vectors[$0 * n] }
        if status != 0 { x = [0]; w = [1] }  // cannot happen for this well-conditioned matrix; keeps callers finite
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
