// The float types the engine's generic kernels run in (the transformer blocks, training): Float32 in the engine
// (products through the blocked GEMM on our pool, independent ones grouped in one job, phi and phi' through the engine's vectorised kernels), Double in
// the tests (cblas_dgemm, phi from its Double formula), so the finite-difference tests run the engine's own code.
// Legend: C (m x n) = alpha op(A) (m x k) op(B) (k x n) + beta C, row-major with leading dimensions in elements.
import COpenBLAS
import Foundation

/// A float type the generic kernels run in (Float in the engine, Double in the finite-difference tests).
protocol EngineScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable {
    /// Row-major C = alpha op(A) op(B) + beta C; `threads` caps the threads of the product (1 = this thread);
    /// the result does not depend on it.
    static func gemm(m: Int, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int, transposeA: Bool,
                     b: UnsafePointer<Self>, ldb: Int, transposeB: Bool, c: UnsafeMutablePointer<Self>, ldc: Int,
                     alpha: Self, beta: Self, threads: Int?)
    /// Independent products (no C overlaps another's operands or C) in one pool job where that pays
    /// (`GEMM.multiplyTogether`); the result does not depend on the thread count.
    static func gemmTogether(_ products: [GEMMProduct<Self>])
    /// values <- phi(values), element-wise.
    static func activate(_ phi: Activation, _ values: UnsafeMutableBufferPointer<Self>)
    /// Whether `multiplyByDerivative` always reads h (else it may take nil there and work from a alone).
    static func derivativeNeedsPreactivation(_ phi: Activation) -> Bool
    /// gradient *= phi'(h) from the pre-activation h and the activation a = phi(h) (same shapes); with h, NaN where
    /// h is NaN or infinite (as the MLP); h may be nil when `derivativeNeedsPreactivation` is false and every h was
    /// finite.
    static func multiplyByDerivative(_ phi: Activation, _ gradient: UnsafeMutableBufferPointer<Self>,
                                     preactivation h: UnsafeBufferPointer<Self>?, activation a: UnsafeBufferPointer<Self>)
    /// Whether any of `values` is NaN or infinite.
    static func containsNonFinite(_ values: UnsafeBufferPointer<Self>) -> Bool
    /// e^x.
    static func exponential(_ x: Self) -> Self
    /// Eight lanes widened to Double (exact).
    static func widened(_ lanes: SIMD8<Self>) -> SIMD8<Double>
    /// The square root, correctly rounded like squareRoot(), without errno (loops around it vectorise).
    static func root(_ x: Self) -> Self
}

extension EngineScalar {
    /// Row-major C = alpha op(A) op(B) + beta C on whole arrays (A m x k, B k x n, C m x n after op).
    static func multiply(m: Int, n: Int, k: Int, _ a: [Self], transposeA: Bool, _ b: [Self], transposeB: Bool,
                         into c: inout [Self], alpha: Self, beta: Self, threads: Int?) {
        Invariant.require(a.count == m * k && b.count == k * n && c.count == m * n, "EngineScalar.multiply: shape mismatch")
        guard m > 0, n > 0 else { return }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    gemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: transposeA ? m : k, transposeA: transposeA,
                         b: pb.baseAddress!, ldb: transposeB ? k : n, transposeB: transposeB, c: pc.baseAddress!, ldc: n,
                         alpha: alpha, beta: beta, threads: threads)
                }
            }
        }
    }
}

