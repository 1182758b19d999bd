// The inner loop of the fused histograms when a cell table applies (the engine's data-driven case): both bins of
// eight values per step, with the same arithmetic as `HistogramBuilder.linear` and `.logMagnitude` (so the same
// counts). Linear bins: the Double position in lanes, truncated in lanes. log10|x| bins: the cell table's bin of
// the top 15 bits of |x|, plus one when |x| reaches the next Float edge (compared as bit patterns: both are
// non-negative and not NaN, where bit order is value order). Exact zeros count in an extra slot (K) of the log
// copies, so ReLU's zeros stay on the fast path. Blocks holding anything else go element by element.
// Legend: K = bins; 8 copies of each histogram (lane i of a block counts in copy i), summed at the end;
// cells: 2^15 magnitude cells (exponent and 7 mantissa bits).
import COpenBLAS

/// Both histograms' binning state for one fused pass over a tensor part (pointers into the caller's scratch).
struct FusedBinningKernel {
    /// Bins K.
    let binCount: Int
    /// Linear range as Float (range tests) and as Double (positions), bins per unit, last bin as Double.
    let lo: Float, hi: Float, lower: Double, scale: Double, lastBinDouble: Double
    /// Log range's outer edges e[0] and e[K] as Float (magnitudes).
    let low: Float, high: Float
    /// K + 1 Float edges 10^(lower + k w).
    let edges: UnsafeBufferPointer<Float>
    /// Bin of each magnitude cell; cell 0 holds K (the zero slot) when `zeroSlot`.
    let cells: UnsafePointer<UInt8>
    /// Bit pattern of the edge that moves a magnitude to the next bin: e[b + 1] for b < K - 1, 0xFFFF_FFFF for the
    /// closed last bin and the zero slot (K + 1 entries).
    let nextEdgeBits: UnsafePointer<UInt32>
    /// Whether exact zeros take the fast path (K < 256: the slot index fits the cell table's bytes).
    let zeroSlot: Bool
    /// 8 copies of K linear counts, then 8 copies of K + 1 log counts (zero slot last), zeroed by the caller.
    let counts: UnsafeMutablePointer<Int>
    /// Elements outside the fast path's ranges.
    var linearUnder = 0, linearOver = 0, nonFinite = 0, logUnder = 0, logOver = 0, zeros = 0

    /// Scratch the caller provides: 8 K + 8 (K + 1) counts.
    static func countsCapacity(binCount: Int) -> Int { 8 * binCount + 8 * (binCount + 1) }

    /// Bins every element of `values` (a tensor part) into `counts`.
    mutating func count(_ values: UnsafeBufferPointer<Float>) {
        let blocks = values.count / 8
        if blocks > 0, let start = values.baseAddress { countBlocks(start, blocks: blocks) }
        for i in (blocks * 8)..<values.count { countElement(values[i], copy: i & 7) }
    }

