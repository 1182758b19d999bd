// `initscope report` streams its text layer by layer: the bytes written through a small buffer equal the whole
// document the formatters built in memory before streaming (LegacyReportFormatters), on real engine runs.
import Foundation
import Glibc
import SignalFlow
import Testing
@testable import initscope

/// Real reports of a small scenario (every quantity, histograms measured).
private func engineRuns(_ scenario: Scenario) throws -> [RunReport] {
    let experiment = try Experiment(scenario: scenario)
    experiment.plan = .everything
    return try #require(experiment.run(onEvent: { _ in }))
}

private func named(_ names: [String]) throws -> [NamedInitializer] {
    try names.map { NamedInitializer(name: $0, initializer: try Initializer.parse($0)) }
}

/// Scenarios with every kind of field: LSUV traces, no theory (zeros), bias, bounded and unbounded activations.
private func scenarios() throws -> [Scenario] {
    [
        Scenario(activation: .tanh, depth: 3, width: 8, batch: 4, seed: 7, initializers: try named(["xavier", "lsuv", "zeros"])),
        Scenario(activation: .relu, depth: 5, width: 16, batch: 8, seed: 3, biasStandardDeviation: 0.1,
                 initializers: try named(["he", "orthogonal:1", "uniform:0.3"])),
        Scenario(activation: .leakyRelu(slope: 0.2), depth: 2, width: 4, batch: 2, seed: 11, initializers: try named(["torch-default"])),
    ]
}

/// What `write` sends through a BufferedOutput of `capacity` bytes into a file, read back.
private func streamed(capacity: Int, _ write: (inout BufferedOutput) -> Void) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("initscope-stream-\(getpid())-\(capacity).txt").path
    defer { unlink(path) }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    try #require(descriptor >= 0)
    var output = BufferedOutput(descriptor: descriptor, capacity: capacity)
    write(&output)
    try output.finish(writing: "the test report")
    close(descriptor)
    return try String(contentsOfFile: path, encoding: .utf8)
}

@Test(arguments: [1, 7, 1 << 16])
func streamedReportEqualsTheWholeDocumentBuiltBeforeStreaming(capacity: Int) throws {
    for scenario in try scenarios() {
        let runs = try engineRuns(scenario)
        // The old formatters printed placeholders for empty finite sets; these scenarios have none.
        #expect(runs.allSatisfy { $0.layers.allSatisfy { $0.quantities.values.allSatisfy { $0.stats.hasFiniteValues } } })
        for histograms in [false, true] {
            let legacy: [(ReportFormat, String)] = [
                (.table, LegacyReportTableFormatter.format(scenario: scenario, runs: runs)),
                (.csv, LegacyReportCSVFormatter.format(scenario: scenario, runs: runs, histograms: histograms)),
                (.json, LegacyReportJSONFormatter.format(scenario: scenario, runs: runs, histograms: histograms)),
            ]
            for (format, expected) in legacy {
                let text = try streamed(capacity: capacity) { output in
                    ReportCommand.write(scenario: scenario, runs: runs, format: format, histograms: histograms, to: &output)
                }
                #expect(text == expected, "\(format) histograms \(histograms) capacity \(capacity) \(scenario.activation.name)")
            }
        }
    }
}

@Test func streamedReportOfNoRunsEqualsTheOldDocument() throws {
    let scenario = Scenario(activation: .relu, depth: 2, width: 4, batch: 2, seed: 1, initializers: try named(["he"]))
    for (format, expected) in [(ReportFormat.table, LegacyReportTableFormatter.format(scenario: scenario, runs: [])),
                               (.csv, LegacyReportCSVFormatter.format(scenario: scenario, runs: [], histograms: true)),
                               (.json, LegacyReportJSONFormatter.format(scenario: scenario, runs: [], histograms: true))] {
        let text = try streamed(capacity: 3) { output in
            ReportCommand.write(scenario: scenario, runs: [], format: format, histograms: true, to: &output)
        }
        #expect(text == expected)
    }
}

@Test func aBufferedOutputWritesOnceItsCapacityIsReached() throws {
    // Through a pipe: 10 bytes with capacity 4 arrive as 4 + 4 before finish, the last 2 at finish.
    var ends: [Int32] = [0, 0]
    try #require(pipe(&ends) == 0)
    defer { close(ends[0]) }
    let output = BufferedOutput(descriptor: ends[1], capacity: 4)
    output.write("abc")
    var buffer = [UInt8](repeating: 0, count: 16)
    _ = fcntl(ends[0], F_SETFL, O_NONBLOCK)
    #expect(read(ends[0], &buffer, 16) == -1, "nothing written below capacity")
    output.write("defghij")
    #expect(read(ends[0], &buffer, 16) == 10 && String(decoding: buffer.prefix(10), as: UTF8.self) == "abcdefghij")
    output.write("kl")
    try output.finish(writing: "the test")
    #expect(read(ends[0], &buffer, 16) == 2)
    close(ends[1])
}
