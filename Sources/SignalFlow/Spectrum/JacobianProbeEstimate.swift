// The moments of J's squared singular values without forming J (reference 3.9, "Hutchinson probes when n is
// large"): k random unit vectors v_i (rows of P, k x n_0) pushed forward through the layers' Jacobians,
// P <- (P W_k) D_k, one k x n_{k-1} x n_k product per layer (Float32, each probe rescaled every layer and its scale
// kept as a logarithm). With A = J J^T (n_0 x n_0, eigenvalues lambda) and r = |v J|^2 = v A v^T for v uniform on
// the unit sphere:
//   E r = tr A / n_0 = m_1,   E r^2 = ((tr A)^2 + 2 tr A^2) / (n_0 (n_0 + 2)),
//   so  m_2 / m_1^2 - 1 = (n_0 + 2) Var(r) / (2 m_1^2)   (m_2 = tr A^2 / n_0: the exact path's spread).
// Unit probes (Gaussian u divided by |u|) rather than Gaussian ones: r then has no chi^2 noise of |u|, so an
// isometry (A = c I) gives r = c for every probe and a spread of exactly 0, and the error is proportional to the
// spread itself (Gaussian probes add sqrt(2/k) to 1 + spread). Estimates: m_1 = mean(r), spread = (n_0 + 2) s^2 /
// (2 mean(r)^2) with s^2 the unbiased sample variance. Standard errors by the delta method from the probes' own
// central moments mu_2, mu_3, mu_4:  se(m_1) / m_1 = sqrt(mu_2 / k) / m_1,  (se(spread) / spread)^2 =
// [(mu_4 - mu_2^2) / mu_2^2 + 4 mu_2 / m_1^2 - 4 mu_3 / (mu_2 m_1)] / k; about sqrt(2 / k) of the spread when r is
// near Gaussian (k = 128: 12.5%), more when a few singular values dominate.
// Legend: k = probes, n_0 = input width, n_k = width of layer k; r_i = squared length of probe i after the layers.
import COpenBLAS
import Foundation

extension PropagationStreams {
    /// The Jacobian estimate's probe directions (k x n_0 standard normals, each row then normalized).
    public static let jacobianProbes: UInt64 = 3
}

/// The sample statistics of the probes' r at one layer and the estimates they give.
struct ProbeMoments: Equatable {
    /// log10 of mean(r) (-inf when every r is 0).
    var log10Mean: Double
    /// (n_0 + 2) s^2 / (2 mean(r)^2); NaN when every r is 0.
    var spread: Double
    /// se(mean) / mean.
    var meanRelativeStandardError: Double
    /// se(spread) by the delta method.
    var spreadStandardError: Double

    /// The estimates from `log r_i` (natural logarithms, -inf for r_i = 0) of k >= 2 probes in n_0 dimensions.
    init(logR: [Double], inputWidth n0: Int) {
        let k = Double(logR.count)
        let top = logR.max() ?? -.infinity
        guard top.isFinite else {
            self.init(log10Mean: -.infinity, spread: .nan, meanRelativeStandardError: .nan, spreadStandardError: .nan)
            return
        }
        // r_i / max r: every value in [0, 1], so no power of a deep network's scale overflows.
        let rho = logR.map { Foundation.exp($0 - top) }
        let mean = rho.reduce(0, +) / k
        var mu2 = 0.0, mu3 = 0.0, mu4 = 0.0
        for value in rho {
            let d = value - mean
            mu2 += d * d; mu3 += d * d * d; mu4 += d * d * d * d
        }
        mu2 /= k; mu3 /= k; mu4 /= k
        let sampleVariance = mu2 * k / (k - 1)
        let spread = (Double(n0) + 2) * sampleVariance / (2 * mean * mean)
        var relativeVariance = 0.0
        if mu2 > 0 {
            relativeVariance = ((mu4 - mu2 * mu2) / (mu2 * mu2) + 4 * mu2 / (mean * mean) - 4 * mu3 / (mu2 * mean)) / k
        }
        self.init(log10Mean: (top + Foundation.log(mean)) / Foundation.log(10.0), spread: spread,
                  meanRelativeStandardError: (mu2 / k).squareRoot() / mean,
                  spreadStandardError: spread * Swift.max(0, relativeVariance).squareRoot())
    }

    init(log10Mean: Double, spread: Double, meanRelativeStandardError: Double, spreadStandardError: Double) {
        self.log10Mean = log10Mean; self.spread = spread
        self.meanRelativeStandardError = meanRelativeStandardError; self.spreadStandardError = spreadStandardError
    }
}

