// Matrix products through OpenBLAS cblas_sgemm on row-major storage, C cut into blocks run on our own threads.
// Legend: C (m x n) = alpha * op(A) (m x k) * op(B) (k x n) + beta * C; P = Parallelism.threadCount.
//
// OpenBLAS runs single-threaded (see Parallelism); the blocks of C run on our pool. They depend on the shape
// only, so results do not depend on P.
import COpenBLAS

/// Thin wrappers over `cblas_sgemm` for the shapes the engine uses.
public enum GEMM {
    /// Threads one product is split over (see `Parallelism`).
    public static var threadCount: Int { Parallelism.threadCount }

    /// Products below this many flops run on the calling thread (thread hand-off costs more than it saves).
    public static let parallelFlopThreshold = 4.0e6

    /// C = alpha * op(A) op(B) + beta * C with op = transpose when the flag is set; shapes are checked. C's blocks
    /// (`blocking`) run on up to `threads` threads (default `threadCount`); the result does not depend on it.
    public static func multiply(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
                                into c: Matrix, alpha: Float = 1, beta: Float = 0, threads: Int? = nil) {
        let m = transposeA ? a.cols : a.rows
        let k = transposeA ? a.rows : a.cols
        let kB = transposeB ? b.cols : b.rows
        let n = transposeB ? b.rows : b.cols
        Invariant.require(k == kB && c.rows == m && c.cols == n, "GEMM shape mismatch")
        multiply(m: m, n: n, k: k, a: a.base, lda: a.cols, transposeA: transposeA,
                 b: b.base, ldb: b.cols, transposeB: transposeB, c: c.base, ldc: c.cols, alpha: alpha, beta: beta,
                 threads: threads)
    }

    /// How C is cut into blocks: along its rows or its columns, into `count` blocks of `size` (a multiple of 16,
    /// the last block smaller). A fixed rule on the shape alone, never the thread count, so a product is
    /// bit-for-bit the same however many threads run it (OpenBLAS's rounding depends on the block shapes).
    public struct Blocking: Equatable, Sendable {
        /// True: blocks of rows of C (each packs all of op(B)); false: blocks of columns (each packs all of op(A)).
        public var alongRows: Bool
        /// Number of blocks (1 = one call).
        public var count: Int
        /// Rows or columns per block.
        public var size: Int
    }

    /// At most this many blocks per product (and so at most this many threads on one product).
    public static let maximumBlocks = 4
    /// Blocks are at least this many rows or columns wide (narrower ones waste time re-packing).
    public static let minimumBlockSize = 128

    /// The blocking of an m x k by k x n product into at most `most` blocks: the longer of C's two sides is cut,
    /// so the operand packed by every block is the smaller one; small products stay whole.
    public static func blocking(m: Int, n: Int, k: Int, most: Int = maximumBlocks) -> Blocking {
        let alongRows = m > n
        let side = alongRows ? m : n
        guard flops(m: m, n: n, k: k) >= parallelFlopThreshold else { return Blocking(alongRows: alongRows, count: 1, size: side) }
        let wanted = Swift.max(1, Swift.min(most, side / minimumBlockSize))
        let size = ((side + wanted - 1) / wanted + 15) & ~15
        return Blocking(alongRows: alongRows, count: (side + size - 1) / size, size: size)
    }

    /// Row-major sgemm on pointers (leading dimensions in elements): C's blocks (`blocking`) run on up to
    /// `threads` threads (default `threadCount`). Engine-internal: callers outside use the `Matrix` form.
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
                                b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
                                c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 0,
                                threads: Int? = nil) {
        guard m > 0, n > 0 else { return }
        let configured = threadCount   // also makes sure OpenBLAS itself is single-threaded
        let product = GEMMProduct(m: m, n: n, k: k, a: a, lda: lda, transposeA: transposeA, b: b, ldb: ldb,
                                  transposeB: transposeB, c: c, ldc: ldc, alpha: alpha, beta: beta)
        let blocks = blocking(m: m, n: n, k: k)
        Parallelism.run(blocks.count, threads: threads ?? configured) { block in multiplyBlock(product, blocks, block) }
    }

    /// Block `block` of `p` cut by `blocks`, on the calling thread.
    static func multiplyBlock(_ p: GEMMProduct<Float>, _ blocks: Blocking, _ block: Int) {
        let first = block * blocks.size
        let length = Swift.min(blocks.size, (blocks.alongRows ? p.m : p.n) - first)
        guard length > 0 else { return }
        if blocks.alongRows {
            // Row i of op(A) is row i of A, or column i of A when transposed.
            let aBlock = p.transposeA ? p.a + first : p.a + first * p.lda
            multiplyOnThisThread(m: length, n: p.n, k: p.k, a: aBlock, lda: p.lda, transposeA: p.transposeA, b: p.b,
                                 ldb: p.ldb, transposeB: p.transposeB, c: p.c + first * p.ldc, ldc: p.ldc,
                                 alpha: p.alpha, beta: p.beta)
        } else {
            // Column j of op(B) is column j of B, or row j of B when transposed.
            let bBlock = p.transposeB ? p.b + first * p.ldb : p.b + first
            multiplyOnThisThread(m: p.m, n: length, k: p.k, a: p.a, lda: p.lda, transposeA: p.transposeA, b: bBlock,
                                 ldb: p.ldb, transposeB: p.transposeB, c: p.c + first, ldc: p.ldc,
                                 alpha: p.alpha, beta: p.beta)
        }
    }

    /// One cblas_sgemm call on the calling thread.
    @inline(__always)
    static func multiplyOnThisThread(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
                                     b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
                                     c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Floating-point operations of one m x k by k x n product (2 m n k).
    public static func flops(m: Int, n: Int, k: Int) -> Double { 2 * Double(m) * Double(n) * Double(k) }
}
