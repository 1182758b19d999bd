// An MLP with a read-out, as trainable parameters: forward keeping what backward needs, backward to every
// parameter's gradient.
// Legend: B = rows, n_l = widths[l] (n_0 = input width d), L = depth, o = outputs.
// h^l = x^{l-1} W^l + b^l, x^l = phi(h^l) for l = 1...L; z = x^L W_out + b_out (B x o).
// Parameters in order [W^1, b^1, ..., W^L, b^L, W_out, b_out]; W^l is n_{l-1} x n_l row-major.
// Backward: delta^l = dL/dh^l; dW^l = x^{l-1}^T delta^l; db^l = column sums of delta^l; dx^{l-1} = delta^l W^l^T.

/// The trainable network: weights and biases of L dense layers and the read-out.
struct TrainableMLP<T: TrainingScalar> {
    let widths: [Int]
    let outputs: Int
    let activation: Activation
    /// [W^1, b^1, ..., W^L, b^L, W_out, b_out].
    var parameters: [[T]]
    /// GEMM threads (nil = the engine's count); results do not depend on it.
    var threads: Int?

    var depth: Int { widths.count - 1 }
    /// Index in `parameters` of W^l (l = 1...L+1, L+1 = read-out); its bias follows.
    static func weightIndex(layer l: Int) -> Int { 2 * (l - 1) }

    /// Fan-in and fan-out of weight layer l (L+1 = read-out).
    func shape(layer l: Int) -> (fanIn: Int, fanOut: Int) {
        l <= depth ? (widths[l - 1], widths[l]) : (widths[depth], outputs)
    }

    /// What one forward pass keeps: h^l and x^l (l = 1...L; x^0 is the input), and z.
    struct Forward {
        var input: [T]
        var preactivations: [[T]]
        var activations: [[T]]
        var outputs: [T]
        var rows: Int
        /// x^l for l = 0...L.
        func activation(_ l: Int) -> [T] { l == 0 ? input : activations[l - 1] }
    }

    /// x W + b (rows x fanOut).
    private func dense(_ x: [T], rows: Int, layer l: Int) -> [T] {
        let (fanIn, fanOut) = shape(layer: l)
        let w = Self.weightIndex(layer: l)
        var h = [T](repeating: 0, count: rows * fanOut)
        T.multiply(m: rows, n: fanOut, k: fanIn, x, transposeA: false, parameters[w], transposeB: false, into: &h,
                   alpha: 1, beta: 0, threads: threads)
        let bias = parameters[w + 1]
        h.withUnsafeMutableBufferPointer { out in
            for r in 0..<rows { for j in 0..<fanOut { out[r * fanOut + j] += bias[j] } }
        }
        return h
    }

    /// Forward pass on `rows` inputs (rows x n_0).
    func forward(_ input: [T], rows: Int) -> Forward {
        var pre: [[T]] = [], post: [[T]] = []
        pre.reserveCapacity(depth); post.reserveCapacity(depth)
        var x = input
        for l in 1...Swift.max(depth, 1) where depth >= 1 {
            let h = dense(x, rows: rows, layer: l)
            let phi = activation
            x = h.map { T.activate(phi, $0) }
            pre.append(h); post.append(x)
        }
        let z = dense(x, rows: rows, layer: depth + 1)
        return Forward(input: input, preactivations: pre, activations: post, outputs: z, rows: rows)
    }

    /// Gradients of the loss with respect to every parameter (same order and shapes), from dL/dz.
    func backward(_ forward: Forward, outputGradient: [T]) -> [[T]] {
        var gradients = parameters.map { [T](repeating: 0, count: $0.count) }
        let rows = forward.rows
        var delta = outputGradient   // dL/dz, then dL/dh^l
        for l in stride(from: depth + 1, through: 1, by: -1) {
            let (fanIn, fanOut) = shape(layer: l)
            let w = Self.weightIndex(layer: l)
            let x = forward.activation(l - 1)
            T.multiply(m: fanIn, n: fanOut, k: rows, x, transposeA: true, delta, transposeB: false,
                       into: &gradients[w], alpha: 1, beta: 0, threads: threads)
            gradients[w + 1].withUnsafeMutableBufferPointer { db in
                for r in 0..<rows { for j in 0..<fanOut { db[j] += delta[r * fanOut + j] } }
            }
            guard l > 1 else { break }
            var upstream = [T](repeating: 0, count: rows * fanIn)
            T.multiply(m: rows, n: fanIn, k: fanOut, delta, transposeA: false, parameters[w], transposeB: true,
                       into: &upstream, alpha: 1, beta: 0, threads: threads)
            let h = forward.preactivations[l - 2], phi = activation
            for i in upstream.indices { upstream[i] *= T.activationDerivative(phi, h[i]) }
            delta = upstream
        }
        return gradients
    }
}
