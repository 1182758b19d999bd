// Both histograms of a large tensor part from one count per Float cell (the engine's data-driven case): one
// increment per element into the counter of its cell, then every run of cells without a bin edge added to its
// bins at once. Both bin rules (`HistogramBuilder.linear`, `.logMagnitude`) are monotone in the value, so between
// two adjacent Floats whose bins differ ("a change") every Float lies in the same linear and log bin (or under,
// over, non-finite). The few cells holding a change are split there (at most two splits per cell) and each part
// counted apart, so every part and run is binned exactly as its first value: the counts equal the reference's.
// Measured on the bench's tensors of 2^16-2^17 elements: 1.3-1.8x faster than `FusedBinningKernel`'s two increments
// per element (2.3-2.6 against 3.1-4.9 ns per element on a shared machine).
// Legend: N = elements of the part, K = bins; cell = bits >> 16 (sign, exponent, 7 mantissa bits: 65536 cells);
// a cell's parts (split at up to two low halves) are planes 0, 1, 2 of the counters; exact zeros count in 8 slots
// after the cells (one per lane, so the zeros of a ReLU layer are not one chain of increments of one counter).
import Synchronization

/// Counts by cell, binned into a `FusedBinningKernel`'s copy-0 counts.
enum CellCountingKernel {
    /// Cells, and counters per plane (the cells, then the 8 zero slots).
    static let cellCount = 1 << 16
    static let planeCount = cellCount + 8
    /// A split entry: t1 - 1 and t2 - 1 (low 16 bits, t1 <= t2) for a cell whose parts 1 and 2 start at low bits t1
    /// and t2; 0xFFFF (above every low half) when unused.
    static let noSplit: UInt32 = 0xFFFF_FFFF
    /// Parts below this many elements go to `FusedBinningKernel`: the walk over the cells costs about as much as it
    /// saves on 2^14 elements (3.4 against 3.6 ns per element, one thread), and config b's 2^15-element parts of dW
    /// measured slower in the engine's pass (statistics 0.39 s against 0.34 s); 0.7 of the lane kernel's time from 2^16.
    static let minimumCount = 1 << 16

    /// Tables not in use (counters zero, splits `noSplit`, breaks zero); each goes back in that state.
    private static let spareTables = Mutex<[Tables]>([])

    /// One thread's tables (heap, reused: 1 MiB that a part touches only where its values are).
    /// @unchecked: raw buffers handed from thread to thread through `spareTables`, used by one thread at a time.
    struct Tables: @unchecked Sendable {
        /// Three planes of `planeCount` counters: a cell's parts 0, 1, 2.
        let counters: UnsafeMutablePointer<UInt32>
        /// Per cell (and zero slot): its split entry.
        let splits: UnsafeMutablePointer<UInt32>
        /// One bit per cell holding a change (split, or a change at its first value): where runs end.
        let breaks: UnsafeMutablePointer<UInt64>

        static func make() -> Tables {
            let counters = UnsafeMutablePointer<UInt32>.allocate(capacity: 3 * planeCount)
            counters.initialize(repeating: 0, count: 3 * planeCount)
            let splits = UnsafeMutablePointer<UInt32>.allocate(capacity: planeCount)
            splits.initialize(repeating: noSplit, count: planeCount)
            let breaks = UnsafeMutablePointer<UInt64>.allocate(capacity: cellCount / 64)
            breaks.initialize(repeating: 0, count: cellCount / 64)
            return Tables(counters: counters, splits: splits, breaks: breaks)
        }
    }

