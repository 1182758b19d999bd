// `initscope report --phase-diagram` through the binary: the JSON contract (cells, boundary, points, how a diverging
// xi is written), the CSV and table shapes, and bad input -> one line, exit 64, nothing on stdout.
import Foundation
import Testing

private func runPhaseReport(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let result = try InitScopeBinary.run(["report", "--phase-diagram"] + arguments)
    return (result.status, result.stdoutText, result.stderr)
}

@Test func phaseDiagramJSONFollowsTheContract() throws {
    let result = try runPhaseReport(["--activation", "relu", "--init", "xavier,he,normal:1", "--width", "64",
                                     "--sigma-w2", "0..4:5", "--sigma-b2", "0..0.2:3", "--format", "json"])
    #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
    let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let diagram = try #require(document["phaseDiagram"] as? [String: Any])
    #expect(diagram["activation"] as? String == "relu")
    let cells = try #require(diagram["cells"] as? [[String: Any]])
    #expect(cells.count == 15)
    // Row-major by sigma_b^2: cell 2 is (sigma_w^2 = 2, sigma_b^2 = 0): chi_1 = 1 exactly, xi null with kind infinite.
    #expect(cells[2]["sigmaW2"] as? Double == 2 && cells[2]["sigmaB2"] as? Double == 0)
    #expect(cells[2]["chi1"] as? Double == 1 && cells[2]["xi"] is NSNull && cells[2]["xiKind"] as? String == "infinite")
    #expect(cells[1]["phase"] as? String == "ordered" && abs((cells[1]["xi"] as? Double ?? 0) - 1 / log(2)) < 1e-9)
    #expect(cells[14]["xiKind"] as? String == "unbounded" && cells[14]["qStar"] is NSNull)
    let boundary = try #require(diagram["boundary"] as? [[String: Any]])
    #expect(boundary.count == 3 && boundary.allSatisfy { abs(($0["sigmaW2"] as? Double ?? 0) - 2) < 1e-9 })
    let points = try #require(diagram["points"] as? [[String: Any]])
    #expect(points.map { $0["initializer"] as? String } == ["xavier", "he", "normal:1"])
    #expect(points[0]["phase"] as? String == "ordered" && points[1]["phase"] as? String == "critical")
    // N(0, 1) at width 64: sigma_w^2 = 64, chi_1 = 32, off the map.
    #expect(points[2]["sigmaW2"] as? Double == 64 && points[2]["chi1"] as? Double == 32 && points[2]["onMap"] as? Bool == false)
    #expect(!result.stdout.contains("inf,") && !result.stdout.contains("nan"))
}

@Test func phaseDiagramCSVAndTable() throws {
    let csv = try runPhaseReport(["--activation", "tanh", "--init", "xavier", "--sigma-w2", "0.5..2.5:3", "--sigma-b2", "0..0.1:2",
                                  "--format", "csv"])
    #expect(csv.status == 0)
    let lines = csv.stdout.split(separator: "\n")
    #expect(lines.count == 1 + 6 + 2 + 1)
    let columns = lines[0].split(separator: ",", omittingEmptySubsequences: false).count
    #expect(lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == columns })
    #expect(lines[1].hasPrefix("cell,,0.5,0.0,") && lines[7].hasPrefix("boundary,,") && lines[9].hasPrefix("point,xavier,1.0"))
    let table = try runPhaseReport(["--activation", "tanh", "--init", "xavier", "--sigma-w2", "0.5..2.5:3", "--sigma-b2", "0..0.1:2"])
    #expect(table.status == 0)
    #expect(table.stdout.contains("chi1 = 1 boundary") && table.stdout.contains("xavier") && table.stdout.contains("critical"))
}

@Test(arguments: [
    (["--arch", "resnet"], "--phase-diagram needs --arch mlp"),
    (["--arch", "transformer"], "--phase-diagram needs --arch mlp"),
    (["--sigma-w2", "4..0:5"], "--sigma-w2 '4..0:5' is out of range"),
    (["--sigma-b2", "0..1:1"], "--sigma-b2 '0..1:1' is out of range"),
    (["--sigma-w2", "zero..4:5"], "malformed --sigma-w2"),
    (["--jacobian", "--format", "json"], "cannot be combined"),
])
func phaseDiagramBadInputIsOneLineAndStatus64(arguments: [String], message: String) throws {
    let result = try runPhaseReport(arguments)
    #expect(result.status == 64 && result.stdout.isEmpty, "\(arguments): \(result.status)")
    #expect(result.stderr.contains(message) && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
}

@Test func axesWithoutThePhaseDiagramAreRefused() throws {
    let result = try InitScopeBinary.run(["report", "--sigma-w2", "0..4:5"])
    #expect(result.status == 64 && result.stdout.isEmpty && result.stderr.contains("need --phase-diagram"), "\(result.stderr)")
}
