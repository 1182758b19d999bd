// Statistics of large tensors on two threads (the engine's pool, see Parallelism): the tensor is cut into a fixed number of parts (independent
// of the machine, so results are bit-for-bit the same everywhere), each part scanned and binned on its own,
// and the parts merged exactly (Chan et al. for the moments, sums for the counts).
// Legend: N = number of elements; P = number of parts (2 when N >= `parallelThreshold`, else 1; histograms:
// 2 from `histogramParallelThreshold` on).

extension TensorScan {
    /// The scan of the concatenation of the tensors `self` and `other` described (Chan's pairwise update).
    public func merged(with other: TensorScan) -> TensorScan {
        let a = stats, b = other.stats
        guard b.count > 0 else { return self }
        guard a.count > 0 else { return other }
        let finiteA = Double(a.count - a.nonFiniteCount), finiteB = Double(b.count - b.nonFiniteCount)
        let total = Double(a.count + b.count)
        var merged = SummaryStats.empty
        merged.count = a.count + b.count
        merged.nonFiniteCount = a.nonFiniteCount + b.nonFiniteCount
        merged.saturatedFraction = (a.saturatedFraction * Double(a.count) + b.saturatedFraction * Double(b.count)) / total
        merged.zeroFraction = (a.zeroFraction * Double(a.count) + b.zeroFraction * Double(b.count)) / total
        let finite = finiteA + finiteB
        if finite > 0 {
            let delta = b.mean - a.mean
            merged.mean = finiteA == 0 ? b.mean : finiteB == 0 ? a.mean : a.mean + delta * finiteB / finite
            let m2 = a.variance * finiteA + b.variance * finiteB + (finiteA > 0 && finiteB > 0 ? delta * delta * finiteA * finiteB / finite : 0)
            merged.variance = Swift.max(m2 / finite, 0)
            merged.secondMoment = merged.variance + merged.mean * merged.mean
            merged.min = Swift.min(a.min, b.min)
            merged.max = Swift.max(a.max, b.max)
        }
        return TensorScan(stats: merged,
                          minimumNonzeroMagnitude: Swift.min(minimumNonzeroMagnitude, other.minimumNonzeroMagnitude),
                          maximumMagnitude: Swift.max(maximumMagnitude, other.maximumMagnitude))
    }
}

extension Histogram {
    /// The histogram of both tensors, for histograms with the same scale, range and bin count.
    public func merged(with other: Histogram) -> Histogram {
        Invariant.require(scale == other.scale && lower == other.lower && upper == other.upper
                     && binCounts.count == other.binCounts.count, "merging histograms of different bins")
        return Histogram(scale: scale, lower: lower, upper: upper,
                         binCounts: zip(binCounts, other.binCounts).map { $0 + $1 },
                         underflow: underflow + other.underflow, overflow: overflow + other.overflow,
                         nonFinite: nonFinite + other.nonFinite, zeroCount: zeroCount + other.zeroCount)
    }
}

extension TensorStatistics {
    /// Tensors with at least this many elements are processed as two parts on two threads.
    public static let parallelThreshold = 1 << 16

    /// Tensors with at least this many elements are binned as two parts on two threads (their scan splits only
    /// from `parallelThreshold` on: a split changes the moments' rounding, never a count).
    static let histogramParallelThreshold = 1 << 14

    /// The scan of `values`, split like `parallelReport` (so LSUV and the reports see identical moments).
    public static func parallelScan(_ values: Span<Float>, saturation: SaturationRule = .none) -> TensorScan {
        values.withUnsafeBufferPointer { parallelScan($0, saturation: saturation) }
    }

    /// Summary and both histograms of `values`, like `report`, with the work split over two threads for large
    /// tensors. Results do not depend on the machine's core count (the split is fixed).
    public static func parallelReport(_ values: Span<Float>, saturation: SaturationRule = .none,
                                      bins: Int = HistogramBuilder.defaultBinCount) -> QuantityReport {
        values.withUnsafeBufferPointer { parallelReport($0, saturation: saturation, bins: bins) }
    }