    /// Bins every element of `values` into `kernel` (its ranges, edges and cell table are the bin rules), with the same
    /// counts as `kernel.count(values)`. Returns false, having counted nothing, when the cell walk does not apply (a
    /// small part, bins narrower than cells, more than two changes inside one cell).
    static func count(_ values: UnsafeBufferPointer<Float>, into kernel: inout FusedBinningKernel) -> Bool {
        guard values.count >= minimumCount, values.count < 1 << 31, let base = values.baseAddress,
              let changes = changePoints(kernel) else { return false }
        let tables = spareTables.withLock { $0.popLast() } ?? Tables.make()
        defer { spareTables.withLock { $0.append(tables) } }
        let counters = tables.counters, splits = tables.splits, breaks = tables.breaks
        var changedCells: [Int] = []
        changedCells.reserveCapacity(changes.count)
        defer {
            for cell in changedCells {
                splits[cell] = noSplit; breaks[cell >> 6] = 0
                for plane in 0..<3 { counters[plane * planeCount + cell] = 0 }
            }
        }
        for change in changes {
            let cell = Int(change >> 16), start = change & 0xFFFF
            if breaks[cell >> 6] & (1 << (cell & 63)) == 0 { breaks[cell >> 6] |= 1 << (cell & 63); changedCells.append(cell) }
            guard start > 0 else { continue }   // a change at the cell's first value: the cell is one part
            let split = start - 1, entry = splits[cell]
            let first = entry & 0xFFFF, second = entry >> 16
            if split == first || split == second { continue }
            if first == 0xFFFF { splits[cell] = split | 0xFFFF << 16 }
            else if second == 0xFFFF { splits[cell] = Swift.min(first, split) | Swift.max(first, split) << 16 }
            else { return false }
        }
        let blocks = values.count / 8
        let (lowest, highest) = countCells(base, blocks: blocks, counters: counters, splits: splits)
        kernel.count(UnsafeBufferPointer(start: base + 8 * blocks, count: values.count - 8 * blocks))
        addRuns(tables, lowestMagnitudeCell: lowest, highestMagnitudeCell: highest, kernel: &kernel)
        // Back to zero: plane 0 where values were, the zero slots (the changed cells in the defer).
        if lowest <= highest {
            for sign in stride(from: 0, through: 0x8000, by: 0x8000) {
                (counters + sign + lowest).update(repeating: 0, count: highest - lowest + 1)
            }
        }
        (counters + cellCount).update(repeating: 0, count: 8)
        return true
    }

    /// The counting loop over `blocks` blocks of eight: each element's counter (its cell in the plane of its part),
    /// or its lane's zero slot. Returns the lowest and highest magnitude cell (bits & 0x7FFF_FFFF >> 16) of the
    /// non-zero elements, lowest > highest when there are none.
    @inline(never)
    private static func countCells(_ base: UnsafePointer<Float>, blocks: Int, counters: UnsafeMutablePointer<UInt32>,
                                   splits: UnsafePointer<UInt32>) -> (Int, Int) {
        let raw = UnsafeRawPointer(base)
        let magnitudeMask = SIMD8<UInt32>(repeating: 0x7FFF_FFFF), lowMask = SIMD8<UInt32>(repeating: 0xFFFF)
        let none = SIMD8<UInt32>()
        let c = UInt32(cellCount)
        let zeroSlots = SIMD8<UInt32>(c, c + 1, c + 2, c + 3, c + 4, c + 5, c + 6, c + 7)
        var low = SIMD8<UInt32>(repeating: .max), high = SIMD8<UInt32>()
        let plane = planeCount
        for block in 0..<blocks {
            let bits = raw.loadUnaligned(fromByteOffset: block * 32, as: SIMD8<UInt32>.self)
            let magnitude = bits & magnitudeMask
            let isZero = magnitude .== none
            let cells = (bits &>> 16).replacing(with: zeroSlots, where: isZero)
            let lows = bits & lowMask
            let magnitudeCells = magnitude &>> 16
            low = pointwiseMin(low, magnitudeCells.replacing(with: .max, where: isZero))
            high = pointwiseMax(high, magnitudeCells)
            for lane in 0..<8 {
                let cell = Int(cells[lane])
                let entry = splits[cell], position = lows[lane]
                let part = (position > entry & 0xFFFF ? plane : 0) &+ (position > entry >> 16 ? plane : 0)
                counters[cell &+ part] &+= 1
            }
        }
        let lowest = Int(low.min()), highest = Int(high.max())
        return lowest == Int(UInt32.max) ? (1, 0) : (lowest, highest)
    }

