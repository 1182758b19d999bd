// An MLP with a read-out, as trainable parameters: forward keeping what backward needs, backward to every
// parameter's gradient. Products through the engine's blocked GEMM; bias adds, phi and phi' through the engine's
// lane-wise kernels (EngineScalar), so every result is the same for any thread count.
// Legend: B = rows, n_l = widths[l] (n_0 = input width d), L = depth, o = outputs.
// h^l = x^{l-1} W^l + b^l, x^l = phi(h^l) for l = 1...L; z = x^L W_out + b_out (B x o).
// Parameters in order [W^1, b^1, ..., W^L, b^L, W_out, b_out]; W^l is n_{l-1} x n_l row-major.
// Backward: delta^l = dL/dh^l; dW^l = x^{l-1}^T delta^l; db^l = column sums of delta^l; dx^{l-1} = delta^l W^l^T.

/// The trainable network: weights and biases of L dense layers and the read-out.
struct TrainableMLP<T: EngineScalar> {
    let widths: [Int]
    let outputs: Int
    let activation: Activation
    /// [W^1, b^1, ..., W^L, b^L, W_out, b_out].
    var parameters: [[T]]
    /// GEMM and element-wise threads (nil = the engine's count); results do not depend on it.
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

    /// h = x W^l + b^l into `h` (rows x fanOut; reallocated when its size differs).
    private func dense(_ x: [T], rows: Int, layer l: Int, into h: inout [T]) {
        let (fanIn, fanOut) = shape(layer: l)
        let w = Self.weightIndex(layer: l)
        Self.resize(&h, to: rows * fanOut)
        T.multiply(m: rows, n: fanOut, k: fanIn, x, transposeA: false, parameters[w], transposeB: false, into: &h,
                   alpha: 1, beta: 0, threads: threads)
        Self.addBias(parameters[w + 1], to: &h, rows: rows)
    }

    /// Makes `array` hold `count` elements (zeros when it is reallocated; kept as is when the size is right).
    static func resize(_ array: inout [T], to count: Int) {
        if array.count != count { array = [T](repeating: 0, count: count) }
    }

    /// h[r, j] += bias[j] for every row r (rows x bias.count).
    static func addBias(_ bias: [T], to h: inout [T], rows: Int) {
        let cols = bias.count
        bias.withUnsafeBufferPointer { b in
            h.withUnsafeMutableBufferPointer { out in
                for r in 0..<rows {
                    let row = out.baseAddress! + r * cols
                    for j in 0..<cols { row[j] += b[j] }
                }
            }
        }
    }

    /// phi of every element of h, as a new array.
    static func activated(_ h: [T], _ phi: Activation) -> [T] {
        var x = h
        x.withUnsafeMutableBufferPointer { T.activate(phi, $0) }
        return x
    }

    /// x = phi(h) into `x` (reallocated when its size differs).
    static func activate(_ h: [T], _ phi: Activation, into x: inout [T]) {
        resize(&x, to: h.count)
        h.withUnsafeBufferPointer { source in
            x.withUnsafeMutableBufferPointer { out in
                out.baseAddress!.update(from: source.baseAddress!, count: source.count)
                T.activate(phi, out)
            }
        }
    }

    /// Forward pass on `rows` inputs (rows x n_0).
    func forward(_ input: [T], rows: Int) -> Forward {
        var kept = Forward(input: input, preactivations: [], activations: [], outputs: [], rows: rows)
        forward(input, rows: rows, into: &kept)
        return kept
    }

    /// `forward` into `kept`, reusing its arrays (nothing is allocated when they have the sizes of the last call).
    func forward(_ input: [T], rows: Int, into kept: inout Forward) {
        kept.input = input; kept.rows = rows
        if kept.preactivations.count != depth {
            kept.preactivations = [[T]](repeating: [], count: depth); kept.activations = kept.preactivations
        }
        for l in 1...Swift.max(depth, 1) where depth >= 1 {
            let x = l == 1 ? input : kept.activations[l - 2]
            dense(x, rows: rows, layer: l, into: &kept.preactivations[l - 1])
            Self.activate(kept.preactivations[l - 1], activation, into: &kept.activations[l - 1])
        }
        dense(depth >= 1 ? kept.activations[depth - 1] : input, rows: rows, layer: depth + 1, into: &kept.outputs)
    }

    /// Gradients of the loss with respect to every parameter (same order and shapes), from dL/dz.
    func backward(_ forward: Forward, outputGradient: [T]) -> [[T]] {
        var gradients = parameters.map { [T](repeating: 0, count: $0.count) }
        var scratch: [[T]] = []
        backward(forward, outputGradient: outputGradient, into: &gradients, scratch: &scratch)
        return gradients
    }

    /// `backward` into `gradients` (shaped as `parameters`; every entry is overwritten); `scratch` keeps the two
    /// buffers of dL/dh between calls.
    func backward(_ forward: Forward, outputGradient: [T], into gradients: inout [[T]], scratch: inout [[T]]) {
        let rows = forward.rows
        if scratch.count != 1 { scratch = [[]] }
        var delta = outputGradient   // dL/dz, then dL/dh^l
        for l in stride(from: depth + 1, through: 1, by: -1) {
            let (fanIn, fanOut) = shape(layer: l)
            let w = Self.weightIndex(layer: l)
            let x = forward.activation(l - 1)
            T.multiply(m: fanIn, n: fanOut, k: rows, x, transposeA: true, delta, transposeB: false,
                       into: &gradients[w], alpha: 1, beta: 0, threads: threads)
            Self.columnSums(delta, rows: rows, into: &gradients[w + 1])
            guard l > 1 else { break }
            Self.resize(&scratch[0], to: rows * fanIn)
            T.multiply(m: rows, n: fanIn, k: fanOut, delta, transposeA: false, parameters[w], transposeB: true,
                       into: &scratch[0], alpha: 1, beta: 0, threads: threads)
            let phi = activation
            forward.preactivations[l - 2].withUnsafeBufferPointer { h in
                forward.activations[l - 2].withUnsafeBufferPointer { a in
                    scratch[0].withUnsafeMutableBufferPointer { T.multiplyByDerivative(phi, $0, preactivation: h, activation: a) }
                }
            }
            swap(&delta, &scratch[0])   // the old delta's storage is the next layer's scratch
        }
    }

    /// sums[j] = sum over rows r of m[r, j], rows added in order (rows x sums.count).
    static func columnSums(_ m: [T], rows: Int, into sums: inout [T]) {
        let cols = sums.count
        m.withUnsafeBufferPointer { source in
            sums.withUnsafeMutableBufferPointer { out in
                for j in 0..<cols { out[j] = 0 }
                for r in 0..<rows {
                    let row = source.baseAddress! + r * cols
                    for j in 0..<cols { out[j] += row[j] }
                }
            }
        }
    }
}
