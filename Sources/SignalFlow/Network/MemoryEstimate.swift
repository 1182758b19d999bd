// How many bytes a scenario's run holds, estimated before anything is allocated, in overflow-checked Int
// arithmetic (a size that does not fit saturates at Int.max and is refused).
// Legend: B = batch, n_l = widths, L = depth, R = initializers (runs); Float32 = 4 bytes, Int/Double = 8 bytes.
import Foundation

/// What a run measures and what its caller keeps besides the engine, for the memory estimate.
public struct RunFootprint: Equatable, Sendable {
    /// The measurements of the run (histograms cost 2 x bins x 8 bytes per quantity and layer).
    public var plan: MeasurementPlan
    /// Bins per histogram.
    public var binCount: Int
    /// Copies of every layer report the caller keeps besides the engine's own (the live view keeps 1 in its
    /// state; `report` reads the engine's, 0).
    public var callerReportCopies: Int
    /// Bytes the caller holds in memory per layer of each run for its output (a whole report text built in
    /// memory; 0 when the output is streamed layer by layer).
    public var outputBytesPerLayer: Int
    /// Whether the engine keeps every finished run to return them all at the end (`Experiment.run`'s result);
    /// false for a caller that takes each run from its `.runFinished` event: the engine then holds one run's
    /// reports at a time.
    public var keepsFinishedRuns: Bool

    /// Creates a footprint; defaults: every measurement, the default bins, nothing kept by the caller, every
    /// run kept by the engine.
    public init(plan: MeasurementPlan = .everything, binCount: Int = HistogramBuilder.defaultBinCount,
                callerReportCopies: Int = 0, outputBytesPerLayer: Int = 0, keepsFinishedRuns: Bool = true) {
        self.plan = plan; self.binCount = binCount
        self.callerReportCopies = callerReportCopies; self.outputBytesPerLayer = outputBytesPerLayer
        self.keepsFinishedRuns = keepsFinishedRuns
    }
}

/// Bytes one run of a scenario holds at its peak, by part; every part and the total saturate at Int.max.
public struct MemoryEstimate: Equatable, Sendable {
    /// The workspace: W^l, b^l, x^0 ... x^L, kept h^l, G, the two deltas, the scratch block and dW.
    public var bufferBytes: Int
    /// Scratch of weight drawing held at once: the QR of every layer drawn concurrently (orthogonal, LSUV).
    public var weightDrawingBytes: Int
    /// Layer reports of every run: the engine's copy plus the caller's copies.
    public var reportBytes: Int
    /// Output the caller holds in memory.
    public var outputBytes: Int

    /// The sum of the parts (saturating).
    public var totalBytes: Int { SaturatingSize.sum([bufferBytes, weightDrawingBytes, reportBytes, outputBytes]) }
}

/// Costs of the report types on the heap (Swift 6.3, glibc x86-64, allocator overhead included), measured as
/// RSS per layer and run of `report --width 1 --batch 1 --depth 50000/100000` (3 runs): 2.04 KB per layer with
/// statistics only, 8.43 KB with both histograms of the five quantities at 64 bins.
public enum ReportCost {
    /// One LayerReport with statistics only: the quantity dictionary (5 entries), theory, allocator slack.
    public static let layerBytes = 2_048
    /// One SiteReport in a block's array: name, statistics, histogram optionals, allocator slack. An upper bound:
    /// RSS per block and run of `report --arch resnet --width 1 --batch 1 --depth 25000/50000` (4 runs, 11 sites)
    /// was 3.4 KB with statistics only (estimated 5.6 KB) and 14.3 KB with both histograms (estimated 19.6 KB).
    public static let siteBytes = 320
    /// One histogram beyond its bins: the struct in the dictionary, the array header and allocator slack.
    public static let histogramOverheadBytes = 128
    /// One LSUV trace beyond its variances: array header and allocator slack.
    public static let lsuvTraceOverheadBytes = 64
}

extension Scenario {
    /// The estimate for this scenario run with `footprint`. Never traps: sizes that overflow give Int.max.
    public func memoryEstimate(_ footprint: RunFootprint = RunFootprint()) -> MemoryEstimate {
        guard depth >= 1 else { return MemoryEstimate(bufferBytes: 0, weightDrawingBytes: 0, reportBytes: 0, outputBytes: 0) }
        let floatBytes = MemoryLayout<Float>.stride
        return MemoryEstimate(
            bufferBytes: SaturatingSize.product(bufferFloats, floatBytes),
            weightDrawingBytes: SaturatingSize.product(weightDrawingFloats, floatBytes),
            reportBytes: reportBytes(footprint),
            outputBytes: SaturatingSize.product(footprint.outputBytesPerLayer, depth, Swift.max(initializers.count, 1)))
    }