    /// Adds the counts to `kernel`: the zero slots as the value 0; per sign, each run of cells without a change as
    /// its first cell's first value (64 cells at a time where none has one), and each part of a changed cell as the
    /// part's first value.
    private static func addRuns(_ tables: Tables, lowestMagnitudeCell: Int, highestMagnitudeCell: Int,
                                kernel: inout FusedBinningKernel) {
        let counters = tables.counters, splits = tables.splits, breaks = tables.breaks
        var zeros = 0
        for slot in 0..<8 { zeros += Int(counters[cellCount + slot]) }
        if zeros > 0 { kernel.add(zeros, asValue: 0) }
        guard lowestMagnitudeCell <= highestMagnitudeCell else { return }
        let raw = UnsafeRawPointer(counters)
        for sign in stride(from: 0, through: 0x8000, by: 0x8000) {
            var runStart = sign | lowestMagnitudeCell, runCount = 0
            var cell = sign | lowestMagnitudeCell
            let last = sign | highestMagnitudeCell
            while cell <= last {
                if cell & 63 == 0 && cell + 63 <= last && breaks[cell >> 6] == 0 {
                    var sum = SIMD16<UInt32>()
                    for quarter in 0..<4 { sum &+= raw.loadUnaligned(fromByteOffset: (cell + 16 * quarter) * 4, as: SIMD16<UInt32>.self) }
                    runCount += Int(sum.wrappedSum())
                    cell += 64
                    continue
                }
                if breaks[cell >> 6] & (1 << (cell & 63)) == 0 {
                    runCount += Int(counters[cell]); cell += 1
                    continue
                }
                if runCount > 0 { kernel.add(runCount, asValue: Float(bitPattern: UInt32(runStart) << 16)) }
                let start = UInt32(cell) << 16, entry = splits[cell]
                let parts = (Int(counters[cell]), Int(counters[planeCount + cell]), Int(counters[2 * planeCount + cell]))
                if parts.0 > 0 { kernel.add(parts.0, asValue: Float(bitPattern: start)) }
                if parts.1 > 0 { kernel.add(parts.1, asValue: Float(bitPattern: start | ((entry & 0xFFFF) + 1))) }
                if parts.2 > 0 { kernel.add(parts.2, asValue: Float(bitPattern: start | ((entry >> 16) + 1))) }
                cell += 1
                runStart = cell; runCount = 0
            }
            if runCount > 0 { kernel.add(runCount, asValue: Float(bitPattern: UInt32(runStart) << 16)) }
        }
    }

    /// The bit pattern of the upper Float of every adjacent pair (same sign) whose bins may differ: zero to the
    /// smallest subnormal and finite to infinite; the linear range's ends and the first value of each linear bin; each
    /// log edge and the magnitude after the last, both signs. Nil when a linear bin's first value is not found within
    /// a few steps of its estimate (Floats sparser than bins).
    static func changePoints(_ kernel: FusedBinningKernel) -> [UInt32]? {
        var points: [UInt32] = [1, 0x8000_0001, 0x7F80_0000, 0xFF80_0000]
        points.reserveCapacity(4 * kernel.binCount + 16)
        /// The change between c.nextDown and c (value order).
        func change(_ c: Float) {
            let below = c.nextDown
            guard !c.isNaN, below.sign == c.sign else { return }
            points.append(Swift.max(below.bitPattern, c.bitPattern))
        }
        /// The change between magnitudes m.nextDown and m, for both signs.
        func changeOfMagnitude(_ m: Float) { change(m); change(-m.nextDown) }
        change(kernel.lo); change(kernel.hi.nextUp)
        for bin in 1..<Swift.max(kernel.binCount, 1) {
            guard let first = kernel.firstValue(ofLinearBin: bin) else { return nil }
            change(first)
        }
        for k in 0..<kernel.binCount { changeOfMagnitude(kernel.edges[k]) }
        changeOfMagnitude(kernel.edges[kernel.binCount].nextUp)
        return points
    }
}

extension FusedBinningKernel {
    /// The linear slot of a finite value by `HistogramBuilder.linear`'s rule: -1 under, K over, else its bin.
    func linearSlot(_ v: Float) -> Int {
        if v < lo { return -1 }
        if v > hi { return binCount }
        return Int(Swift.min(Swift.max((Double(v) - lower) * scale, 0), lastBinDouble))
    }

    /// The smallest Float in the linear range whose bin is at least `bin` (1 ..< K), searched from its estimate; nil
    /// when more than 64 Floats away.
    func firstValue(ofLinearBin bin: Int) -> Float? {
        var v = Swift.min(Swift.max(Float(lower + Double(bin) / scale), lo), hi)
        var steps = 0
        while v > lo && linearSlot(v.nextDown) >= bin { v = v.nextDown; steps += 1; if steps > 64 { return nil } }
        while v < hi && linearSlot(v) < bin { v = v.nextUp; steps += 1; if steps > 64 { return nil } }
        return v
    }

    /// Counts `count` elements binned like `v` (by `countElement`'s rules), in copy 0.
    mutating func add(_ count: Int, asValue v: Float) {
        guard v.isFinite else { nonFinite += count; return }
        switch linearSlot(v) {
        case -1: linearUnder += count
        case binCount: linearOver += count
        case let bin: counts[bin] += count
        }
        let a = Swift.abs(v)
        let logCounts = counts + 8 * binCount
        if a == 0 { zeros += count } else if a < low { logUnder += count } else if a > high { logOver += count }
        else if a >= Float.leastNormalMagnitude {
            let bits = a.bitPattern
            var bin = Int(cells[Int(bits >> 16)])
            bin += bits >= nextEdgeBits[bin] ? 1 : 0
            logCounts[bin] += count
        } else {
            logCounts[HistogramBuilder.settle(a, 0, edges)] += count
        }
    }
}
