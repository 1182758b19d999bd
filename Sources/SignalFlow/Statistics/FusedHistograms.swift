// Both histograms of a tensor in one pass (the engine's default): the same binning rules as
// `HistogramBuilder.linear` and `.logMagnitude`, one load and one finiteness test per element. With a cell table
// (bins wider than a cell, K <= 256: the data-driven case) `CellCountingKernel` counts large parts by Float cell and
// `FusedBinningKernel` runs the lanes on the rest; otherwise the mantissa-table guess, element by element.
// Legend: N = number of elements, K = bins.
import Foundation

extension HistogramBuilder {
    /// The linear histogram over [linearLower, linearUpper] and the log10|x| histogram over [logLower, logUpper]
    /// decades, each with `bins` bins; equal to calling `linear` and `logMagnitude` separately.
    public static func linearAndLogMagnitude(_ values: Span<Float>, linearLower: Double, linearUpper: Double,
                                             logLower: Double, logUpper: Double,
                                             bins: Int = defaultBinCount) -> (linear: Histogram, logMagnitude: Histogram) {
        values.withUnsafeBufferPointer {
            linearAndLogMagnitude($0, linearLower: linearLower, linearUpper: linearUpper, logLower: logLower,
                                  logUpper: logUpper, bins: bins)
        }
    }

    /// `linearAndLogMagnitude` on a buffer (engine-internal).
    static func linearAndLogMagnitude(_ values: UnsafeBufferPointer<Float>, linearLower: Double, linearUpper: Double,
                                      logLower: Double, logUpper: Double,
                                      bins: Int = defaultBinCount) -> (linear: Histogram, logMagnitude: Histogram) {
        let binCount = Swift.max(bins, 1)
        let lastBin = binCount - 1
        // Linear range and scale exactly as in `linear`.
        let (lower, upper) = sanitizedRange(linearLower, linearUpper)
        let lo = Float(lower), hi = Float(upper)
        let scale = Double(binCount) / (upper - lower)
        let lastBinDouble = Double(lastBin)
        // Log range, edges and guess exactly as in `logMagnitude`.
        var (logLow, logHigh) = sanitizedRange(logLower, logUpper)
        logLow = Swift.max(Swift.min(logLow, 400), -400)
        if !(logHigh - logLow >= 1e-6 * Double(binCount)) { logHigh = logLow + 1 }
        logHigh = Swift.min(logHigh, logLow + 1000)
        let width = (logHigh - logLow) / Double(binCount)
        let binsPerLog2 = 0.30102999566398120 / width
        let offset = -logLow / width
        let needsWalk = binsPerLog2 * 0.0035 > 0.9
        var linearUnder = 0, linearOver = 0, nonFinite = 0
        var logUnder = 0, logOver = 0, zeros = 0
        var linearCounts: [Int] = [], logCounts: [Int] = []
        withUnsafeTemporaryAllocation(of: Float.self, capacity: binCount + 1) { edges in
            for k in 0...binCount { edges.initializeElement(at: k, to: Float(Foundation.pow(10, logLow + Double(k) * width))) }
            let e = UnsafeBufferPointer(edges)
            let low = e[0], high = e[binCount]
            // A cached cell -> bin table when bins are wider than table cells (the usual data-driven case).
            let cellTable = LogBinTable.applies(binCount: binCount, decadesPerBin: width)
                ? LogBinTable.table(lower: logLow, upper: logHigh, edges: e) : nil
            if let cellTable {
                // The engine's case: the lane kernel (same rules, same counts).
                withUnsafeTemporaryAllocation(of: Int.self, capacity: FusedBinningKernel.countsCapacity(binCount: binCount)) { c in
                    c.initialize(repeating: 0)
                    cellTable.binOfCell.withUnsafeBufferPointer { cells in cellTable.nextEdgeBits.withUnsafeBufferPointer { next in
                        var kernel = FusedBinningKernel(binCount: binCount, lo: lo, hi: hi, lower: lower, scale: scale,
                                                        lastBinDouble: lastBinDouble, low: low, high: high, edges: e,
                                                        cells: cells.baseAddress!, nextEdgeBits: next.baseAddress!,
                                                        zeroSlot: cellTable.hasZeroSlot, counts: c.baseAddress!)
                        if !CellCountingKernel.count(values, into: &kernel) { kernel.count(values) }
                        linearCounts = kernel.linearBins()
                        let log = kernel.logBins()
                        logCounts = log.bins
                        linearUnder = kernel.linearUnder; linearOver = kernel.linearOver; nonFinite = kernel.nonFinite
                        logUnder = kernel.logUnder; logOver = kernel.logOver; zeros = kernel.zeros + log.slotZeros
                    } }
                }
                return
            }
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 8 * binCount) { c in
                c.initialize(repeating: 0)
                let linearBase = 0, logBase = 4 * binCount
                /// One element: linear bin, finiteness, log range; `logBin(a, bits)` places a normal magnitude inside
                /// [low, high] (the caller's exact locator).
                @inline(__always) func countElement(_ i: Int, _ logBin: (Float, UInt32) -> Int) {
                    let v = values[i]
                    guard v.isFinite else { nonFinite += 1; return }
                    let copy = (i & 3) * binCount
                    if v < lo { linearUnder += 1 } else if v > hi { linearOver += 1 } else {
                        let position = (Double(v) - lower) * scale
                        c[linearBase + copy + Int(Foundation.fmin(Foundation.fmax(position, 0), lastBinDouble))] += 1   // fmin/fmax: no branch
                    }
                    let a = Swift.abs(v)
                    guard a >= low && a <= high && a >= Float.leastNormalMagnitude else {
                        if a == 0 { zeros += 1 } else if a < low { logUnder += 1 } else if a > high { logOver += 1 }
                        else { c[logBase + settle(a, 0, e)] += 1 }
                        return
                    }
                    c[logBase + copy + logBin(a, a.bitPattern)] += 1
                }
                log2MantissaTable.withUnsafeBufferPointer { table in
                    for i in 0..<values.count {
                        countElement(i) { a, _ in
                            logBinFromMantissaGuess(a, table: table, binsPerLog2: binsPerLog2, offset: offset,
                                                    lastBin: lastBin, edges: e, walk: needsWalk)
                        }
                    }
                }
                linearCounts = (0..<binCount).map { c[$0] + c[binCount + $0] + c[2 * binCount + $0] + c[3 * binCount + $0] }
                logCounts = (0..<binCount).map { c[logBase + $0] + c[logBase + binCount + $0] + c[logBase + 2 * binCount + $0]
                                                 + c[logBase + 3 * binCount + $0] }
            }
        }
        return (Histogram(scale: .linear, lower: lower, upper: upper, binCounts: linearCounts,
                          underflow: linearUnder, overflow: linearOver, nonFinite: nonFinite, zeroCount: 0),
                Histogram(scale: .log10Magnitude, lower: logLow, upper: logHigh, binCounts: logCounts,
                          underflow: logUnder, overflow: logOver, nonFinite: nonFinite, zeroCount: zeros))
    }
}
