// The float types the block kernels run in: Float32 in the engine (products through the blocked GEMM on our pool,
// phi and phi' through the engine's vectorised kernels), Double in the tests (cblas_dgemm, phi from its Double
// formula), so the finite-difference tests run the same kernel code as the engine.
// Legend: C (m x n) = alpha op(A) (m x k) op(B) (k x n) + beta C, row-major with leading dimensions in elements.
import COpenBLAS
import Foundation

/// A float type the transformer kernels are generic over (Float in the engine, Double in the tests).
protocol EngineScalar: BinaryFloatingPoint {
    /// Row-major C = alpha op(A) op(B) + beta C; `threads` caps the threads of the product (1 = this thread).
    static func gemm(m: Int, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int, transposeA: Bool,
                     b: UnsafePointer<Self>, ldb: Int, transposeB: Bool, c: UnsafeMutablePointer<Self>, ldc: Int,
                     alpha: Self, beta: Self, threads: Int?)
    /// values <- phi(values), element-wise.
    static func activate(_ phi: Activation, _ values: UnsafeMutableBufferPointer<Self>)
    /// gradient *= phi'(h) from the pre-activation h and the activation a = phi(h) (same shapes).
    static func multiplyByDerivative(_ phi: Activation, _ gradient: UnsafeMutableBufferPointer<Self>,
                                     preactivation h: UnsafeBufferPointer<Self>, activation a: UnsafeBufferPointer<Self>)
    /// e^x.
    static func exponential(_ x: Self) -> Self
}

extension Float: EngineScalar {
    static func gemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
                     b: UnsafePointer<Float>, ldb: Int, transposeB: Bool, c: UnsafeMutablePointer<Float>, ldc: Int,
                     alpha: Float, beta: Float, threads: Int?) {
        GEMM.multiply(m: m, n: n, k: k, a: a, lda: lda, transposeA: transposeA, b: b, ldb: ldb, transposeB: transposeB,
                      c: c, ldc: ldc, alpha: alpha, beta: beta, threads: threads)
    }

    static func activate(_ phi: Activation, _ values: UnsafeMutableBufferPointer<Float>) { phi.applyInPlace(values) }

    static func multiplyByDerivative(_ phi: Activation, _ gradient: UnsafeMutableBufferPointer<Float>,
                                     preactivation h: UnsafeBufferPointer<Float>, activation a: UnsafeBufferPointer<Float>) {
        phi.multiplyByDerivative(gradient, kept: phi.derivativeFromActivationValue ? a : h, preactivation: h)
    }

    // exponential: TrainingScalar's `Float.exponential` (expf) satisfies this requirement too.
}

extension Double: EngineScalar {
    static func gemm(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int, transposeA: Bool,
                     b: UnsafePointer<Double>, ldb: Int, transposeB: Bool, c: UnsafeMutablePointer<Double>, ldc: Int,
                     alpha: Double, beta: Double, threads: Int?) {
        guard m > 0, n > 0 else { return }
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    static func activate(_ phi: Activation, _ values: UnsafeMutableBufferPointer<Double>) {
        for i in values.indices { values[i] = phi.value(values[i]) }
    }

    static func multiplyByDerivative(_ phi: Activation, _ gradient: UnsafeMutableBufferPointer<Double>,
                                     preactivation h: UnsafeBufferPointer<Double>, activation a: UnsafeBufferPointer<Double>) {
        for i in gradient.indices { gradient[i] *= phi.derivative(h[i]) }
    }

    // exponential: TrainingScalar's `Double.exponential` (exp) satisfies this requirement too.
}
