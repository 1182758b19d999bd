// GEMM: the blocked split (rows or columns of C) gives the same bits whatever the thread count, and the right product (against a
// Double reference, within float rounding), for every transpose combination the engine uses and for row
// counts that do not divide evenly.
import Testing
@testable import SignalFlow

@Test(arguments: [(256, 512, 512, false, false), (512, 512, 256, true, false), (256, 512, 512, false, true),
                  (100, 300, 200, false, false), (333, 64, 257, true, false), (40, 1000, 100, false, true)])
func blockedProductIsExactAndThreadIndependent(shape: (Int, Int, Int, Bool, Bool)) {
    let (m, n, k, transposeA, transposeB) = shape
    var random = RandomSource(seed: 5, stream: UInt64(m * 7 + n))
    var a = [Float](repeating: 0, count: m * k), b = [Float](repeating: 0, count: k * n)
    random.fillNormal(&a)
    random.fillNormal(&b)
    // Row-major leading dimensions of the stored A (m x k, or k x m when transposed) and B.
    let lda = transposeA ? m : k, ldb = transposeB ? k : n
    let aMatrix = Matrix(rows: transposeA ? k : m, cols: lda, elements: a)
    let bMatrix = Matrix(rows: transposeB ? n : k, cols: ldb, elements: b)
    func product(threads: Int) -> [Float] {
        let c = Matrix(rows: m, cols: n, elements: [Float](repeating: .nan, count: m * n))
        GEMM.multiply(aMatrix, transposeA: transposeA, bMatrix, transposeB: transposeB, into: c, threads: threads)
        return c.elements
    }
    let one = product(threads: 1)
    // Float rounding bound per element: k * 2^-23 * sum |a_ip b_pj| (a loose, always-valid bound).
    var worstRatio = 0.0
    for i in 0..<m {
        for j in 0..<n {
            var exact = 0.0, magnitude = 0.0
            for p in 0..<k {
                let x = Double(transposeA ? a[p * lda + i] : a[i * lda + p])
                let y = Double(transposeB ? b[j * ldb + p] : b[p * ldb + j])
                exact += x * y; magnitude += abs(x * y)
            }
            worstRatio = max(worstRatio, abs(Double(one[i * n + j]) - exact) / (Double(k) * 0x1p-23 * magnitude))
        }
    }
    #expect(worstRatio <= 1, "worst error / bound = \(worstRatio)")
    for threads in [2, 3, 8] {
        let split = product(threads: threads)
        let differing = zip(split, one).filter { $0 != $1 }.count
        #expect(differing == 0, "\(threads) threads: \(differing) of \(one.count) elements differ")
    }
}