    /// The lane loop over `blocks` blocks of eight from `start`.
    @inline(never)
    private mutating func countBlocks(_ start: UnsafePointer<Float>, blocks: Int) {
        let binCount = self.binCount, cells = self.cells, nextEdgeBits = self.nextEdgeBits
        let linearCounts = counts, logCounts = counts + 8 * binCount
        let raw = UnsafeRawPointer(start)
        let loLanes = SIMD8<Float>(repeating: lo), hiLanes = SIMD8<Float>(repeating: hi)
        let lowLanes = SIMD8<Float>(repeating: Swift.max(low, Float.leastNormalMagnitude))
        let highLanes = SIMD8<Float>(repeating: high)
        let lowerLanes = SIMD4<Double>(repeating: lower), scaleLanes = SIMD4<Double>(repeating: scale)
        let zeroLanes = SIMD4<Double>(), lastLanes = SIMD4<Double>(repeating: lastBinDouble)
        let magnitudeMask = SIMD8<UInt32>(repeating: 0x7FFF_FFFF), noBits = SIMD8<UInt32>()
        // Copy offsets of lanes 0-3 and 4-7 plus 2^52: a whole number below 2^32 added to 2^52 sits in the low bits.
        let magic = 4_503_599_627_370_496.0
        let k = Double(binCount)
        let offsetsLow = SIMD4<Double>(magic, magic + k, magic + 2 * k, magic + 3 * k)
        let offsetsHigh = SIMD4<Double>(magic + 4 * k, magic + 5 * k, magic + 6 * k, magic + 7 * k)
        let logStride = binCount + 1
        let zeroSlot = self.zeroSlot
        for block in 0..<blocks {
            let first = block * 8
            let v = raw.loadUnaligned(fromByteOffset: first * 4, as: SIMD8<Float>.self)
            let bits = raw.loadUnaligned(fromByteOffset: first * 4, as: SIMD8<UInt32>.self) & magnitudeMask
            let a = unsafeBitCast(bits, to: SIMD8<Float>.self)
            // NaN fails every comparison; +-inf fails v <= hi or v >= lo (hi, lo are finite).
            var inside = (a .>= lowLanes) .& (a .<= highLanes)
            if zeroSlot { inside = inside .| (bits .== noBits) }
            inside = inside .& (v .>= loLanes) .& (v .<= hiLanes)
            guard all(inside) else {
                countSlowBlock(start + first)
                continue
            }
            // Positions exactly as `linear`: (Double(v) - lower) * scale, clamped to [0, K - 1], truncated.
            let low4 = initscope_clamp4((SIMD4<Double>(v.lowHalf) - lowerLanes) * scaleLanes, zeroLanes, lastLanes)
            let high4 = initscope_clamp4((SIMD4<Double>(v.highHalf) - lowerLanes) * scaleLanes, zeroLanes, lastLanes)
            let lowSlots = unsafeBitCast(low4.rounded(.towardZero) + offsetsLow, to: SIMD4<UInt64>.self)
            let highSlots = unsafeBitCast(high4.rounded(.towardZero) + offsetsHigh, to: SIMD4<UInt64>.self)
            for lane in 0..<4 {
                linearCounts[Int(truncatingIfNeeded: UInt32(truncatingIfNeeded: lowSlots[lane]))] &+= 1
                linearCounts[Int(truncatingIfNeeded: UInt32(truncatingIfNeeded: highSlots[lane]))] &+= 1
            }
            for lane in 0..<8 {
                let b = bits[lane]
                var bin = Int(cells[Int(b >> 16)])
                bin &+= b >= nextEdgeBits[bin] ? 1 : 0
                logCounts[lane &* logStride &+ bin] &+= 1
            }
        }
    }

    /// One block of eight that is not entirely inside both ranges, element by element.
    @inline(never)
    private mutating func countSlowBlock(_ block: UnsafePointer<Float>) {
        for lane in 0..<8 { countElement(block[lane], copy: lane) }
    }

    /// One element by the rules of `linear` and `logMagnitude`, counted in copy `copy`.
    private mutating func countElement(_ v: Float, copy: Int) {
        guard v.isFinite else { nonFinite += 1; return }
        if v < lo { linearUnder += 1 } else if v > hi { linearOver += 1 } else {
            let position = (Double(v) - lower) * scale
            counts[copy * binCount + Int(Swift.min(Swift.max(position, 0), lastBinDouble))] += 1
        }
        let a = Swift.abs(v)
        let logCounts = counts + 8 * binCount
        guard a >= low && a <= high && a >= Float.leastNormalMagnitude else {
            if a == 0 { zeros += 1 } else if a < low { logUnder += 1 } else if a > high { logOver += 1 }
            else { logCounts[HistogramBuilder.settle(a, 0, edges)] += 1 }   // a subnormal inside the range
            return
        }
        let bits = a.bitPattern
        var bin = Int(cells[Int(bits >> 16)])
        bin += bits >= nextEdgeBits[bin] ? 1 : 0
        logCounts[copy * (binCount + 1) + bin] += 1
    }

    /// The summed linear counts (K bins).
    func linearBins() -> [Int] {
        (0..<binCount).map { bin in (0..<8).reduce(0) { $0 + counts[$1 * binCount + bin] } }
    }

    /// The summed log counts (K bins) and the zeros counted in the zero slot.
    func logBins() -> (bins: [Int], slotZeros: Int) {
        let logCounts = counts + 8 * binCount, stride = binCount + 1
        let bins = (0..<binCount).map { bin in (0..<8).reduce(0) { $0 + logCounts[$1 * stride + bin] } }
        return (bins, (0..<8).reduce(0) { $0 + logCounts[$1 * stride + binCount] })
    }
}
