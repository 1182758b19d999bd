// Forward and backward passes of LayerNorm, RMSNorm and BatchNorm (training mode) with gain 1 and shift 0,
// as PyTorch computes them: biased variance, eps = 1e-5 inside the square root. Generic over the float type so
// the tests run the same code in Double against finite differences. Sums are accumulated in Double.
// Legend: x, y, dy, dx are R x C row-major (R = batch B, C = width n); r = 1 / sqrt(var + eps) per group
// (a row for layer and rms, a column for batch); y = (x - mean) r (layer, batch) or y = x r (rms).
// Layer and rms rows, residual adds and gains run in fixed chunks on the engine's threads (RowChunks): the same bits
// for any thread count.
//
// Backward with g = dL/dy, N = group size, means over the group:
//   layer, batch: dx = r (g - mean(g) - y mean(g y))       rms: dx = r (g - y mean(g y))
// (exact for y including eps: differentiate y_i = (x_i - mu) r with dr/dx_j = -r^3 (x_j - mu) / N).

/// Normalization kernels on row-major blocks.
enum NormalizationKernel {
    /// Number of groups (and values of r) for `kind` on an R x C block: R for layer and rms, C for batch.
    static func groupCount(_ kind: Normalization, rows: Int, cols: Int) -> Int { kind == .batch ? cols : rows }

    /// y = Norm(x); writes r of every group into `inverseScale` (groupCount values). `kind` must not be `.none`.
    static func forward<T: BinaryFloatingPoint>(_ kind: Normalization, _ x: UnsafeBufferPointer<T>, rows: Int, cols: Int,
                                                into y: UnsafeMutableBufferPointer<T>,
                                                inverseScale: UnsafeMutableBufferPointer<T>) {
        Invariant.require(x.count == rows * cols && y.count == x.count, "normalization: shape mismatch")
        Invariant.require(inverseScale.count >= groupCount(kind, rows: rows, cols: cols), "normalization: r too small")
        let eps = Normalization.epsilon
        switch kind {
        case .none:
            Invariant.fail("no normalization to run")
        case .layer, .rms:
            let n = Double(cols)
            RowChunks.forEach(rows: rows, cols: cols) { range in
                for row in range {
                    let start = row * cols
                    var sum = 0.0
                    for j in 0..<cols { sum += Double(x[start + j]) }
                    let mean = kind == .layer ? sum / n : 0
                    var squares = 0.0
                    for j in 0..<cols { let d = Double(x[start + j]) - mean; squares += d * d }
                    let r = 1 / (squares / n + eps).squareRoot()
                    inverseScale[row] = T(r)
                    for j in 0..<cols { y[start + j] = T((Double(x[start + j]) - mean) * r) }
                }
            }
        case .batch:
            let n = Double(rows)
            var mean = [Double](repeating: 0, count: cols), squares = [Double](repeating: 0, count: cols)
            for row in 0..<rows { for j in 0..<cols { mean[j] += Double(x[row * cols + j]) } }
            for j in 0..<cols { mean[j] /= n }
            for row in 0..<rows {
                for j in 0..<cols { let d = Double(x[row * cols + j]) - mean[j]; squares[j] += d * d }
            }
            var r = [Double](repeating: 0, count: cols)
            for j in 0..<cols { r[j] = 1 / (squares[j] / n + eps).squareRoot(); inverseScale[j] = T(r[j]) }
            for row in 0..<rows {
                for j in 0..<cols { y[row * cols + j] = T((Double(x[row * cols + j]) - mean[j]) * r[j]) }
            }
        }
    }

    /// dx = dL/dx from the kept output y, the kept r and g = dL/dy. `dx` may be the storage of `g`.
    static func backward<T: BinaryFloatingPoint>(_ kind: Normalization, output y: UnsafeBufferPointer<T>,
                                                 inverseScale: UnsafeBufferPointer<T>, rows: Int, cols: Int,
                                                 gradient g: UnsafeBufferPointer<T>,
                                                 into dx: UnsafeMutableBufferPointer<T>) {
        Invariant.require(y.count == rows * cols && g.count == y.count && dx.count == y.count, "normalization: shape mismatch")
        switch kind {
        case .none:
            Invariant.fail("no normalization to run")
        case .layer, .rms:
            let n = Double(cols), centred = kind == .layer
            RowChunks.forEach(rows: rows, cols: cols) { range in
                for row in range {
                    let start = row * cols
                    var sumG = 0.0, sumGY = 0.0
                    for j in 0..<cols {
                        let gj = Double(g[start + j])
                        sumG += gj; sumGY += gj * Double(y[start + j])
                    }
                    let meanG = centred ? sumG / n : 0, meanGY = sumGY / n, r = Double(inverseScale[row])
                    for j in 0..<cols {
                        dx[start + j] = T(r * (Double(g[start + j]) - meanG - Double(y[start + j]) * meanGY))
                    }
                }
            }
        case .batch:
            let n = Double(rows)
            var sumG = [Double](repeating: 0, count: cols), sumGY = [Double](repeating: 0, count: cols)
            for row in 0..<rows {
                for j in 0..<cols {
                    let gj = Double(g[row * cols + j])
                    sumG[j] += gj; sumGY[j] += gj * Double(y[row * cols + j])
                }
            }
            for row in 0..<rows {
                for j in 0..<cols {
                    let i = row * cols + j
                    dx[i] = T(Double(inverseScale[j]) * (Double(g[i]) - sumG[j] / n - Double(y[i]) * sumGY[j] / n))
                }
            }
        }
    }
}