    /// `parallelScan` on a buffer (engine-internal).
    static func parallelScan(_ values: UnsafeBufferPointer<Float>, saturation: SaturationRule = .none) -> TensorScan {
        guard values.count >= parallelThreshold, let base = values.baseAddress else { return scan(values, saturation: saturation) }
        let half = (values.count / 2) & ~7
        let parts = [UnsafeBufferPointer(start: base, count: half),
                     UnsafeBufferPointer(start: base + half, count: values.count - half)]
        let scans = UnsafeMutableBufferPointer<TensorScan>.allocate(capacity: 2)
        defer { scans.baseAddress!.deinitialize(count: 2); scans.deallocate() }
        Parallelism.run(2) { part in
            (scans.baseAddress! + part).initialize(to: scan(parts[part], saturation: saturation))
        }
        return scans[0].merged(with: scans[1])
    }

    /// `parallelReport` on a buffer (engine-internal).
    static func parallelReport(_ values: UnsafeBufferPointer<Float>, saturation: SaturationRule = .none,
                               bins: Int = HistogramBuilder.defaultBinCount) -> QuantityReport {
        guard values.count >= histogramParallelThreshold else { return report(values, saturation: saturation, bins: bins) }
        // The scan's split (and so its bits) is `parallelScan`'s; counts add exactly, so the histograms of a tensor
        // too small for a split scan still bin in two parts.
        return parallelReport(values, scanned: parallelScan(values, saturation: saturation), bins: bins)
    }

    /// `parallelReport` of `values` whose `parallelScan` is `scanned` (computed with the values, e.g. by a fused
    /// element-wise pass): the same report, histograms binned in `parallelReport`'s parts.
    static func parallelReport(_ values: UnsafeBufferPointer<Float>, scanned: TensorScan,
                               bins: Int = HistogramBuilder.defaultBinCount) -> QuantityReport {
        guard values.count >= histogramParallelThreshold, let base = values.baseAddress else {
            let linearRange = HistogramBuilder.linearRange(for: scanned), logRange = HistogramBuilder.logRange(for: scanned)
            let both = HistogramBuilder.linearAndLogMagnitude(values, linearLower: linearRange.lower,
                                                              linearUpper: linearRange.upper, logLower: logRange.lower,
                                                              logUpper: logRange.upper, bins: bins)
            return QuantityReport(stats: scanned.stats, linear: both.linear, logMagnitude: both.logMagnitude)
        }
        let half = (values.count / 2) & ~7
        let parts = [UnsafeBufferPointer(start: base, count: half),
                     UnsafeBufferPointer(start: base + half, count: values.count - half)]
        let linears = UnsafeMutableBufferPointer<Histogram>.allocate(capacity: 2)
        let logs = UnsafeMutableBufferPointer<Histogram>.allocate(capacity: 2)
        defer { linears.deallocate(); logs.deallocate() }
        let linearRange = HistogramBuilder.linearRange(for: scanned)
        let logRange = HistogramBuilder.logRange(for: scanned)
        Parallelism.run(2) { part in
            let both = HistogramBuilder.linearAndLogMagnitude(parts[part], linearLower: linearRange.lower,
                                                              linearUpper: linearRange.upper, logLower: logRange.lower,
                                                              logUpper: logRange.upper, bins: bins)
            (linears.baseAddress! + part).initialize(to: both.linear)
            (logs.baseAddress! + part).initialize(to: both.logMagnitude)
        }
        let result = QuantityReport(stats: scanned.stats, linear: linears[0].merged(with: linears[1]),
                                    logMagnitude: logs[0].merged(with: logs[1]))
        linears.baseAddress!.deinitialize(count: 2)
        logs.baseAddress!.deinitialize(count: 2)
        return result
    }
}