extension Float: EngineScalar {
    static func gemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
                     b: UnsafePointer<Float>, ldb: Int, transposeB: Bool, c: UnsafeMutablePointer<Float>, ldc: Int,
                     alpha: Float, beta: Float, threads: Int?) {
        GEMM.multiply(m: m, n: n, k: k, a: a, lda: lda, transposeA: transposeA, b: b, ldb: ldb, transposeB: transposeB,
                      c: c, ldc: ldc, alpha: alpha, beta: beta, threads: threads)
    }

    static func gemmTogether(_ products: [GEMMProduct<Float>]) { GEMM.multiplyTogether(products) }

    static func activate(_ phi: Activation, _ values: UnsafeMutableBufferPointer<Float>) { phi.applyInPlace(values) }

    /// phi' from a = phi(h) alone where it can be (h is then not kept unless one of it was NaN or infinite).
    static func derivativeNeedsPreactivation(_ phi: Activation) -> Bool { !phi.derivativeFromActivationValue }

    /// Without h, the MLP's path for layers whose h was finite (`multiplyByDerivativeOfValues`); with h, its path
    /// for a layer that had a non-finite h (NaN there).
    static func multiplyByDerivative(_ phi: Activation, _ gradient: UnsafeMutableBufferPointer<Float>,
                                     preactivation h: UnsafeBufferPointer<Float>?, activation a: UnsafeBufferPointer<Float>) {
        guard let h else { phi.multiplyByDerivativeOfValues(gradient, kept: a); return }
        phi.multiplyByDerivative(gradient, kept: phi.derivativeFromActivationValue ? a : h, preactivation: h)
    }

    /// The largest |x| bit pattern (an integer max, which vectorises) against infinity's.
    static func containsNonFinite(_ values: UnsafeBufferPointer<Float>) -> Bool {
        var largest: UInt32 = 0
        for x in values { largest = Swift.max(largest, x.bitPattern & 0x7fff_ffff) }
        return largest >= Float.infinity.bitPattern
    }

    @inline(__always) static func exponential(_ x: Float) -> Float { Foundation.expf(x) }

    @inline(__always) static func root(_ x: Float) -> Float { initscope_sqrtf(x) }

    /// Lane by lane (the generic SIMD conversion is not inlined; this becomes two vcvtps2pd).
    @inline(__always) static func widened(_ lanes: SIMD8<Float>) -> SIMD8<Double> {
        SIMD8<Double>(Double(lanes[0]), Double(lanes[1]), Double(lanes[2]), Double(lanes[3]),
                      Double(lanes[4]), Double(lanes[5]), Double(lanes[6]), Double(lanes[7]))
    }
}

extension Double: EngineScalar {
    static func gemm(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int, transposeA: Bool,
                     b: UnsafePointer<Double>, ldb: Int, transposeB: Bool, c: UnsafeMutablePointer<Double>, ldc: Int,
                     alpha: Double, beta: Double, threads: Int?) {
        guard m > 0, n > 0 else { return }
        _ = Parallelism.threadCount  // makes OpenBLAS single-threaded before its first call
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    static func gemmTogether(_ products: [GEMMProduct<Double>]) {
        for p in products {
            gemm(m: p.m, n: p.n, k: p.k, a: p.a, lda: p.lda, transposeA: p.transposeA, b: p.b, ldb: p.ldb,
                 transposeB: p.transposeB, c: p.c, ldc: p.ldc, alpha: p.alpha, beta: p.beta, threads: nil)
        }
    }

    static func activate(_ phi: Activation, _ values: UnsafeMutableBufferPointer<Double>) {
        for i in values.indices { values[i] = phi.value(values[i]) }
    }

    /// Always: phi' comes from h's Double formula.
    static func derivativeNeedsPreactivation(_ phi: Activation) -> Bool { true }

    static func multiplyByDerivative(_ phi: Activation, _ gradient: UnsafeMutableBufferPointer<Double>,
                                     preactivation h: UnsafeBufferPointer<Double>?, activation a: UnsafeBufferPointer<Double>) {
        guard let h else { Invariant.fail("Double's phi' needs h") }
        for i in gradient.indices { gradient[i] *= phi.derivative(h[i]) }
    }

    static func containsNonFinite(_ values: UnsafeBufferPointer<Double>) -> Bool { values.contains { !$0.isFinite } }

    @inline(__always) static func exponential(_ x: Double) -> Double { Foundation.exp(x) }

    @inline(__always) static func root(_ x: Double) -> Double { initscope_sqrt(x) }

    @inline(__always) static func widened(_ lanes: SIMD8<Double>) -> SIMD8<Double> { lanes }
}
