// The cell-counting histograms against the reference builders on parts large enough to take the cell walk (the
// engine's case): equal counts for the engine's tensors (normal at every scale, tanh, saturated tanh, ReLU), for
// sprinkles of zeros, subnormals, NaN and infinities, for every bin edge and its neighbours repeated, and for
// arbitrary ranges that leave values under and over; and the walk really runs on the engine's kinds of tensors.
import Foundation
import Testing
@testable import SignalFlow

/// The fused histograms against the two reference ones.
private func expectMatchesReference(_ values: [Float], linear: (Double, Double), log: (Double, Double), bins: Int,
                                    _ label: String) {
    let fused = HistogramBuilder.linearAndLogMagnitude(values.span, linearLower: linear.0, linearUpper: linear.1,
                                                       logLower: log.0, logUpper: log.1, bins: bins)
    #expect(fused.linear == HistogramBuilder.linear(values.span, lower: linear.0, upper: linear.1, bins: bins),
            "linear \(label) \(linear) K=\(bins)")
    #expect(fused.logMagnitude == HistogramBuilder.logMagnitude(values.span, lower: log.0, upper: log.1, bins: bins),
            "log \(label) \(log) K=\(bins)")
}

/// Whether the cell walk takes `values` for these ranges (rather than handing them back to the lane kernel).
private func cellWalkApplies(_ values: [Float], linear: (Double, Double), log: (Double, Double), bins: Int) -> Bool {
    let (lower, upper) = HistogramBuilder.sanitizedRange(linear.0, linear.1)
    let width = (log.1 - log.0) / Double(bins)
    let edges = (0...bins).map { Float(Foundation.pow(10, log.0 + Double($0) * width)) }
    return edges.withUnsafeBufferPointer { e in
        let table = LogBinTable.table(lower: log.0, upper: log.1, edges: e)
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: FusedBinningKernel.countsCapacity(binCount: bins))
        defer { counts.deallocate() }
        counts.initialize(repeating: 0, count: FusedBinningKernel.countsCapacity(binCount: bins))
        return table.binOfCell.withUnsafeBufferPointer { cells in table.nextEdgeBits.withUnsafeBufferPointer { next in
            var kernel = FusedBinningKernel(binCount: bins, lo: Float(lower), hi: Float(upper), lower: lower,
                                            scale: Double(bins) / (upper - lower), lastBinDouble: Double(bins - 1),
                                            low: e[0], high: e[bins], edges: e, cells: cells.baseAddress!,
                                            nextEdgeBits: next.baseAddress!, zeroSlot: table.hasZeroSlot, counts: counts)
            return values.withUnsafeBufferPointer { CellCountingKernel.count($0, into: &kernel) }
        } }
    }
}

@Test func cellWalkMatchesTheReferenceOnLargeTensors() {
    var random = RandomSource(seed: 2027, stream: 5)
    for trial in 0..<48 {
        let count = CellCountingKernel.minimumCount + Int(random.next() % 70_000)
        var values = [Float](repeating: 0, count: count)
        let exponent = trial % 8 == 7 ? -40 + 78 * random.nextUnitDouble() : -4 + 4 * random.nextUnitDouble()
        random.fillNormal(&values, mean: 0, standardDeviation: Float(Foundation.pow(10, exponent)))
        switch trial % 6 {
        case 0: for i in values.indices { values[i] = Swift.max(values[i], 0) }                      // ReLU
        case 1: for i in values.indices where random.next() % 40 == 0 {
            values[i] = histogramSpecialValues[Int(random.next() % UInt64(histogramSpecialValues.count))] }
        case 2: for i in values.indices { values[i] = fastTanh(values[i] * Float(Foundation.pow(10, -exponent))) }  // tanh
        case 3: for i in values.indices { values[i] = fastTanh(values[i] * 30 * Float(Foundation.pow(10, -exponent))) } // saturated
        case 4: for i in values.indices where random.next() % 5 == 0 { values[i] = 0 }
        default: break
        }
        let bins = [64, 64, 7, 255, 256, 100][trial % 6]
        let data = histogramDataRanges(values)
        expectMatchesReference(values, linear: data.linear, log: data.log, bins: bins, "trial \(trial) data-driven")
        let a = Double(Float(random.nextStandardNormal())), b = a + 3 * random.nextUnitDouble()
        let scale = Foundation.pow(10, exponent)
        let c = Foundation.floor(exponent) - 3 + 4 * random.nextUnitDouble(), d = c + 0.5 + 4 * random.nextUnitDouble()
        expectMatchesReference(values, linear: (a * scale, b * scale), log: (c, d), bins: bins, "trial \(trial) arbitrary")
    }
}

@Test func cellWalkMatchesTheReferenceOnEdgesAndSpecials() {
    for bins in [1, 3, 64, 255] {
        for (linear, log) in [((-1.0, 1.0), (-3.0, 0.0)), ((-2.5, 7.25), (-7.0, 1.0)), ((0.0, 1e-3), (-40.0, -30.0)),
                              ((-3e38, 3e38), (-45.0, 39.0))] {
            // Every edge and its neighbours, both signs, then the special values, repeated past the walk's minimum size.
            var edges: [Float] = []
            let width = (log.1 - log.0) / Double(bins)
            for k in 0...bins {
                let linearEdge = Float(linear.0 + Double(k) * (linear.1 - linear.0) / Double(bins))
                let logEdge = Float(Foundation.pow(10, log.0 + Double(k) * width))
                for edge in [linearEdge, logEdge] {
                    edges += [edge, edge.nextUp, edge.nextDown, -edge, -edge.nextUp, -edge.nextDown]
                }
            }
            var values: [Float] = []
            while values.count < CellCountingKernel.minimumCount { values += edges + histogramSpecialValues }
            expectMatchesReference(values, linear: linear, log: log, bins: bins, "edges and specials")
            let data = histogramDataRanges(values)
            expectMatchesReference(values, linear: data.linear, log: data.log, bins: bins, "edges, data-driven")
        }
    }
}

@Test func cellWalkTakesTheEnginesTensors() {
    // dW-like normals, tanh activations, ReLU: the walk applies at the engine's 64 data-driven bins. (Saturated tanh,
    // fastTanh(30 z), hands back to the lane kernel: more than two changes in a cell at +-1; its counts are checked
    // above.)
    var random = RandomSource(seed: 11, stream: 2)
    for kind in [0, 1, 3] {
        var values = [Float](repeating: 0, count: 65_536)
        random.fillNormal(&values, mean: 0, standardDeviation: kind == 0 ? 0.01 : 1)
        for i in values.indices {
            values[i] = kind == 1 ? fastTanh(values[i]) : kind == 2 ? fastTanh(30 * values[i]) : kind == 3 ? Swift.max(values[i], 0) : values[i]
        }
        let data = histogramDataRanges(values)
        #expect(cellWalkApplies(values, linear: data.linear, log: data.log, bins: 64), "kind \(kind)")
    }
    // Too few elements: the lane kernel.
    let small = [Float](repeating: 0.5, count: CellCountingKernel.minimumCount - 1)
    #expect(!cellWalkApplies(small, linear: (0, 1), log: (-1, 0), bins: 64))
}
