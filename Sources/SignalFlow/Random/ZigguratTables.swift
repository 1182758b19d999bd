// Tables of the 256-layer Marsaglia-Tsang ziggurat for the standard normal (computed once, in Double).
// Legend: layer i = 0...255; x_i = right edge of layer i (x_0 = v / f(r) is the base strip's fictitious width),
// f(x) = exp(-x^2/2) (unnormalized density), magnitudes are 23-bit integers (u * 2^23).
import Foundation

/// Precomputed ziggurat tables: integer acceptance thresholds `ki`, widths `wi` (x_i / 2^23) and heights `fi`.
/// Built once; immutable.
final class ZigguratTables: Sendable {
    /// Number of layers.
    static let layerCount = 256
    /// Right edge of the base layer (start of the tail), Marsaglia & Tsang 2000 for 256 layers.
    static let tailStart = 3.6541528853610088
    /// Shared tables, built on first use.
    static let shared = ZigguratTables()

    /// Fast-path threshold: accept when the 23-bit magnitude < ki[i] (i.e. |x| < x_{i+1}).
    let ki: [UInt32]
    /// x_i / 2^23, so that x = magnitude * wi[i].
    let wi: [Double]
    /// wi rounded to Float32, for the fast path.
    let wf: [Float]
    /// f(x_i) for i = 0...256 (fi[256] = f(0) = 1).
    let fi: [Double]

    private init() {
        let n = Self.layerCount
        let r = Self.tailStart
        func f(_ x: Double) -> Double { Foundation.exp(-0.5 * x * x) }
        // Area of each layer: the base strip r f(r) plus the tail integral sqrt(pi/2) erfc(r / sqrt 2).
        let v = r * f(r) + (Double.pi / 2).squareRoot() * Foundation.erfc(r / 2.0.squareRoot())
        var x = [Double](repeating: 0, count: n + 1)
        x[0] = v / f(r)
        x[1] = r
        for i in 1..<(n - 1) { x[i + 1] = (-2 * Foundation.log(v / x[i] + f(x[i]))).squareRoot() }
        x[n] = 0
        var ki = [UInt32](repeating: 0, count: n)
        var wi = [Double](repeating: 0, count: n)
        var wf = [Float](repeating: 0, count: n)
        var fi = [Double](repeating: 0, count: n + 1)
        let scale = 8_388_608.0  // 2^23
        for i in 0..<n {
            ki[i] = UInt32((x[i + 1] / x[i] * scale).rounded(.down))
            wi[i] = x[i] / scale
            wf[i] = Float(x[i] / scale)
            fi[i] = f(x[i])
        }
        fi[n] = 1
        self.ki = ki; self.wi = wi; self.wf = wf; self.fi = fi
    }
}
