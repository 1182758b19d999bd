// Matrix products through OpenBLAS cblas_sgemm on row-major storage.
// Legend: C (m x n) = alpha * op(A) (m x k) * op(B) (k x n) + beta * C.
import COpenBLAS

/// Thin wrappers over `cblas_sgemm` for the shapes the engine uses.
public enum GEMM {
    /// C = alpha * op(A) op(B) + beta * C with op = transpose when the flag is set; shapes are checked.
    public static func multiply(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
                                into c: Matrix, alpha: Float = 1, beta: Float = 0) {
        let m = transposeA ? a.cols : a.rows
        let k = transposeA ? a.rows : a.cols
        let kB = transposeB ? b.cols : b.rows
        let n = transposeB ? b.rows : b.cols
        precondition(k == kB && c.rows == m && c.cols == n, "GEMM shape mismatch")
        multiply(m: m, n: n, k: k, a: a.base, lda: a.cols, transposeA: transposeA,
                 b: b.base, ldb: b.cols, transposeB: transposeB, c: c.base, ldc: c.cols, alpha: alpha, beta: beta)
    }

    /// Raw row-major sgemm on pointers (leading dimensions in elements).
    @inline(__always)
    public static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
                                b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
                                c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 0) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Floating-point operations of one m x k by k x n product (2 m n k).
    public static func flops(m: Int, n: Int, k: Int) -> Double { 2 * Double(m) * Double(n) * Double(k) }

    /// Sets the number of OpenBLAS threads for subsequent products.
    public static func setThreadCount(_ threads: Int) { openblas_set_num_threads(Int32(Swift.max(threads, 1))) }
}
