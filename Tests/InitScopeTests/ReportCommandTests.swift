// `initscope report` end to end through the binary built with these tests: JSON contract, null for non-finite numbers,
// CSV shape, and bad input -> one line on stderr, exit 64, nothing on stdout.
import Foundation
import Testing

private func runReport(_ arguments: [String]) throws -> InitScopeBinary.Outcome {
    try InitScopeBinary.run(["report"] + arguments, environment: ["OPENBLAS_NUM_THREADS": "1"])
}

@Test func reportJSONFollowsTheContract() throws {
    let result = try runReport(["--activation", "relu", "--init", "he,normal:1,lsuv", "--depth", "40", "--width", "512",
                                "--batch", "64", "--seed", "3", "--format", "json", "--histograms"])
    #expect(result.status == 0 && result.stderr.isEmpty)
    let document = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    let scenario = try #require(document["scenario"] as? [String: Any])
    #expect(scenario["activation"] as? String == "relu" && scenario["depth"] as? Int == 40)
    #expect(scenario["width"] as? Int == 512 && scenario["batch"] as? Int == 64 && scenario["seed"] as? Int == 3)
    let runs = try #require(document["runs"] as? [[String: Any]])
    #expect(runs.map { $0["initializer"] as? String } == ["he", "normal:1", "lsuv"])
    for run in runs {
        let layers = try #require(run["layers"] as? [[String: Any]])
        #expect(layers.map { $0["index"] as? Int } == Array(1...40).map(Optional.some))
        for layer in layers {
            for key in ["preactivation", "activation", "activationGradient", "weightGradient", "weight"] {
                let quantity = try #require(layer[key] as? [String: Any], "\(key)")
                for field in ["mean", "variance", "secondMoment", "min", "max", "saturatedFraction", "zeroFraction", "nonFinite"] {
                    #expect(quantity.keys.contains(field), "\(key).\(field)")
                }
                let histogram = try #require(quantity["histogram"] as? [String: Any])
                let linear = try #require(histogram["linear"] as? [String: Any])
                #expect((linear["counts"] as? [Int])?.count == 64)
            }
            let theory = try #require(layer["theory"] as? [String: Any])
            #expect(theory.keys.contains("preactivationSecondMoment") && theory.keys.contains("gradientSecondMoment"))
        }
    }
    // N(0, 1) weights overflow Float32 near layer 32: those numbers are null, counted in nonFinite.
    let exploding = try #require(runs[1]["layers"] as? [[String: Any]])
    let last = try #require(exploding[39]["activation"] as? [String: Any])
    #expect((last["nonFinite"] as? Int ?? 0) > 0)
    #expect(last["mean"] is NSNull || (last["mean"] as? Double)?.isFinite == true)
    let text = String(decoding: result.stdout, as: UTF8.self)
    #expect(!text.contains("nan") && !text.contains("inf\""), "no bare non-finite tokens")
    let lsuvLayers = try #require(runs[2]["layers"] as? [[String: Any]])
    #expect(lsuvLayers.allSatisfy { $0["lsuv"] is [String: Any] })
}

@Test func reportCSVHasOneRowPerInitializerAndLayer() throws {
    let result = try runReport(["--activation", "tanh", "--init", "xavier,orthogonal", "--depth", "5", "--width", "32",
                                "--batch", "16", "--format", "csv"])
    #expect(result.status == 0)
    let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n")
    #expect(lines.count == 1 + 2 * 5)
    let columns = lines[0].split(separator: ",", omittingEmptySubsequences: false).count
    #expect(lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == columns })
    #expect(lines[1].hasPrefix("xavier,1,") && lines[10].hasPrefix("orthogonal,5,"))
}

@Test(arguments: [
    (["--activation", "swish"], "activation"),
    (["--init", "xavier,bogus"], "bogus"),
    (["--init", "normal:abc"], "abc"),
    (["--depth", "0"], "depth"),
    (["--width", "-5"], "width"),
    (["--batch", "abc"], "batch"),
    (["--format", "xml"], "format"),
    (["--bias-std", "-1"], "bias"),
    (["--depth", "100000", "--width", "100000"], "GiB"),
    (["--frobnicate"], "frobnicate"),
    (["--depth=-1"], "depth must be at least 1 (got -1)"),
    (["--depth", "-1"], "depth must be at least 1 (got -1)"),
    (["--activation", "leaky-relu:1e308"], "slope '1e308' in 'leaky-relu:1e308' (expected a number in -1000...1000"),
    (["--activation", "tanh:"], "takes no parameter"),
    (["--activation", "leaky-relu:"], "invalid leaky ReLU slope ''"),
    (["--init", "lsuv:0:0"], "(expected a number above 0 and below 1"),
    (["--init", "he-normal:fan-sideways"], "unknown fan mode 'fan-sideways'"),
    (["--init", "normal:1e-40"], "from 1e-30 up to 1e30"),
])
func reportBadInputIsOneLineAndStatus64(arguments: [String], word: String) throws {
    let result = try runReport(arguments)
    #expect(result.status == 64, "\(arguments): status \(result.status)")
    #expect(result.stdout.isEmpty, "\(arguments): stdout not empty")
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(arguments): \(result.stderr)")
    #expect(result.stderr.lowercased().contains(word.lowercased()), "\(arguments): \(result.stderr)")
}

