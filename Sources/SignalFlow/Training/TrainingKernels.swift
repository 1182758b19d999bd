// Element-wise passes of training over whole tensors (parameters, gradients, optimizer state, activations): eight
// lanes at a time, in fixed chunks of `chunkLength` elements, the chunks of every tensor of a pass spread over up to
// `threads` threads in one job. Sums are formed per chunk in Double and added in chunk order, and each element's
// arithmetic is the scalar formula's, in the same order: every result is the same bits for any thread count.
// Legend: N = elements of a tensor; K = chunkLength (a multiple of 8); chunk c of a tensor covers
// [c K, min((c + 1) K, N)); lanes = 8 (the last < 8 elements of a chunk run in lanes padded with zeros).

/// Count, sum and sum of squares of a tensor's entries, in Double.
struct TensorMoments: Equatable, Sendable {
    var count = 0
    var sum = 0.0
    var sumOfSquares = 0.0

    /// Adds another part's sums (parts must be added in a fixed order for fixed bits).
    mutating func add(_ other: TensorMoments) {
        count += other.count; sum += other.sum; sumOfSquares += other.sumOfSquares
    }

    /// Population variance (0 for no entries); NaN when any entry was not finite.
    var variance: Double {
        guard count > 0 else { return 0 }
        let n = Double(count), mean = sum / n
        return Swift.max(sumOfSquares / n - mean * mean, 0) * (sum.isFinite && sumOfSquares.isFinite ? 1 : .nan)
    }
}

/// What an optimizer step did to one tensor: the moments of its values before the step and of the change.
struct UpdateMoments: Equatable, Sendable {
    /// Moments of the parameter's values before the step.
    var before = TensorMoments()
    /// Moments of (value after - value before), the differences taken in Double.
    var change = TensorMoments()

    mutating func add(_ other: UpdateMoments) { before.add(other.before); change.add(other.change) }

    /// std(change) / std(before); nil when std(before) = 0.
    var updateToData: Double? {
        let data = before.variance.squareRoot()
        return data > 0 ? change.variance.squareRoot() / data : nil
    }
}

/// The per-element rule of an optimizer step on lanes (p the parameter, g the gradient, m and v its state).
enum UpdateRule<T: EngineScalar> {
    /// p -= lr g.
    case sgd(rate: T)
    /// b = mu b + g (b = g when `first`); p -= lr b.
    case momentum(rate: T, mu: T, first: Bool)
    /// p *= keep (1 without decay); m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g g;
    /// p -= step m / (sqrt(v) / root2 + eps).
    case adam(keep: T?, b1: T, b2: T, step: T, root2: T, eps: T)
}

/// Chunked, lane-wise kernels of training.
enum TrainingKernels {
    /// Elements per chunk (a multiple of 8): the unit of work handed to a thread and of the partial sums.
    static let chunkLength = 1 << 14

    /// One chunk of one tensor of a pass.
    struct Chunk {
        var tensor: Int
        var range: Range<Int>
    }

    /// The chunks of tensors of the given lengths, tensor by tensor.
    static func chunks(lengths: [Int]) -> [Chunk] {
        var out: [Chunk] = []
        for (tensor, n) in lengths.enumerated() {
            var start = 0
            while start < n {
                let end = Swift.min(start + chunkLength, n)
                out.append(Chunk(tensor: tensor, range: start..<end))
                start = end
            }
        }
        return out
    }

    /// Runs `body` on every chunk (up to `threads` threads) and adds the chunks' results per tensor in chunk order.
    static func perTensor<R>(lengths: [Int], threads: Int?, zero: R, add: (inout R, R) -> Void,
                             _ body: (Chunk) -> R) -> [R] {
        let all = chunks(lengths: lengths)
        var results = [R](repeating: zero, count: all.count)
        results.withUnsafeMutableBufferPointer { slots in
            Parallelism.run(all.count, threads: all.count > 1 ? threads : 1) { index in slots[index] = body(all[index]) }
        }
        var totals = [R](repeating: zero, count: lengths.count)
        for (index, chunk) in all.enumerated() { add(&totals[chunk.tensor], results[index]) }
        return totals
    }

