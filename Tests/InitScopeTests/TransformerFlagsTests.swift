// `report --arch transformer` flags: defaults (L = 12, d = 256, B = 8, T = 32, H = 4, GELU, the transformer's four
// schemes), the transformer flags read into the scenario, and refusals naming the flag and what is accepted.
import ArgumentParser
import Testing
import SignalFlow
@testable import initscope

private func message(_ body: () throws -> Void) -> String? {
    do { try body(); return nil } catch { return InitScope.message(for: error) }
}

@Test func transformerReportDefaults() throws {
    let (scenario, _) = try ReportCommand.parse(["--arch", "transformer"]).makeScenario()
    #expect(scenario.depth == 12 && scenario.width == 256 && scenario.batch == 8 && scenario.activation == .gelu)
    #expect(scenario.architecture == .transformer(TransformerOptions()))
    #expect(scenario.initializers.map(\.name) == ["xavier", "gpt2", "t-fixup", "deepnorm"])
    // The MLP's defaults are untouched.
    let (mlp, _) = try ReportCommand.parse([]).makeScenario()
    #expect(mlp.depth == 50 && mlp.width == 512 && mlp.batch == 256 && mlp.activation == .relu && mlp.architecture == .mlp)
}

@Test func transformerFlagsReachTheScenario() throws {
    let (scenario, _) = try ReportCommand.parse(["--arch", "transformer", "--tokens", "5", "--heads", "8", "--width", "64",
                                                 "--attention-scale", "none", "--causal", "--norm-position", "post"]).makeScenario()
    #expect(scenario.architecture == .transformer(TransformerOptions(tokens: 5, heads: 8, attentionScale: .none, causal: true,
                                                                     position: .post)))
}

@Test func transformerFlagRefusals() throws {
    func refusal(_ arguments: [String]) -> String? { message { _ = try ReportCommand.parse(arguments).makeScenario() } }
    #expect(refusal(["--arch", "transformer", "--attention-scale", "cubic"])
            == "unknown --attention-scale 'cubic'; accepted: sqrt, linear, none")
    #expect(refusal(["--arch", "transformer", "--heads", "3"]) == "heads 3 does not divide the width 256: accepted a divisor of 256")
    #expect(refusal(["--arch", "transformer", "--tokens", "-1"]) == "tokens -1 is out of range: accepted 1...4096")
    #expect(refusal(["--tokens", "8"]) == "--tokens applies to --arch transformer only (got --arch mlp)")
    #expect(refusal(["--arch", "resnet", "--causal"]) == "--causal applies to --arch transformer only (got --arch resnet)")
    #expect(refusal(["--arch", "transformer", "--init", "rezero"])
            == "initializer 'rezero' applies to --arch resnet only (got --arch transformer)")
}
