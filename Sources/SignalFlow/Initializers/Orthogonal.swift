// Haar-distributed (semi-)orthogonal matrices from random Householder reflectors (Stewart 1980) with the sign fix.
// Legend: W = rows x cols row-major Float32; m = max(rows, cols), k = min(rows, cols); A = m x k column-major.
import COpenBLAS

/// Orthogonal initialization (PyTorch `orthogonal_`, Mezzadri's sign correction), reference section 2.4.
public enum OrthogonalMatrix {
    /// Fills `weights` (rows x cols, row-major) with gain * Q, where Q has orthonormal columns when rows >= cols
    /// (W^T W = gain^2 I) and orthonormal rows otherwise (W W^T = gain^2 I), Haar-distributed.
    ///
    /// PyTorch factors A = QR for A = m x k of iid N(0, 1) and multiplies column j of Q by sign(R_jj). Householder
    /// QR of a Gaussian A builds reflector j from column j of the partly reduced matrix, whose entries j..<m are
    /// again iid N(0, 1) and independent of reflectors 0..<j (the reflectors are orthogonal and fixed given the
    /// earlier columns). So the reflectors can be built straight from fresh Gaussian vectors (slarfg on rows j..<m
    /// of column j, R_jj = beta_j) and only Q = H_0 ... H_{k-1} formed (sorgqr): the same distribution as
    /// sgeqrf + sorgqr, at half the cost. Returns false (and fills zeros) only if LAPACK reports an error.
    @discardableResult
    static func fill(_ weights: UnsafeMutableBufferPointer<Float>, rows: Int, cols: Int, gain: Double,
                            random: inout RandomSource) -> Bool {
        Invariant.require(weights.count == rows * cols, "weights.count \(weights.count) != \(rows) x \(cols)")
        guard rows > 0, cols > 0 else { return true }
        let m = max(rows, cols), k = min(rows, cols)
        var a = [Float](repeating: 0, count: m * k)
        var tau = [Float](repeating: 0, count: k)
        var columnScale = [Float](repeating: 1, count: k)
        a.withUnsafeMutableBufferPointer { random.fillNormal($0, mean: 0, standardDeviation: 1) }
        var status: Int32 = 0
        a.withUnsafeMutableBufferPointer { aBuffer in
            let base = aBuffer.baseAddress!
            for j in 0..<k where status == 0 {
                // Reflector j from the iid N(0, 1) entries j..<m of column j; beta_j = R_jj lands on the diagonal.
                let diagonal = base + j + j * m
                status = LAPACKE_slarfg_work(Int32(m - j), diagonal, diagonal + 1, 1, &tau[j])
                columnScale[j] = (diagonal.pointee < 0 ? -1 : 1) * Float(gain)
            }
        }
        if status == 0 {
            status = a.withUnsafeMutableBufferPointer { aBuffer in
                tau.withUnsafeMutableBufferPointer { tauBuffer in
                    LAPACKE_sorgqr(Int32(LAPACK_COL_MAJOR), Int32(m), Int32(k), Int32(k), aBuffer.baseAddress,
                                   Int32(m), tauBuffer.baseAddress)
                }
            }
        }
        guard status == 0 else {
            for i in weights.indices { weights[i] = 0 }
            return false
        }
        if rows >= cols {
            // W = Q diag(s): W[i][j] = Q[i + j m] s_j.
            for i in 0..<rows {
                for j in 0..<cols { weights[i * cols + j] = a[i + j * m] * columnScale[j] }
            }
        } else {
            // W = (Q diag(s))^T: row i of W is column i of Q, contiguous in column-major storage.
            for i in 0..<rows {
                let scale = columnScale[i]
                for j in 0..<cols { weights[i * cols + j] = a[j + i * m] * scale }
            }
        }
        return true
    }
}
