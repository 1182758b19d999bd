// The transformer's feed-forward sublayer d -> 4d -> d with an activation, forward and backward, generic over the
// float type (Float in the engine, Double in the finite-difference tests).
// Legend: R = B T rows; u, out are R x d; h, a are R x 4d; W1 is d x 4d, W2 is 4d x d.
//   h = u W1; a = phi(h); out = a W2.
// Backward with dO = dL/dout: dW2 = a^T dO; dh = dO W2^T; dh = dh phi'(h); dW1 = u^T dh; du = dh W1^T.
// h is written only when asked (a site shows it, or phi' needs it: `EngineScalar.derivativeNeedsPreactivation`);
// else the product goes straight into a and phi runs in place, and phi' comes from a alone (tanh: 1 - a^2), which
// spares a pass over 4 R d values each way. As in the MLP, phi' at a NaN or infinite h is NaN, which a alone cannot
// tell (tanh(inf) = 1 gives 1 - 1 = 0, relu(-inf) = 0 gives 0): the forward pass notes whether h had such a value
// (one read of each chunk while it is in cache) and, in that rare case, the backward pass forms h = u W1 again (the
// same bits) and phi' reads it.
// phi and phi' run element-wise in fixed chunks on the engine's threads (RowChunks); the backward pass's two pairs of
// independent products (dW2 with da, dW1 with du) each run as one job (GEMMGroup).

import Synchronization

/// Feed-forward kernels.
enum FeedForwardKernel {
    /// Forward: h = u W1 (kept when `keepsPreactivation`, else h's buffer is left alone), a = phi(h) (kept),
    /// out = a W2. Returns whether h had a NaN or an infinity that phi' must see (pass it to `backward`); checked
    /// only when phi' comes from a (always false otherwise: phi' reads h itself).
    @discardableResult
    static func forward<T: EngineScalar>(rows: Int, width d: Int, activation phi: Activation, input u: UnsafePointer<T>,
                                         inWeights w1: UnsafePointer<T>, outWeights w2: UnsafePointer<T>,
                                         preactivation h: UnsafeMutablePointer<T>, activation a: UnsafeMutablePointer<T>,
                                         keepsPreactivation: Bool = true, into out: UnsafeMutablePointer<T>) -> Bool {
        let hidden = 4 * d
        T.gemm(m: rows, n: hidden, k: d, a: u, lda: d, transposeA: false, b: w1, ldb: hidden, transposeB: false,
               c: keepsPreactivation ? h : a, ldc: hidden, alpha: 1, beta: 0, threads: nil)
        // a = phi(h), chunk by chunk on the engine's threads (copied, checked, then activated while the chunk is in
        // cache).
        let checksPreactivation = !T.derivativeNeedsPreactivation(phi)
        let nonFinite = Atomic<Bool>(false)
        RowChunks.forEach(count: rows * hidden) { range in
            let chunk = UnsafeMutableBufferPointer(start: a + range.lowerBound, count: range.count)
            if keepsPreactivation { chunk.baseAddress!.update(from: h + range.lowerBound, count: range.count) }
            if checksPreactivation && T.containsNonFinite(UnsafeBufferPointer(chunk)) { nonFinite.store(true, ordering: .relaxed) }
            T.activate(phi, chunk)
        }
        T.gemm(m: rows, n: d, k: hidden, a: a, lda: hidden, transposeA: false, b: w2, ldb: d, transposeB: false,
               c: out, ldc: d, alpha: 1, beta: 0, threads: nil)
        return nonFinite.load(ordering: .relaxed)
    }

    /// Backward: du = dL/du from dO (overwritten); `hiddenGradient` (R x 4d) is scratch and ends as dL/dh; h is read
    /// only when `T.derivativeNeedsPreactivation(phi)`, or formed again into `preactivation` and read when
    /// `preactivationNonFinite` (what `forward` returned): phi' is then NaN where h is not finite. With a
    /// `weightGradientScratch` (4 d^2 values), dW2 (4d x d) then dW1 (d x 4d) are formed there and shown in turn;
    /// with `weightGradientTargets`, each is formed where it says instead.
    static func backward<T: EngineScalar>(rows: Int, width d: Int, activation phi: Activation, input u: UnsafePointer<T>,
                                          inWeights w1: UnsafePointer<T>, outWeights w2: UnsafePointer<T>,
                                          preactivation h: UnsafeMutablePointer<T>, activation a: UnsafePointer<T>,
                                          preactivationNonFinite: Bool = false, outputGradient dO: UnsafePointer<T>, hiddenGradient dh: UnsafeMutablePointer<T>,
                                          weightGradientScratch scratch: UnsafeMutablePointer<T>?, into du: UnsafeMutablePointer<T>,
                                          weightGradientTargets: WeightGradientTargets<T>? = nil,
                                          weightGradient: (WeightRole, UnsafeBufferPointer<T>) -> Void = { _, _ in }) {
        let hidden = 4 * d
        // dW2 = a^T dO and da = dO W2^T in one job (independent outputs), then dW2 is shown.
        let dW2 = weightGradientTargets?[.ffnOut] ?? scratch
        T.gemmTogether((dW2.map { [GEMMProduct(m: hidden, n: d, k: rows, a: a, lda: hidden, transposeA: true, b: dO, ldb: d,
                                               transposeB: false, c: $0, ldc: d)] } ?? [])
                       + [GEMMProduct(m: rows, n: hidden, k: d, a: dO, lda: d, transposeA: false, b: w2, ldb: d,
                                      transposeB: true, c: dh, ldc: hidden)])
        if let dW2 { weightGradient(.ffnOut, UnsafeBufferPointer(start: dW2, count: hidden * d)) }
        let readsPreactivation = T.derivativeNeedsPreactivation(phi) || preactivationNonFinite
        if readsPreactivation && !T.derivativeNeedsPreactivation(phi) {
            T.gemm(m: rows, n: hidden, k: d, a: u, lda: d, transposeA: false, b: w1, ldb: hidden, transposeB: false,
                   c: h, ldc: hidden, alpha: 1, beta: 0, threads: nil)
        }
        RowChunks.forEach(count: rows * hidden) { range in
            let i = range.lowerBound
            T.multiplyByDerivative(phi, UnsafeMutableBufferPointer(start: dh + i, count: range.count),
                                   preactivation: readsPreactivation ? UnsafeBufferPointer(start: UnsafePointer(h) + i, count: range.count) : nil,
                                   activation: UnsafeBufferPointer(start: a + i, count: range.count))
        }
        // dW1 = u^T dh and du = dh W1^T in one job (both only read dh), then dW1 is shown.
        let dW1 = weightGradientTargets?[.ffnIn] ?? scratch
        T.gemmTogether((dW1.map { [GEMMProduct(m: d, n: hidden, k: rows, a: u, lda: d, transposeA: true,
                                               b: UnsafePointer(dh), ldb: hidden, transposeB: false, c: $0, ldc: hidden)] } ?? [])
                       + [GEMMProduct(m: rows, n: d, k: hidden, a: UnsafePointer(dh), lda: hidden, transposeA: false, b: w1,
                                      ldb: hidden, transposeB: true, c: du, ldc: d)])
        if let dW1 { weightGradient(.ffnIn, UnsafeBufferPointer(start: dW1, count: d * hidden)) }
    }
}