    /// Float32 elements of the workspace (MLPWorkspace, or ResidualWorkspace, allocates exactly these).
    var bufferFloats: Int {
        switch architecture {
        case .mlp: break
        case .resnet: return ResidualWorkspace.Shape(self).floatCount
        case .transformer: return TransformerWorkspace.Shape(self).floatCount
        }
        let hidden = widths.dropFirst()
        let widest = widths.max() ?? 0
        var weightFloats = 0, largestWeight = 0
        for l in 1...depth {
            let size = SaturatingSize.product(widths[l - 1], widths[l])
            weightFloats = SaturatingSize.sum(weightFloats, size); largestWeight = Swift.max(largestWeight, size)
        }
        var parts = [weightFloats]                                                                                // W^l
        if biasStandardDeviation > 0 { parts.append(SaturatingSize.sum(hidden)) }                                 // b^l
        parts.append(SaturatingSize.product(batch, SaturatingSize.sum(widths)))                                   // x^0 ... x^L
        if !activation.derivativeFromActivationValue {
            parts.append(SaturatingSize.product(batch, SaturatingSize.sum(hidden)))                               // h^l
        }
        parts.append(SaturatingSize.product(batch, widths[depth]))                                                // G
        parts.append(SaturatingSize.product(3, batch, widest))                                                    // deltas, scratch
        parts.append(largestWeight)                                                                               // dW^l
        return SaturatingSize.sum(parts)
    }

    /// Float32 elements of QR scratch held at once: an m x k block per layer drawn concurrently (one per core),
    /// plus tau, the column signs and LAPACK's blocked workspace (64 k); counted at the largest layer's size.
    var weightDrawingFloats: Int {
        let drawsOrthogonal = initializers.contains { named in
            switch named.initializer { case .orthogonal, .lsuv: return true; default: return false }
        }
        guard drawsOrthogonal else { return 0 }
        var largestLayer = 0
        for l in 1...depth {
            let m = Swift.max(widths[l - 1], widths[l]), k = Swift.min(widths[l - 1], widths[l])
            largestLayer = Swift.max(largestLayer, SaturatingSize.sum(SaturatingSize.product(m, k), SaturatingSize.product(66, k)))
        }
        if architecture.transformer != nil {
            // The FFN's 4d x d matrices are the largest of a transformer block.
            let m = SaturatingSize.product(4, width), k = width
            largestLayer = SaturatingSize.sum(SaturatingSize.product(m, k), SaturatingSize.product(66, k))
        }
        return SaturatingSize.product(largestLayer, Swift.min(depth, ProcessInfo.processInfo.activeProcessorCount))
    }

    /// Bytes of the layer reports of every run held by `footprint.callerReportCopies` callers, and by the engine
    /// (every run, or only the largest run when it does not keep finished runs).
    func reportBytes(_ footprint: RunFootprint) -> Int {
        let histogramBytes = SaturatingSize.sum(SaturatingSize.product(footprint.binCount, MemoryLayout<Int>.stride),
                                                ReportCost.histogramOverheadBytes)
        let histograms = SaturatingSize.product(2, footprint.plan.histogramQuantities.count)
        var perLayer = SaturatingSize.sum(ReportCost.layerBytes, SaturatingSize.product(histograms, histogramBytes))
        if architecture != .mlp {
            // A block: the stream, its gradient and up to 9 sites inside, each a SiteReport (+ both histograms).
            // A transformer block: up to 19 sites (TransformerSite.all).
            let sitesInside = architecture.transformer == nil ? 11 : TransformerSite.all.count
            let sites = footprint.plan.blockSites ? sitesInside : 2
            let histogramsPerSite = footprint.plan.histogramQuantities.isEmpty ? 0 : 2
            let perSite = SaturatingSize.sum(ReportCost.siteBytes, SaturatingSize.product(histogramsPerSite, histogramBytes))
            perLayer = SaturatingSize.sum(ReportCost.layerBytes, SaturatingSize.product(sites, perSite))
        }
        var everyRun = 0, largestRun = 0
        for named in initializers {
            var perRunLayer = perLayer
            if case .lsuv(_, let maxIterations) = named.initializer {
                let trace = SaturatingSize.product(SaturatingSize.sum(maxIterations, 1), MemoryLayout<Double>.stride)
                perRunLayer = SaturatingSize.sum([perRunLayer, trace, ReportCost.lsuvTraceOverheadBytes])
            }
            let run = SaturatingSize.product(perRunLayer, depth)
            everyRun = SaturatingSize.sum(everyRun, run); largestRun = Swift.max(largestRun, run)
        }
        let engine = footprint.keepsFinishedRuns ? everyRun : largestRun
        return SaturatingSize.sum(engine, SaturatingSize.product(everyRun, footprint.callerReportCopies))
    }

    /// The largest run the engine accepts, in bytes: min(8 GiB, 60% of physical memory).
    public static var memoryLimitBytes: Int {
        let physical = ProcessInfo.processInfo.physicalMemory
        let sixtyPercent = physical > UInt64(Int.max) ? Int.max : Int(physical) / 10 * 6
        return Swift.min(8 << 30, sixtyPercent)
    }
}
