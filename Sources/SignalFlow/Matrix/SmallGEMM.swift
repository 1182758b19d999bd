// Small products on the calling thread without packing or a library call: attention's per-head products (T x d_k
// by d_k x T and T x T by T x d_k per sequence and head), where cblas_sgemm's packing and call cost about half its
// time at T = d_k = 64.
// Legend: C (m x n) = alpha op(A) (m x k) op(B) (k x n), row-major, leading dimensions in elements;
//   op(A)[i, p] = a[i lda + p] (or a[p lda + i] transposed); op(B)[p, j] = b[p ldb + j] (or b[j ldb + p]
//   transposed), first copied into k x n scratch with contiguous rows.
// Rounding: every C[i, j] is c = 0; for p in 0..<k { c = c + op(A)[i, p] * op(B)[p, j] } (the product rounded, then
// the sum: no fused multiply-add, so any CPU and any build gives the same bits); then C[i, j] = alpha * c. The
// eight-lane tiles and the scalar edges round alike, so the result depends on nothing but the operands.

/// Products of small matrices (up to a few hundred on each side) on the calling thread, exactly rounded as above.
enum SmallGEMM {
    /// Rows of C per tile.
    static let tileRows = 4

    /// C = alpha op(A) op(B) (m x n, any previous contents overwritten); `scratch` holds at least k n values: op(B)
    /// is first copied there with contiguous rows (rows of a wider tensor, 1 KiB apart, share a few cache sets).
    static func multiply<T: EngineScalar>(m: Int, n: Int, k: Int, a: UnsafePointer<T>, lda: Int, transposeA: Bool,
                                          b: UnsafePointer<T>, ldb: Int, transposeB: Bool,
                                          c: UnsafeMutablePointer<T>, ldc: Int, alpha: T,
                                          scratch: UnsafeMutablePointer<T>) {
        guard m > 0, n > 0 else { return }
        if transposeB { transpose(rows: n, cols: k, b, ldb, into: scratch) } else {
            for p in 0..<k { (scratch + p * n).update(from: b + p * ldb, count: n) }
        }
        let rowsB = UnsafePointer(scratch), strideB = n
        let rowStride = transposeA ? 1 : lda, columnStride = transposeA ? lda : 1
        var i = 0
        while i + tileRows <= m {
            rowsOfTile(n: n, k: k, a: a + i * rowStride, rowStride: rowStride, columnStride: columnStride,
                       b: rowsB, ldb: strideB, c: c + i * ldc, ldc: ldc, alpha: alpha)
            i += tileRows
        }
        while i < m {
            oneRow(n: n, k: k, a: a + i * rowStride, columnStride: columnStride, b: rowsB, ldb: strideB, c: c + i * ldc,
                   alpha: alpha)
            i += 1
        }
    }

    /// out (cols x rows, contiguous) = the transpose of the rows x cols matrix at `b` (rows ldb apart): eight rows
    /// at a time, so eight lines are read at once and each store is eight values.
    private static func transpose<T: EngineScalar>(rows: Int, cols: Int, _ b: UnsafePointer<T>, _ ldb: Int,
                                                   into out: UnsafeMutablePointer<T>) {
        var j = 0
        while j + 8 <= rows {
            let r = b + j * ldb
            for p in 0..<cols {
                store(SIMD8<T>(r[p], r[ldb + p], r[2 * ldb + p], r[3 * ldb + p], r[4 * ldb + p], r[5 * ldb + p],
                               r[6 * ldb + p], r[7 * ldb + p]), out + p * rows + j)
            }
            j += 8
        }
        while j < rows {
            for p in 0..<cols { out[p * rows + j] = b[j * ldb + p] }
            j += 1
        }
    }