extension InputOutputJacobian {
    /// Probes of the estimate by default: at width 4096 one layer costs 2 k n^2 = 4.3 GFLOP (Float32), and the
    /// spread's standard error is about sqrt(2 / k) = 12.5% of it for a near-Gaussian r.
    public static let defaultProbeCount = 128

    /// The probe estimate of m_1 and the spread of J_1 ... J_depth on input `x0`, W_k and b_k from `layer(k)`
    /// (called once per k in order; nil = cancelled, and then the answer is nil), `probeCount` probes (at least 2)
    /// from `seed`'s probe stream. The result's method is `.probes(k)`; it has no singular values.
    static func probeEstimate(depth: Int, activation: Activation, input x0: [Double], probeCount: Int, seed: UInt64,
                              layer: (Int) -> (weights: Matrix, bias: Matrix?)?) -> JacobianSpectrum? {
        Invariant.require(depth >= 1 && !x0.isEmpty, "probeEstimate: shapes")
        let k = Swift.max(2, probeCount), n0 = x0.count
        var probes = Matrix(rows: k, cols: n0), pushed = Matrix(rows: k, cols: n0)
        var random = RandomSource(seed: seed, stream: PropagationStreams.jacobianProbes)
        random.fillNormal(probes.buffer)
        // log |row i| so far, natural log: r_i = |row i|^2 exp(2 logScale_i); starts at -log |u_i| (unit probes).
        var logScale = [Double](repeating: 0, count: k)
        for i in 0..<k {
            let squared = rowSquaredNorm(probes, i)
            logScale[i] = squared > 0 ? -0.5 * Foundation.log(squared) : -.infinity
        }
        var x = x0
        var moments: [JacobianLayerMoments] = []
        for l in 1...depth {
            guard let (w, bias) = layer(l) else { return nil }
            let rows = w.rows, n = w.cols
            Invariant.require(rows == probes.cols, "probeEstimate: W_\(l) is \(rows) x \(n) after \(probes.cols) columns")
            // h^l = x^{l-1} W_l + b_l for the one input, in Double; D_l = phi'(h^l).
            var h = bias.map { $0.elements.prefix(n).map(Double.init) } ?? [Double](repeating: 0, count: n)
            for i in 0..<rows {
                let xi = x[i], row = w.base + i * n
                guard xi != 0 else { continue }
                for j in 0..<n { h[j] += xi * Double(row[j]) }
            }
            let d = h.map { Float(activation.derivative($0)) }
            x = h.map { activation.value($0) }
            // P <- (P W_l) D_l, one product on this thread (the panel worker's), then each row back to unit length.
            pushed.reshape(rows: k, cols: n)
            GEMM.multiplyOnThisThread(m: k, n: n, k: rows, a: probes.base, lda: rows, transposeA: false, b: w.base, ldb: n,
                                      transposeB: false, c: pushed.base, ldc: n, alpha: 1, beta: 0)
            var logR = [Double](repeating: -.infinity, count: k)
            for i in 0..<k {
                let row = pushed.base + i * n
                for j in 0..<n { row[j] *= d[j] }
                let squared = rowSquaredNorm(pushed, i)
                guard squared > 0, squared.isFinite, logScale[i].isFinite else {
                    logScale[i] = -.infinity
                    for j in 0..<n { row[j] = 0 }
                    continue
                }
                logR[i] = Foundation.log(squared) + 2 * logScale[i]
                logScale[i] += 0.5 * Foundation.log(squared)
                cblas_sscal(Int32(n), Float(1 / squared.squareRoot()), row, 1)
            }
            swap(&probes, &pushed)
            let estimate = ProbeMoments(logR: logR, inputWidth: n0)
            moments.append(JacobianLayerMoments(layer: l, log10MeanSquaredSingularValue: estimate.log10Mean,
                                                normalizedSpread: estimate.spread,
                                                meanRelativeStandardError: estimate.meanRelativeStandardError,
                                                spreadStandardError: estimate.spreadStandardError))
        }
        return JacobianSpectrum(layers: moments, singularValueLayer: depth, log10SingularValues: [],
                                log10ResolutionFloor: -.infinity, unresolvedCount: 0, method: .probes(k))
    }

    /// sum_j row_i[j]^2 in Double.
    private static func rowSquaredNorm(_ m: Matrix, _ i: Int) -> Double {
        let row = m.base + i * m.cols
        var total = 0.0
        for j in 0..<m.cols { total += Double(row[j]) * Double(row[j]) }
        return total
    }
}
