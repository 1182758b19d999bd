// A layer's element-wise forward step in one read of h: per block of `ScanAccumulator.blockLength`, the block
// joins the scan of h, phi is applied in place, and the block (now x = phi(h)) joins the scan of x. The parts are
// `TensorStatistics.parallelScan`'s and each part's blocks start at the part's start, so both scans have exactly the
// bits of `parallelScan(h)` and `parallelScan(phi(h))`; phi is element-wise, so x is the same too. One hand-off to
// the pool instead of three, and h is read once instead of three times.
// Legend: N = elements of h (a B x n block); P = parts (2 from `parallelThreshold` on, else 1).

extension TensorStatistics {
    /// Scans `values` (h), applies `activation` in place, scans the result (x, with `saturation`): the scans of h and
    /// x, equal to `parallelScan` of each.
    static func scanActivateScan(_ values: UnsafeMutableBufferPointer<Float>, activation: Activation,
                                 saturation: SaturationRule) -> (preactivation: TensorScan, activation: TensorScan) {
        guard values.count >= parallelThreshold, let base = values.baseAddress else {
            return scanActivateScanPart(values, activation: activation, saturation: saturation)
        }
        let half = (values.count / 2) & ~7
        let parts = [UnsafeMutableBufferPointer(start: base, count: half),
                     UnsafeMutableBufferPointer(start: base + half, count: values.count - half)]
        let scans = UnsafeMutableBufferPointer<(TensorScan, TensorScan)>.allocate(capacity: 2)
        defer { scans.baseAddress!.deinitialize(count: 2); scans.deallocate() }
        Parallelism.run(2) { part in
            (scans.baseAddress! + part).initialize(to: scanActivateScanPart(parts[part], activation: activation,
                                                                            saturation: saturation))
        }
        return (scans[0].0.merged(with: scans[1].0), scans[0].1.merged(with: scans[1].1))
    }

    /// One part, block by block on the calling thread.
    private static func scanActivateScanPart(_ part: UnsafeMutableBufferPointer<Float>, activation: Activation,
                                             saturation: SaturationRule) -> (TensorScan, TensorScan) {
        var preactivation = ScanAccumulator(firstElement: part.first, saturation: .none)
        guard let base = part.baseAddress, part.count > 0 else {
            return (preactivation.finish(), ScanAccumulator(firstElement: nil, saturation: saturation).finish())
        }
        let activated = scanAfterEachBlock(base, count: part.count, saturation: saturation) { start, length in
            preactivation.add(base + start, length: length)
            activation.applySerially(UnsafeMutableBufferPointer(start: base + start, count: length))
        }
        return (preactivation.finish(), activated)
    }

    /// Calls `transform(start, length)` on consecutive blocks of `ScanAccumulator.blockLength` of the `count`
    /// values at `values` (count > 0), each followed by its scan: the scan of the transformed values, with the bits of
    /// `scan` over them (moments about the first transformed element, known once the first block is transformed).
    private static func scanAfterEachBlock(_ values: UnsafePointer<Float>, count: Int, saturation: SaturationRule,
                                           _ transform: (_ start: Int, _ length: Int) -> Void) -> TensorScan {
        var start = Swift.min(ScanAccumulator.blockLength, count)
        transform(0, start)
        var accumulator = ScanAccumulator(firstElement: values[0], saturation: saturation)
        accumulator.add(values, length: start)
        while start < count {
            let length = Swift.min(ScanAccumulator.blockLength, count - start)
            transform(start, length)
            accumulator.add(values + start, length: length)
            start += length
        }
        return accumulator.finish()
    }
}

extension TensorStatistics {
    /// gradient *= phi'(h) where `kept` holds x = phi(h) (`Activation.multiplyByDerivativeOfValues`), then the scan of
    /// the result, in one pass: equal to that product followed by `parallelScan`.
    static func multiplyByDerivativeScan(_ gradient: UnsafeMutableBufferPointer<Float>, kept: UnsafeBufferPointer<Float>,
                                         activation: Activation) -> TensorScan {
        Invariant.require(gradient.count == kept.count, "derivative: shape mismatch")
        guard gradient.count >= parallelThreshold, let g = gradient.baseAddress, let k = kept.baseAddress else {
            return multiplyByDerivativeScanPart(gradient, kept: kept, activation: activation)
        }
        let half = (gradient.count / 2) & ~7, rest = gradient.count - half
        let scans = UnsafeMutableBufferPointer<TensorScan>.allocate(capacity: 2)
        defer { scans.baseAddress!.deinitialize(count: 2); scans.deallocate() }
        Parallelism.run(2) { part in
            let scan = part == 0
                ? multiplyByDerivativeScanPart(UnsafeMutableBufferPointer(start: g, count: half),
                                               kept: UnsafeBufferPointer(start: k, count: half), activation: activation)
                : multiplyByDerivativeScanPart(UnsafeMutableBufferPointer(start: g + half, count: rest),
                                               kept: UnsafeBufferPointer(start: k + half, count: rest), activation: activation)
            (scans.baseAddress! + part).initialize(to: scan)
        }
        return scans[0].merged(with: scans[1])
    }

    /// One part, block by block on the calling thread.
    private static func multiplyByDerivativeScanPart(_ gradient: UnsafeMutableBufferPointer<Float>,
                                                     kept: UnsafeBufferPointer<Float>, activation: Activation) -> TensorScan {
        guard let g = gradient.baseAddress, let k = kept.baseAddress, gradient.count > 0 else {
            return ScanAccumulator(firstElement: nil, saturation: .none).finish()
        }
        return scanAfterEachBlock(g, count: gradient.count, saturation: .none) { start, length in
            activation.multiplyByDerivativeSerially(UnsafeMutableBufferPointer(start: g + start, count: length),
                                                    kept: UnsafeBufferPointer(start: k + start, count: length))
        }
    }
}
