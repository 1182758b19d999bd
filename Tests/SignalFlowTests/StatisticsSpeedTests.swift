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
    #expect(scan + linear + log < 50)
}