@Test func aReportThatCannotBeWrittenIsOneLineAndStatus74() throws {
    // /dev/full refuses every write (ENOSPC): no trap, one line on stderr, EX_IOERR.
    guard FileManager.default.isWritableFile(atPath: "/dev/full") else { return }
    let full = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
    let result = try InitScopeBinary.run(["report", "--depth", "2", "--width", "8", "--batch", "4"], standardOutput: full)
    #expect(result.status == 74, "status \(result.status): \(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.contains("could not write the report"), "\(result.stderr)")
}

@Test func reportJacobianAddsEachRunsSpectrumToTheJSON() throws {
    // Linear orthogonal layers of gain 1.2: every singular value of J_l is 1.2^l (reference 3.9).
    let result = try runReport(["--activation", "linear", "--init", "orthogonal:1.2,xavier", "--depth", "6", "--width", "64",
                                "--batch", "16", "--format", "json", "--jacobian"])
    #expect(result.status == 0 && result.stderr.isEmpty)
    let document = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    let runs = try #require(document["runs"] as? [[String: Any]])
    let jacobian = try #require(runs.first?["jacobian"] as? [String: Any])
    let layers = try #require(jacobian["layers"] as? [[String: Any]])
    #expect(layers.map { $0["layer"] as? Int } == Array(1...6).map(Optional.some))
    let expected = 6 * log10(1.2)
    let values = try #require(jacobian["log10SingularValues"] as? [Double])
    #expect(values.count == 64 && jacobian["singularValueLayer"] as? Int == 6)
    for value in values { #expect(abs(value - expected) <= 1e-4, "log10 sigma \(value)") }
    #expect(abs((layers[5]["log10MeanSquaredSingularValue"] as? Double ?? .nan) - 2 * expected) <= 1e-4)
    #expect(runs.count == 2 && runs[1]["jacobian"] is [String: Any])
    #expect(jacobian["method"] as? String == "svd")
}

@Test func reportJacobianAboveTheSVDsWidthEstimatesTheMomentsFromProbes() throws {
    // Width 2048: no singular values; m_1 and the spread from 128 probes, each with its standard error. Linear
    // orthogonal layers of gain 1.2: every probe is scaled by 1.2^l, so m_1 = 1.2^(2l) and the spread ~0.
    let result = try runReport(["--activation", "linear", "--init", "orthogonal:1.2", "--depth", "2", "--width", "2048",
                                "--batch", "2", "--format", "json", "--jacobian"])
    #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
    let document = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    let runs = try #require(document["runs"] as? [[String: Any]])
    let jacobian = try #require(runs.first?["jacobian"] as? [String: Any])
    #expect(jacobian["method"] as? String == "probes" && jacobian["probes"] as? Int == 128)
    #expect(jacobian["log10SingularValues"] == nil && jacobian["singularValueLayer"] == nil)
    let layers = try #require(jacobian["layers"] as? [[String: Any]])
    #expect(layers.count == 2)
    let last = layers[1]
    #expect(abs((last["log10MeanSquaredSingularValue"] as? Double ?? .nan) - 4 * log10(1.2)) <= 1e-4)
    // (n + 2) / 2 * (1e-5 l)^2: float32 rounding only.
    #expect((last["normalizedSpread"] as? Double ?? .nan) <= 1e-6)
    #expect(last["meanRelativeStandardError"] is Double && last["normalizedSpreadStandardError"] is Double)
}

@Test(arguments: [
    (["--format", "table"], "--jacobian needs --format json"),
    (["--format", "json", "--arch", "resnet"], "--jacobian needs --arch mlp"),
])
func reportJacobianIsRefusedWhereItCannotRun(arguments: [String], message: String) throws {
    let result = try runReport(["--jacobian"] + arguments)
    #expect(result.status == 64 && result.stdout.isEmpty)
    #expect(result.stderr.contains(message) && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
}
