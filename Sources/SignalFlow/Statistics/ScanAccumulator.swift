// The running sums of one pass over a tensor part, fed block by block: shared by the plain scan and the fused
// kernels that scan while they compute (activation, derivative), so both give the same bits.
// Legend: N = elements of the part; K = `blockLength` elements per block (a multiple of 8); lanes = 8.
//
// Moments are formed in Double from the start: d = Double(v) - shift, d * d in Double (a square or a partial sum
// taken in Float loses values below about 1e-19, whose squares underflow Float32). A block of finite values runs
// in eight lanes; a block holding a NaN or an infinity is redone element by element (the values are still there).

/// Running sums of the elements of one tensor part, fed in blocks of `blockLength` from the part's start.
struct ScanAccumulator {
    /// Elements per block: the unit of the finiteness check and of the fallback.
    static let blockLength = 2048

    /// Moments are taken about this value (the part's first element when finite, else 0).
    let shift: Double
    let saturation: SaturationRule
    private let shiftLanes: SIMD8<Double>
    private var sumLanes = SIMD8<Double>(), sumSquaresLanes = SIMD8<Double>()
    private var lowLanes = SIMD8<Float>(repeating: .infinity), highLanes = SIMD8<Float>(repeating: -.infinity)
    private var lowMagnitudeLanes = SIMD8<Float>(repeating: .infinity)
    /// Sums of the elements outside finite 8-lane runs (non-finite blocks, tails), element by element.
    private var scalarSum = 0.0, scalarSumSquares = 0.0
    private var scalarLow = Double.infinity, scalarHigh = -Double.infinity, scalarLowMagnitude = Double.infinity
    private var count = 0, zeros = 0, saturated = 0, nonFinite = 0

    /// An accumulator whose moments are taken about `firstElement` when finite (else 0).
    init(firstElement: Float?, saturation: SaturationRule) {
        let first = firstElement ?? 0
        shift = first.isFinite ? Double(first) : 0
        shiftLanes = SIMD8(repeating: shift)
        self.saturation = saturation
    }

    /// Adds one block of `length` <= K elements (every block but a part's last has exactly K).
    @inline(__always)
    mutating func add(_ block: UnsafePointer<Float>, length: Int) {
        count += length
        let vectorLength = length & ~7
        if saturation == .none { addLanes(block, vectorLength, countsSaturation: false) }
        else { addLanes(block, vectorLength, countsSaturation: true) }
        for i in vectorLength..<length { addElement(block[i]) }
    }

    @inline(__always)
    private mutating func addLanes(_ block: UnsafePointer<Float>, _ length: Int, countsSaturation: Bool) {
        guard length > 0 else { return }
        var s1 = SIMD8<Double>(), s2 = SIMD8<Double>()
        var lo = SIMD8<Float>(repeating: .infinity), hi = SIMD8<Float>(repeating: -.infinity)
        var loMagnitude = SIMD8<Float>(repeating: .infinity)
        var zeroLanes = SIMD8<Int32>(), saturatedLanes = SIMD8<Int32>()
        let zero = SIMD8<Float>(), infinity = SIMD8<Float>(repeating: .infinity)
        let lowBound = SIMD8<Float>(repeating: saturation.lowerBound), highBound = SIMD8<Float>(repeating: saturation.upperBound)
        let one = SIMD8<Int32>(repeating: 1), none = SIMD8<Int32>()
        let raw = UnsafeRawPointer(block)
        var i = 0
        while i < length {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let d = SIMD8<Double>(v) - shiftLanes
            s1 += d
            s2 += d * d
            lo = lo.replacing(with: v, where: v .< lo); hi = hi.replacing(with: v, where: v .> hi)
            let isZero = v .== zero
            zeroLanes &+= none.replacing(with: one, where: isZero)
            let magnitude = v.replacing(with: zero - v, where: v .< zero).replacing(with: infinity, where: isZero)
            loMagnitude = loMagnitude.replacing(with: magnitude, where: magnitude .< loMagnitude)
            if countsSaturation {
                saturatedLanes &+= none.replacing(with: one, where: (v .<= lowBound) .| (v .>= highBound))
            }
            i += 8
        }
        // Finite values give finite sums (|v| < 3.5e38, K of them squared stay far below Double's range).
        guard (s1.sum() + s2.sum()).isFinite else {
            for j in 0..<length { addElement(block[j]) }
            return
        }
        sumLanes += s1; sumSquaresLanes += s2
        lowLanes = lowLanes.replacing(with: lo, where: lo .< lowLanes)
        highLanes = highLanes.replacing(with: hi, where: hi .> highLanes)
        lowMagnitudeLanes = lowMagnitudeLanes.replacing(with: loMagnitude, where: loMagnitude .< lowMagnitudeLanes)
        zeros += Int(zeroLanes.wrappedSum()); saturated += Int(saturatedLanes.wrappedSum())
    }

    /// One element outside the lanes: NaN and infinities are counted, not summed.
    @inline(__always)
    private mutating func addElement(_ v: Float) {
        if saturation.saturates(v) { saturated += 1 }
        guard v.isFinite else { nonFinite += 1; return }
        let x = Double(v)
        let d = x - shift
        scalarSum += d; scalarSumSquares += d * d
        scalarLow = Swift.min(scalarLow, x); scalarHigh = Swift.max(scalarHigh, x)
        if v == 0 { zeros += 1 } else { scalarLowMagnitude = Swift.min(scalarLowMagnitude, Swift.abs(x)) }
    }

    /// The scan of everything added.
    func finish() -> TensorScan {
        let low = Swift.min(Double(lowLanes.min()), scalarLow), high = Swift.max(Double(highLanes.max()), scalarHigh)
        let lowMagnitude = Swift.min(Double(lowMagnitudeLanes.min()), scalarLowMagnitude)
        return TensorStatistics.finish(count: count, finiteCount: count - nonFinite, shift: shift,
                                       sum: sumLanes.sum() + scalarSum, sumSquares: sumSquaresLanes.sum() + scalarSumSquares,
                                       minimum: low, maximum: high, zeros: zeros, saturated: saturated,
                                       nonFinite: nonFinite, minimumMagnitude: lowMagnitude)
    }
}

extension ScanAccumulator {
    /// The scan of a whole part, block by block.
    static func scan(_ values: UnsafeBufferPointer<Float>, saturation: SaturationRule) -> TensorScan {
        var accumulator = ScanAccumulator(firstElement: values.first, saturation: saturation)
        guard let base = values.baseAddress else { return accumulator.finish() }
        var start = 0
        while start < values.count {
            let length = Swift.min(blockLength, values.count - start)
            accumulator.add(base + start, length: length)
            start += length
        }
        return accumulator.finish()
    }
}
