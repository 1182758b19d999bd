// Speed of the statistics passes (figures printed; the bound only catches pathological slowness).
import Foundation
import Testing
@testable import SignalFlow

@Test func statisticsPassesAreFast() {
    var random = RandomSource(seed: 1, stream: 1)
    var values = [Float](repeating: 0, count: 1 << 20)
    values.withUnsafeMutableBufferPointer { random.fillNormal($0) }
    func time(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<5 { body() }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 5 / Double(values.count)
    }
    var sink = 0.0
    let scan = values.withUnsafeBufferPointer { b in time { sink += TensorStatistics.scan(b).stats.mean } }
    let linear = values.withUnsafeBufferPointer { b in time { sink += Double(HistogramBuilder.linear(b, lower: -5, upper: 5).binCounts[3]) } }
    let log = values.withUnsafeBufferPointer { b in time { sink += Double(HistogramBuilder.logMagnitude(b, lower: -8, upper: 1).binCounts[3]) } }
    print("statistics speed ns/element: scan \(scan), linear \(linear), log10 \(log) (\(sink > 0))")
    #if DEBUG
    let bound = 5000.0   // unoptimised builds: only catch a pathological slowdown
    #else
    let bound = 50.0
    #endif
    #expect(scan + linear + log < bound)
}

@Test func fastTanhMatchesDoubleTanh() {
    var worstAbsolute = 0.0, worstRelative = 0.0
    var x = -12.0
    while x <= 12 {
        let exact = Foundation.tanh(Double(Float(x)))
        let approx = Double(fastTanh(Float(x)))
        worstAbsolute = Swift.max(worstAbsolute, Swift.abs(approx - exact))
        if exact != 0 { worstRelative = Swift.max(worstRelative, Swift.abs(approx - exact) / Swift.abs(exact)) }
        x += 0.000731
    }
    // A few Float ulps: relative 1e-6 keeps small activations exact enough for the log10 histograms.
    #expect(worstAbsolute < 5e-7 && worstRelative < 1e-6, "abs \(worstAbsolute) rel \(worstRelative)")
    #expect(fastTanh(.infinity) == 1 && fastTanh(-.infinity) == -1 && fastTanh(1e-30) == 1e-30 && fastTanh(0) == 0)
    #expect(fastTanh(.nan).isNaN)
}

@Test func fusedReportIsFasterThanSeparatePasses() {
    var random = RandomSource(seed: 2, stream: 1)
    var values = [Float](repeating: 0, count: 1 << 18)
    values.withUnsafeMutableBufferPointer { random.fillNormal($0) }
    var sink = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<10 { sink += values.withUnsafeBufferPointer { TensorStatistics.report($0) }.linear.binCounts[30] }
    let fused = Double(DispatchTime.now().uptimeNanoseconds - start) / 10 / Double(values.count)
    print("report (scan + fused histograms) ns/element: \(fused) (\(sink > 0))")
    #expect(fused > 0)
}