/// The residual add y = alpha x + beta b and its backward pass dx = alpha g, db = beta g.
enum ResidualAddKernel {
    /// y = alpha x + beta b element-wise (y may be the storage of x or b). With alpha = 1 and a zero branch
    /// (beta = 0 or b = 0, finite), y = x bit for bit.
    static func forward<T: BinaryFloatingPoint>(skip x: UnsafeBufferPointer<T>, branch b: UnsafeBufferPointer<T>,
                                                alpha: T, beta: T, into y: UnsafeMutableBufferPointer<T>) {
        Invariant.require(x.count == b.count && y.count == x.count, "residual add: shape mismatch")
        RowChunks.forEach(count: y.count) { range in for i in range { y[i] = alpha * x[i] + beta * b[i] } }
    }

    /// dx = alpha g and db = beta g (either may be the storage of g, not both).
    static func backward<T: BinaryFloatingPoint>(gradient g: UnsafeBufferPointer<T>, alpha: T, beta: T,
                                                 skipGradient dx: UnsafeMutableBufferPointer<T>,
                                                 branchGradient db: UnsafeMutableBufferPointer<T>) {
        Invariant.require(g.count == dx.count && g.count == db.count, "residual add: shape mismatch")
        RowChunks.forEach(count: g.count) { range in
            for i in range {
                let gi = g[i]
                dx[i] = alpha * gi
                db[i] = beta * gi
            }
        }
    }
}

/// A LayerNorm's gain (training): y = yhat * g per column, and its backward dL/dg_j = sum over rows of dy * yhat
/// (rows added in order, in Double) and dL/dyhat = dy * g.
/// Legend: yhat, y, dy are R x C row-major; g has C values.
enum GainKernel {
    /// y = yhat * g (y may be the storage of yhat).
    static func forward<T: BinaryFloatingPoint>(normalized yhat: UnsafePointer<T>, gain: UnsafePointer<T>, rows: Int, cols: Int,
                                                into y: UnsafeMutablePointer<T>) {
        RowChunks.forEach(rows: rows, cols: cols) { range in
            for r in range { for j in 0..<cols { y[r * cols + j] = yhat[r * cols + j] * gain[j] } }
        }
    }

    /// dL/dg into `gainGradient` (when given), then dL/dyhat = dy * g into `out` (which may be the storage of dy).
    static func backward<T: BinaryFloatingPoint>(normalized yhat: UnsafePointer<T>, gain: UnsafePointer<T>,
                                                 gradient dy: UnsafePointer<T>, rows: Int, cols: Int,
                                                 gainGradient: UnsafeMutablePointer<T>?, into out: UnsafeMutablePointer<T>) {
        if let gainGradient {
            // Columns in parallel blocks (large tensors only, as RowChunks); each column's rows are added in order.
            let blockColumns = rows * cols > RowChunks.elementsPerChunk ? 64 : Swift.max(cols, 1)
            Parallelism.run((cols + blockColumns - 1) / blockColumns) { block in
                let first = block * blockColumns, last = Swift.min(cols, first + blockColumns)
                var sums = [Double](repeating: 0, count: last - first)
                for r in 0..<rows {
                    for j in first..<last { sums[j - first] += Double(dy[r * cols + j]) * Double(yhat[r * cols + j]) }
                }
                for j in first..<last { gainGradient[j] = T(sums[j - first]) }
            }
        }
        RowChunks.forEach(rows: rows, cols: cols) { range in
            for r in range { for j in 0..<cols { out[r * cols + j] = dy[r * cols + j] * gain[j] } }
        }
    }
}
