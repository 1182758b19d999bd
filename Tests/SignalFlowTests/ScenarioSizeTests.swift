// Sizes are checked before anything is built from them, in arithmetic that cannot overflow; the memory
// estimate counts every part a run holds and saturates instead of wrapping.
import Testing
@testable import SignalFlow

// Computed, not a global: a global holding an indirect enum's box was reported by LeakSanitizer (make sanitize).
private var xavier: [NamedInitializer] { [NamedInitializer(name: "xavier", initializer: .xavierNormal(gain: 1))] }
private let huge = [Int.max, Int.max - 1, 1 << 62, 1 << 61, 1 << 60, 268_435_456, Scenario.maximumDimension + 1]

@Test func saturatingSizesNeverWrap() {
    #expect(SaturatingSize.product(Int.max, 2) == Int.max)
    #expect(SaturatingSize.product(1 << 61, 4) == Int.max)            // 2^63 does not fit
    #expect(SaturatingSize.product(1 << 31, 1 << 31) == 1 << 62)      // fits exactly
    #expect(SaturatingSize.product(1 << 20, 1 << 20, 1 << 20, 4) == 1 << 62)
    #expect(SaturatingSize.product(1 << 20, 1 << 20, 1 << 20, 8) == Int.max)
    #expect(SaturatingSize.product(-5, 3) == 0)
    #expect(SaturatingSize.sum(Int.max - 1, 2) == Int.max)
    #expect(SaturatingSize.sum([1 << 62, 1 << 62]) == Int.max)
    #expect(SaturatingSize.sum([1, 2, 3]) == 6)
}

@Test(arguments: huge)
func hugeSizesAreRefusedBeforeAnythingIsBuilt(size: Int) {
    for (depth, width, batch, word) in [(size, 8, 8, "depth"), (8, size, 8, "width"), (8, 8, size, "batch")] {
        do {
            _ = try Scenario.uniform(activation: .relu, depth: depth, width: width, batch: batch, seed: 1, initializers: xavier)
            Issue.record("depth \(depth) width \(width) batch \(batch) accepted")
        } catch let error as ScenarioError {
            #expect(error.description.hasPrefix(word) && error.description.contains("\(size)"), "\(error)")
            #expect(!error.description.contains("\n"))
        } catch { Issue.record("\(error)") }
    }
}

@Test(arguments: huge)
func theNonThrowingInitializerBuildsAtMostABoundedScenario(depth: Int) {
    let scenario = Scenario(activation: .relu, depth: depth, width: 8, batch: 8, seed: 1, initializers: xavier)
    #expect(scenario.widths.count == Scenario.maximumDimension + 2)
    #expect(throws: ScenarioError.self) { try scenario.validate() }
}

@Test func theEstimateCountsEveryBufferExactly() {
    // L = 2, n = 3, B = 4, ReLU, no bias: W 2*9, x 3*4*3, G 4*3, two deltas and the scratch 3*4*3, dW 9.
    let relu = Scenario(activation: .relu, depth: 2, width: 3, batch: 4, seed: 1, initializers: xavier)
    #expect(relu.memoryEstimate().bufferBytes == 4 * (18 + 36 + 12 + 36 + 9))
    // GELU keeps h^1, h^2 (B x n each); a bias adds b^1, b^2.
    let gelu = Scenario(activation: .gelu, depth: 2, width: 3, batch: 4, seed: 1, biasStandardDeviation: 0.1,
                        initializers: xavier)
    #expect(gelu.memoryEstimate().bufferBytes == 4 * (18 + 36 + 12 + 36 + 9 + 24 + 6))
    // The workspace allocates what the estimate counts.
    let workspace = MLPWorkspace(MLPWorkspace.Shape(gelu))
    let allocated = workspace.weights + workspace.biases + workspace.activations + workspace.preactivations
        + [workspace.upstream, workspace.delta, workspace.deltaBelow, workspace.scratch, workspace.weightGradient]
    #expect(4 * allocated.map(\.capacity).reduce(0, +) == gelu.memoryEstimate().bufferBytes)
}

