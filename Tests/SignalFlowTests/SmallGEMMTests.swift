// SmallGEMM, attention's per-head products: every element is exactly its stated rounding (products rounded, summed
// in order, then times alpha: compared bit for bit with a scalar loop), within Float's rounding bound of a Double
// reference, and close to cblas_sgemm; for every transpose combination, leading dimensions wider than the operands,
// and sizes that leave edges (not multiples of the 4 x 16 tile).
import COpenBLAS
import Testing
@testable import SignalFlow

/// (m, n, k, transposeA, transposeB): attention's shapes (T x T by d_k, T x d_k by T) and edges.
private let smallShapes: [(Int, Int, Int, Bool, Bool)] = [
    (64, 64, 64, false, true), (64, 64, 64, false, false), (64, 64, 64, true, false),
    (7, 13, 5, false, true), (33, 25, 17, true, false), (1, 1, 1, false, false), (5, 9, 3, true, true),
    (32, 8, 32, false, false), (12, 31, 40, false, true),
]

@Test(arguments: smallShapes)
func smallProductIsItsStatedRoundingAndCloseToBLAS(shape: (Int, Int, Int, Bool, Bool)) {
    let (m, n, k, transposeA, transposeB) = shape
    var random = RandomSource(seed: 11, stream: UInt64(m * 1000 + n * 10 + k))
    // Stored A is m x k (or k x m) inside rows of lda > its width, B likewise: as the heads sit in a wider tensor.
    let lda = (transposeA ? m : k) + 3, ldb = (transposeB ? k : n) + 5, ldc = n + 2
    var a = [Float](repeating: 0, count: (transposeA ? k : m) * lda), b = [Float](repeating: 0, count: (transposeB ? n : k) * ldb)
    random.fillNormal(&a)
    random.fillNormal(&b)
    let alpha: Float = 0.125
    func opA(_ i: Int, _ p: Int) -> Float { transposeA ? a[p * lda + i] : a[i * lda + p] }
    func opB(_ p: Int, _ j: Int) -> Float { transposeB ? b[j * ldb + p] : b[p * ldb + j] }
    var c = [Float](repeating: .nan, count: m * ldc)
    var scratch = [Float](repeating: 0, count: k * n)
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                scratch.withUnsafeMutableBufferPointer { ps in
                    SmallGEMM.multiply(m: m, n: n, k: k, a: pa.baseAddress!, lda: lda, transposeA: transposeA,
                                       b: pb.baseAddress!, ldb: ldb, transposeB: transposeB, c: pc.baseAddress!, ldc: ldc,
                                       alpha: alpha, scratch: ps.baseAddress!)
                }
            }
        }
    }
    var blas = [Float](repeating: 0, count: m * n)
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), 0, &blas, Int32(n))
    var notExact = 0, worstBound = 0.0, worstBLAS = 0.0
    for i in 0..<m {
        for j in 0..<n {
            var rounded: Float = 0, exact = 0.0, magnitude = 0.0
            for p in 0..<k {
                let product = opA(i, p) * opB(p, j)
                rounded = rounded + product
                exact += Double(opA(i, p)) * Double(opB(p, j)); magnitude += abs(Double(opA(i, p)) * Double(opB(p, j)))
            }
            let value = c[i * ldc + j]
            if value.bitPattern != (alpha * rounded).bitPattern { notExact += 1 }
            // Float rounding bound: (k + 1) 2^-24 * alpha * sum |a b| (k sums and the scaling, each within half an ulp).
            worstBound = max(worstBound, abs(Double(value) - Double(alpha) * exact)
                / (Double(k + 1) * 0x1p-24 * Double(alpha) * magnitude + Double.leastNonzeroMagnitude))
            // BLAS sums in another order: both within the bound of the exact value, so within twice it of each other.
            worstBLAS = max(worstBLAS, abs(Double(value) - Double(blas[i * n + j]))
                / (2 * Double(k + 1) * 0x1p-24 * Double(alpha) * magnitude + Double.leastNonzeroMagnitude))
        }
        for j in n..<ldc { #expect(c[i * ldc + j].isNaN, "C's padding column \(j) of row \(i) was written") }
    }
    #expect(notExact == 0, "\(notExact) of \(m * n) elements are not the in-order rounded sum")
    #expect(worstBound <= 1, "worst error / Float bound = \(worstBound)")
    #expect(worstBLAS <= 1, "worst difference from cblas_sgemm / twice the bound = \(worstBLAS)")
}

@Test func smallProductInDoubleIsTheDoubleProduct() {
    let m = 21, n = 19, k = 23
    var random = RandomSource(seed: 12, stream: 1)
    var a32 = [Float](repeating: 0, count: k * m), b32 = [Float](repeating: 0, count: n * k)
    random.fillNormal(&a32)
    random.fillNormal(&b32)
    let a = a32.map(Double.init), b = b32.map(Double.init)
    var c = [Double](repeating: 0, count: m * n), reference = c, scratch = [Double](repeating: 0, count: k * n)
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                scratch.withUnsafeMutableBufferPointer { ps in
                    SmallGEMM.multiply(m: m, n: n, k: k, a: pa.baseAddress!, lda: m, transposeA: true, b: pb.baseAddress!,
                                       ldb: k, transposeB: true, c: pc.baseAddress!, ldc: n, alpha: 0.5, scratch: ps.baseAddress!)
                }
            }
        }
    }
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 0.5, a, Int32(m), b, Int32(k), 0,
                &reference, Int32(n))
    // Both within (k + 1) 2^-53 alpha sum |a b| of the exact value (products of Float-valued operands are exact).
    var worst = 0.0
    for i in 0..<m {
        for j in 0..<n {
            var magnitude = 0.0
            for p in 0..<k { magnitude += abs(a[p * m + i] * b[j * k + p]) }
            worst = max(worst, abs(c[i * n + j] - reference[i * n + j]) / (2 * Double(k + 1) * 0x1p-53 * 0.5 * magnitude))
        }
    }
    #expect(worst <= 1, "worst difference from cblas_dgemm / twice the bound = \(worst)")
}
