// How many bytes a scenario's run needs, estimated before anything is allocated.
// Legend: B = batch, n_l = widths, L = depth; Float32 = 4 bytes.
import Foundation

extension Scenario {
    /// Bytes of the buffers one run keeps (weights, every activation block, h for GELU, gradients,
    /// workspace) plus the reports of every layer of every initializer. Double arithmetic: never overflows.
    public var estimatedBytes: Double {
        guard depth >= 1 else { return 0 }
        let b = Double(batch)
        let w = widths.map(Double.init)
        var floats = 0.0
        for l in 1...depth { floats += w[l - 1] * w[l] }              // W^l
        if biasStandardDeviation > 0 { floats += w.dropFirst().reduce(0, +) }
        floats += b * w.reduce(0, +)                                  // x^0 ... x^L
        if !activation.derivativeFromActivationValue { floats += b * w.dropFirst().reduce(0, +) }  // h^l
        let widest = w.max() ?? 0
        floats += b * (w.last ?? 0) + 3 * b * widest                  // G, two deltas, scratch
        var widestProduct = 0.0
        for l in 1...depth { widestProduct = Swift.max(widestProduct, w[l - 1] * w[l]) }
        floats += widestProduct                                       // dW^l
        let reportBytes = Double(depth) * Double(Swift.max(initializers.count, 1)) * 5 * (2 * 64 * 8 + 512)
        return 4 * floats + reportBytes
    }

    /// The largest run the engine accepts: min(8 GiB, 60% of physical memory).
    public static var memoryLimitBytes: Double {
        Swift.min(8 * 1_073_741_824.0, 0.6 * Double(ProcessInfo.processInfo.physicalMemory))
    }
}