@Test func theEstimateCountsReportsOutputAndQRScratch() throws {
    let scenario = Scenario(activation: .tanh, depth: 10, width: 16, batch: 4, seed: 1, initializers: xavier)
    let statistics = scenario.memoryEstimate(RunFootprint(plan: .statisticsOnly))
    let everything = scenario.memoryEstimate(RunFootprint(plan: .everything))
    #expect(statistics.reportBytes == 10 * ReportCost.layerBytes)
    #expect(everything.reportBytes == 10 * (ReportCost.layerBytes + 10 * (64 * 8 + ReportCost.histogramOverheadBytes)))
    // A caller keeping a copy doubles the reports; output held per layer counts per layer and run.
    #expect(scenario.memoryEstimate(RunFootprint(callerReportCopies: 1)).reportBytes == 2 * everything.reportBytes)
    #expect(scenario.memoryEstimate(RunFootprint(outputBytesPerLayer: 1000)).outputBytes == 10_000)
    #expect(everything.weightDrawingBytes == 0)
    // Orthogonal draws hold an m x k block (plus 66 k) per layer drawn at once.
    var orthogonal = scenario
    orthogonal.initializers = [NamedInitializer(name: "orthogonal", initializer: .orthogonal(gain: nil))]
    #expect(orthogonal.memoryEstimate().weightDrawingBytes % (4 * (16 * 16 + 66 * 16)) == 0)
    #expect(orthogonal.memoryEstimate().weightDrawingBytes >= 4 * (16 * 16 + 66 * 16))
}

@Test func theLargestSizesSaturateTheEstimateAndAreRefused() {
    let side = Scenario.maximumDimension
    let scenario = Scenario(activation: .gelu, depth: side, width: side, batch: side, seed: 1, initializers: xavier)
    #expect(scenario.memoryEstimate().bufferBytes == Int.max)
    #expect(scenario.memoryEstimate(RunFootprint(outputBytesPerLayer: Int.max)).totalBytes == Int.max)
    do { try scenario.validate(); Issue.record("accepted") } catch let error as ScenarioError {
        #expect(error.description.contains("GiB") && !error.description.contains("\n"), "\(error)")
    } catch { Issue.record("\(error)") }
}

@Test func theMemoryMessageTellsNeedAndLimitApart() {
    let limit = 8 << 30
    let estimate = MemoryEstimate(bufferBytes: limit + 1_000_000, weightDrawingBytes: 0, reportBytes: 0, outputBytes: 0)
    do { try Scenario.checkMemory(estimate, limit: limit); Issue.record("accepted") } catch let error as ScenarioError {
        // 8.000931 GiB against 8.000000: printed to the first decimal that differs.
        #expect(error.description.contains("about 8.001 GiB") && error.description.contains("limit of 8.000 GiB"), "\(error)")
    } catch { Issue.record("\(error)") }
    #expect(throws: Never.self) { try Scenario.checkMemory(MemoryEstimate(bufferBytes: limit, weightDrawingBytes: 0,
                                                                           reportBytes: 0, outputBytes: 0), limit: limit) }
}

@Test func anEngineThatKeepsOnlyTheRunInProgressIsEstimatedSo() throws {
    let three = try ["xavier", "he", "lsuv:0.1:100"].map { NamedInitializer(name: $0, initializer: try Initializer.parse($0)) }
    let scenario = Scenario(activation: .tanh, depth: 10, width: 16, batch: 4, seed: 1, initializers: three)
    let plain = 10 * (ReportCost.layerBytes + 10 * (64 * 8 + ReportCost.histogramOverheadBytes))
    let lsuv = plain + 10 * (101 * 8 + ReportCost.lsuvTraceOverheadBytes)
    #expect(scenario.memoryEstimate().reportBytes == 2 * plain + lsuv)
    #expect(scenario.memoryEstimate(RunFootprint(keepsFinishedRuns: false)).reportBytes == lsuv)
    #expect(scenario.memoryEstimate(RunFootprint(callerReportCopies: 1, keepsFinishedRuns: false)).reportBytes
            == lsuv + 2 * plain + lsuv)
}