    /// Four rows of C: 16 columns at a time (eight accumulators of eight lanes), then 8, then one by one.
    @inline(__always)
    private static func rowsOfTile<T: EngineScalar>(n: Int, k: Int, a: UnsafePointer<T>, rowStride: Int, columnStride: Int,
                                                    b: UnsafePointer<T>, ldb: Int, c: UnsafeMutablePointer<T>, ldc: Int,
                                                    alpha: T) {
        let r1 = rowStride, r2 = 2 * rowStride, r3 = 3 * rowStride
        var j = 0
        while j + 16 <= n {
            var c00 = SIMD8<T>(), c01 = SIMD8<T>(), c10 = SIMD8<T>(), c11 = SIMD8<T>()
            var c20 = SIMD8<T>(), c21 = SIMD8<T>(), c30 = SIMD8<T>(), c31 = SIMD8<T>()
            var pa = a, pb = b + j
            for _ in 0..<k {
                let b0 = load(pb), b1 = load(pb + 8)
                var x = SIMD8<T>(repeating: pa[0]); c00 = c00 + x * b0; c01 = c01 + x * b1
                x = SIMD8<T>(repeating: pa[r1]); c10 = c10 + x * b0; c11 = c11 + x * b1
                x = SIMD8<T>(repeating: pa[r2]); c20 = c20 + x * b0; c21 = c21 + x * b1
                x = SIMD8<T>(repeating: pa[r3]); c30 = c30 + x * b0; c31 = c31 + x * b1
                pa += columnStride; pb += ldb
            }
            let s = SIMD8<T>(repeating: alpha), pc = c + j
            store(s * c00, pc); store(s * c01, pc + 8)
            store(s * c10, pc + ldc); store(s * c11, pc + ldc + 8)
            store(s * c20, pc + 2 * ldc); store(s * c21, pc + 2 * ldc + 8)
            store(s * c30, pc + 3 * ldc); store(s * c31, pc + 3 * ldc + 8)
            j += 16
        }
        if j + 8 <= n {
            var c0 = SIMD8<T>(), c1 = SIMD8<T>(), c2 = SIMD8<T>(), c3 = SIMD8<T>()
            var pa = a, pb = b + j
            for _ in 0..<k {
                let b0 = load(pb)
                c0 = c0 + SIMD8<T>(repeating: pa[0]) * b0; c1 = c1 + SIMD8<T>(repeating: pa[r1]) * b0
                c2 = c2 + SIMD8<T>(repeating: pa[r2]) * b0; c3 = c3 + SIMD8<T>(repeating: pa[r3]) * b0
                pa += columnStride; pb += ldb
            }
            let s = SIMD8<T>(repeating: alpha), pc = c + j
            store(s * c0, pc); store(s * c1, pc + ldc); store(s * c2, pc + 2 * ldc); store(s * c3, pc + 3 * ldc)
            j += 8
        }
        while j < n {
            for r in 0..<tileRows {
                c[r * ldc + j] = alpha * dot(k: k, a: a + r * rowStride, columnStride: columnStride, b: b + j, ldb: ldb)
            }
            j += 1
        }
    }

    /// One row of C (the rows left below the last tile): eight columns at a time, then one by one.
    private static func oneRow<T: EngineScalar>(n: Int, k: Int, a: UnsafePointer<T>, columnStride: Int,
                                                b: UnsafePointer<T>, ldb: Int, c: UnsafeMutablePointer<T>, alpha: T) {
        var j = 0
        while j + 8 <= n {
            var c0 = SIMD8<T>()
            var pa = a, pb = b + j
            for _ in 0..<k { c0 = c0 + SIMD8<T>(repeating: pa[0]) * load(pb); pa += columnStride; pb += ldb }
            store(SIMD8<T>(repeating: alpha) * c0, c + j)
            j += 8
        }
        while j < n {
            c[j] = alpha * dot(k: k, a: a, columnStride: columnStride, b: b + j, ldb: ldb)
            j += 1
        }
    }

    /// sum over p of a[p columnStride] * b[p ldb], in order, product then sum rounded.
    @inline(__always)
    private static func dot<T: EngineScalar>(k: Int, a: UnsafePointer<T>, columnStride: Int, b: UnsafePointer<T>,
                                             ldb: Int) -> T {
        var sum: T = 0
        for p in 0..<k { sum = sum + a[p * columnStride] * b[p * ldb] }
        return sum
    }

    @inline(__always)
    private static func load<T: EngineScalar>(_ p: UnsafePointer<T>) -> SIMD8<T> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<T>.self)
    }

    @inline(__always)
    private static func store<T: EngineScalar>(_ v: SIMD8<T>, _ p: UnsafeMutablePointer<T>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<T>.self)
    }
}
