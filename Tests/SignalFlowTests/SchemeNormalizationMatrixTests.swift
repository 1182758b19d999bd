// Every normalization the live view's z offers, with every scheme made for the architecture: each run completes
// with finite numbers. A scheme may change the normalization (T-Fixup and Fixup remove it, DeepNorm puts post-LN
// back), and the workspace must have the buffers every row needs (z to none with the DeepNorm row overran the heap
// in the shipped build until 2026-12-01; in this checked build it stopped at a guard).
// Legend: L = 3 blocks, width 16, batch 4 (transformer: 4 sequences of 4 tokens, 2 heads).
import Testing
@testable import SignalFlow

@Suite struct SchemeNormalizationMatrixTests {
    private static let schemes: [(architecture: Architecture, names: [String])] = [
        (.resnet(ResidualOptions()), ["he", "fixup", "rezero", "skipinit", "xavier"]),
        (.transformer(TransformerOptions(tokens: 4, heads: 2)), ["xavier", "gpt2", "t-fixup", "deepnorm"]),
    ]

    @Test func everyNormalizationChoiceRunsEverySchemeOfItsArchitecture() throws {
        for (base, names) in Self.schemes {
            let choices = base.normalizationChoices
            #expect(choices.count >= 3, "\(base.name)")
            for architecture in choices {
                var scenario = Scenario(activation: .relu, depth: 3, width: 16, batch: 4, seed: 9,
                                        initializers: try names.map { NamedInitializer(name: $0, initializer: try Initializer.parse($0)) })
                scenario.architecture = architecture
                let runs = try #require(try Experiment(scenario: scenario).run { _ in }, "\(architecture.normalizationName)")
                #expect(runs.map(\.initializerName) == names)
                for run in runs {
                    #expect(run.layers.count == 3)
                    for layer in run.layers {
                        #expect(layer.nonFiniteCount == 0, "\(base.name) \(architecture.normalizationName) \(run.initializerName) L\(layer.index)")
                    }
                }
            }
        }
    }
}
