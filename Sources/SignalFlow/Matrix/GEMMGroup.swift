// Independent products of one layer in one pool job: each cut into at most a few blocks (a fixed rule on its
// shape), and every block of every product claimed by whichever thread is free. Two products of equal work then
// run side by side, each whole (or in halves), instead of one after the other cut in four: every operand is packed
// once instead of once per block, and there is one hand-off instead of two.
// Legend: C (m x n) = alpha op(A) (m x k) op(B) (k x n) + beta C, row-major, leading dimensions in elements.

/// The operands of one row-major product C = alpha op(A) op(B) + beta C (leading dimensions in elements).
struct GEMMProduct<T: BinaryFloatingPoint> {
    var m, n, k: Int
    var a: UnsafePointer<T>, lda: Int, transposeA: Bool
    var b: UnsafePointer<T>, ldb: Int, transposeB: Bool
    var c: UnsafeMutablePointer<T>, ldc: Int
    var alpha: T = 1, beta: T = 0
}

extension GEMM {
    /// Blocks per product of a group (`multiplyTogether`): the group's products already keep the threads busy.
    static let groupBlocks = 2

    /// The products, which must be independent (no C overlaps another product's operands or C), in one pool job:
    /// each cut by `blocking(most: groupBlocks)`, a rule on its shape alone, so the results do not depend on the
    /// thread count.
    static func multiplyTogether(_ products: [GEMMProduct<Float>]) {
        let configured = threadCount   // also makes sure OpenBLAS itself is single-threaded
        let live = products.filter { $0.m > 0 && $0.n > 0 }
        let blockings = live.map { blocking(m: $0.m, n: $0.n, k: $0.k, most: groupBlocks) }
        var starts: [Int] = [], total = 0
        for blocks in blockings { starts.append(total); total += blocks.count }
        Parallelism.run(total, threads: configured) { index in
            var product = starts.count - 1
            while starts[product] > index { product -= 1 }
            multiplyBlock(live[product], blockings[product], index - starts[product])
        }
    }
}