    @inline(__always)
    static func load<T: EngineScalar>(_ p: UnsafePointer<T>, _ i: Int, _ n: Int) -> SIMD8<T> {
        if n == 8 { return UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<T>.self) }
        var v = SIMD8<T>()
        for j in 0..<n { v[j] = p[i + j] }
        return v
    }

    @inline(__always)
    static func store<T: EngineScalar>(_ v: SIMD8<T>, _ p: UnsafeMutablePointer<T>, _ i: Int, _ n: Int) {
        if n == 8 { UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD8<T>.self); return }
        for j in 0..<n { p[i + j] = v[j] }
    }

    /// Moments of each tensor (padded lanes are zeros and add nothing).
    static func moments<T: EngineScalar>(_ tensors: [UnsafeBufferPointer<T>], threads: Int?) -> [TensorMoments] {
        perTensor(lengths: tensors.map(\.count), threads: threads, zero: TensorMoments(), add: { $0.add($1) }) { chunk in
            let p = tensors[chunk.tensor].baseAddress!
            var s1 = SIMD8<Double>(), s2 = SIMD8<Double>()
            var i = chunk.range.lowerBound
            while i < chunk.range.upperBound {
                let n = Swift.min(8, chunk.range.upperBound - i)
                let v = T.widened(load(p, i, n))
                s1 += v; s2 += v * v
                i += 8
            }
            return TensorMoments(count: chunk.range.count, sum: s1.sum(), sumOfSquares: s2.sum())
        }
    }

    /// values *= factor, element-wise.
    static func scale<T: EngineScalar>(_ tensors: [UnsafeMutableBufferPointer<T>], by factor: T, threads: Int?) {
        let f = SIMD8<T>(repeating: factor)
        _ = perTensor(lengths: tensors.map(\.count), threads: threads, zero: 0, add: { _, _ in }) { chunk in
            let p = tensors[chunk.tensor].baseAddress!
            var i = chunk.range.lowerBound
            while i < chunk.range.upperBound {
                let n = Swift.min(8, chunk.range.upperBound - i)
                store(load(p, i, n) * f, p, i, n)
                i += 8
            }
            return 0
        }
    }

    /// One optimizer step on every tensor: parameters p, gradients g, state m (momentum buffer or Adam's first
    /// moment; unused by sgd) and v (Adam's second moment; unused otherwise). Returns each tensor's update moments.
    static func update<T: EngineScalar>(_ rule: UpdateRule<T>, parameters: [UnsafeMutableBufferPointer<T>],
                                        gradients: [UnsafeBufferPointer<T>], first: [UnsafeMutableBufferPointer<T>],
                                        second: [UnsafeMutableBufferPointer<T>], threads: Int?) -> [UpdateMoments] {
        perTensor(lengths: parameters.map(\.count), threads: threads, zero: UpdateMoments(), add: { $0.add($1) }) { chunk in
            let t = chunk.tensor
            let p = parameters[t].baseAddress!, g = gradients[t].baseAddress!
            var b1 = SIMD8<Double>(), b2 = SIMD8<Double>(), c1 = SIMD8<Double>(), c2 = SIMD8<Double>()
            @inline(__always) func measure(_ before: SIMD8<T>, _ after: SIMD8<T>) {
                let x = T.widened(before), d = T.widened(after) - x
                b1 += x; b2 += x * x; c1 += d; c2 += d * d
            }
            var i = chunk.range.lowerBound
            let end = chunk.range.upperBound
            switch rule {
            case .sgd(let rate):
                let r = SIMD8<T>(repeating: rate)
                while i < end {
                    let n = Swift.min(8, end - i)
                    let before = load(p, i, n), after = before - r * load(g, i, n)
                    store(after, p, i, n); measure(before, after)
                    i += 8
                }
            case .momentum(let rate, let mu, let isFirst):
                let r = SIMD8<T>(repeating: rate), u = SIMD8<T>(repeating: mu), m = first[t].baseAddress!
                while i < end {
                    let n = Swift.min(8, end - i)
                    let gv = load(g, i, n)
                    let b = isFirst ? gv : u * load(m, i, n) + gv
                    store(b, m, i, n)
                    let before = load(p, i, n), after = before - r * b
                    store(after, p, i, n); measure(before, after)
                    i += 8
                }
            case .adam(let keep, let beta1, let beta2, let step, let root2, let eps):
                let m = first[t].baseAddress!, v = second[t].baseAddress!
                let k = SIMD8<T>(repeating: keep ?? 1), l1 = SIMD8<T>(repeating: beta1), l2 = SIMD8<T>(repeating: beta2)
                let o1 = SIMD8<T>(repeating: 1 - beta1), o2 = SIMD8<T>(repeating: 1 - beta2)
                let s = SIMD8<T>(repeating: step), r2 = SIMD8<T>(repeating: root2), e = SIMD8<T>(repeating: eps)
                while i < end {
                    let n = Swift.min(8, end - i)
                    let gv = load(g, i, n), before = load(p, i, n)
                    let decayed = keep == nil ? before : before * k
                    let mv = l1 * load(m, i, n) + o1 * gv
                    let vv = l2 * load(v, i, n) + o2 * gv * gv
                    let after = decayed - s * mv / (vv.squareRoot() / r2 + e)
                    store(mv, m, i, n); store(vv, v, i, n); store(after, p, i, n)
                    measure(before, after)
                    i += 8
                }
            }
            let count = chunk.range.count
            return UpdateMoments(before: TensorMoments(count: count, sum: b1.sum(), sumOfSquares: b2.sum()),
                                 change: TensorMoments(count: count, sum: c1.sum(), sumOfSquares: c2.sum()))
        }
    }
}

/// Pointers to every array of an array of arrays, valid inside `body` (nested accesses, one per array).
func withMutableBuffers<T, R>(_ arrays: inout [[T]], _ body: ([UnsafeMutableBufferPointer<T>]) -> R) -> R {
    arrays.withUnsafeMutableBufferPointer { outer in
        var collected: [UnsafeMutableBufferPointer<T>] = []
        collected.reserveCapacity(outer.count)
        func nest(_ index: Int) -> R {
            guard index < outer.count else { return body(collected) }
            return outer[index].withUnsafeMutableBufferPointer { inner in
                collected.append(inner)
                return nest(index + 1)
            }
        }
        return nest(0)
    }
}

/// Read-only pointers to every array of an array of arrays, valid inside `body`.
func withBuffers<T, R>(_ arrays: [[T]], _ body: ([UnsafeBufferPointer<T>]) -> R) -> R {
    var collected: [UnsafeBufferPointer<T>] = []
    collected.reserveCapacity(arrays.count)
    func nest(_ index: Int) -> R {
        guard index < arrays.count else { return body(collected) }
        return arrays[index].withUnsafeBufferPointer { inner in
            collected.append(inner)
            return nest(index + 1)
        }
    }
    return nest(0)
}
