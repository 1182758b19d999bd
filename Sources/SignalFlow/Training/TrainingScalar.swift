// The number type training runs in: Float32 for the engine, Double for the finite-difference checks. One
// training code path, written once over this protocol; its products go to BLAS (sgemm through the engine's
// blocked GEMM wrapper, dgemm directly).
// Legend: C (m x n) = alpha * op(A) (m x k) * op(B) (k x n) + beta * C, row-major.
import COpenBLAS
import Foundation

/// Float or Double: what the trainer needs beyond BinaryFloatingPoint (products, phi, exp and log).
public protocol TrainingScalar: BinaryFloatingPoint, Sendable {
    /// Row-major C = alpha * op(A) op(B) + beta * C on arrays; `threads` = GEMM threads (nil = the engine's).
    static func multiply(m: Int, n: Int, k: Int, _ a: [Self], transposeA: Bool, _ b: [Self], transposeB: Bool,
                         into c: inout [Self], alpha: Self, beta: Self, threads: Int?)
    /// phi(x).
    static func activate(_ activation: Activation, _ x: Self) -> Self
    /// phi'(x), the engine's conventions (left derivative at kinks).
    static func activationDerivative(_ activation: Activation, _ x: Self) -> Self
    /// e^x.
    static func exponential(_ x: Self) -> Self
    /// Square root.
    static func root(_ x: Self) -> Self
}

extension Float: TrainingScalar {
    /// sgemm through `GEMM`: the same fixed blocking as the propagation, so results do not depend on `threads`.
    public static func multiply(m: Int, n: Int, k: Int, _ a: [Float], transposeA: Bool, _ b: [Float], transposeB: Bool,
                                into c: inout [Float], alpha: Float, beta: Float, threads: Int?) {
        precondition(a.count == m * k && b.count == k * n && c.count == m * n, "TrainingScalar.multiply: shape mismatch")
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    GEMM.multiply(m: m, n: n, k: k, a: pa.baseAddress!, lda: transposeA ? m : k, transposeA: transposeA,
                                  b: pb.baseAddress!, ldb: transposeB ? k : n, transposeB: transposeB,
                                  c: pc.baseAddress!, ldc: n, alpha: alpha, beta: beta, threads: threads)
                }
            }
        }
    }
    @inline(__always) public static func activate(_ activation: Activation, _ x: Float) -> Float { activation.value(x) }
    @inline(__always) public static func activationDerivative(_ activation: Activation, _ x: Float) -> Float {
        activation.derivative(x)
    }
    @inline(__always) public static func exponential(_ x: Float) -> Float { Foundation.expf(x) }
    @inline(__always) public static func root(_ x: Float) -> Float { x.squareRoot() }
}

extension Double: TrainingScalar {
    /// dgemm on the calling thread (checks and small shapes only).
    public static func multiply(m: Int, n: Int, k: Int, _ a: [Double], transposeA: Bool, _ b: [Double], transposeB: Bool,
                                into c: inout [Double], alpha: Double, beta: Double, threads: Int?) {
        precondition(a.count == m * k && b.count == k * n && c.count == m * n, "TrainingScalar.multiply: shape mismatch")
        guard m > 0, n > 0 else { return }
        _ = Parallelism.threadCount  // makes OpenBLAS single-threaded before its first call
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(transposeA ? m : k), b, Int32(transposeB ? k : n),
                    beta, &c, Int32(n))
    }
    @inline(__always) public static func activate(_ activation: Activation, _ x: Double) -> Double { activation.value(x) }
    @inline(__always) public static func activationDerivative(_ activation: Activation, _ x: Double) -> Double {
        activation.derivative(x)
    }
    @inline(__always) public static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
    @inline(__always) public static func root(_ x: Double) -> Double { x.squareRoot() }
}
