// Transformer networks through the engine: GPT-2, T-Fixup and DeepNorm draw the reference's worked values and set
// what they need (T-Fixup no LN, DeepNorm post-LN with alpha = (2L)^(1/4)); redrawn weights and recomputed blocks
// give the same bits as kept ones; the memory estimate is what the workspace allocates; schemes and sizes refused.
// Legend: B sequences of T tokens, width d, H heads, L blocks.
import Foundation
import Testing
@testable import SignalFlow

private func scenario(_ names: [String], depth: Int = 3, width: Int = 32, batch: Int = 2,
                      options: TransformerOptions = TransformerOptions(tokens: 8, heads: 4),
                      activation: Activation = .gelu) -> Scenario {
    var s = Scenario(activation: activation, depth: depth, width: width, batch: batch, seed: 3,
                     initializers: names.map { NamedInitializer(name: $0, initializer: try! Initializer.parse($0)) })
    s.architecture = .transformer(options)
    return s
}

private func context(_ role: WeightRole, blocks: Int, d: Int = 512) -> InitContext {
    InitContext(fanIn: role == .ffnOut ? 4 * d : d, fanOut: role == .ffnIn ? 4 * d : d, role: role, blockIndex: 1,
                blockCount: blocks, layersPerBranch: 2, activation: .gelu)
}

@Test func gpt2ScalesOnlyTheResidualOutputProjections() throws {
    // Reference 2.10: n_layer = 12 -> 0.0040824829; 24 -> 0.0028867513; 48 -> 0.0020412415; others 0.02.
    for (blocks, expected) in [(12, 0.0040824829), (24, 0.0028867513), (48, 0.0020412415)] {
        for role in [WeightRole.output, .ffnOut] {
            guard case .normal(let std) = Initializer.gpt2(std: 0.02).distribution(in: context(role, blocks: blocks)) else {
                Issue.record("gpt2 \(role) is not a normal"); continue
            }
            #expect(Swift.abs(std - expected) < 5e-11, "gpt2 L=\(blocks) \(role): \(std)")
        }
        for role in [WeightRole.query, .key, .value, .ffnIn] {
            #expect(Initializer.gpt2(std: 0.02).distribution(in: context(role, blocks: blocks)) == .normal(std: 0.02))
        }
    }
    #expect(try Initializer.parse("gpt2") == .gpt2(std: 0.02) && Initializer.parse("gpt2:0.01") == .gpt2(std: 0.01))
    #expect(Initializer.gpt2(std: 0.01).canonicalName == "gpt2:0.01" && Initializer.gpt2(std: 0.02).canonicalName == "gpt2")
}

@Test func tFixupScalesValueOutputAndFFNBy067TimesLToTheMinusQuarter() throws {
    // Reference 2.10: N = 6 -> 0.67 * 6^(-1/4) = 0.428092; Xavier-uniform bounds sqrt(6 / (fan_in + fan_out)).
    let d = 512, factor = 0.428092
    func bound(_ role: WeightRole) -> Double {
        guard case .uniform(let b) = Initializer.tFixup.distribution(in: context(role, blocks: 6, d: d)) else { return .nan }
        return b
    }
    let square = (6.0 / Double(2 * d)).squareRoot(), wide = (6.0 / Double(5 * d)).squareRoot()
    #expect(Swift.abs(bound(.query) / (square / 2.0.squareRoot()) - 1) < 1e-12)      // fairseq's q/k gain, untouched
    #expect(Swift.abs(bound(.key) / (square / 2.0.squareRoot()) - 1) < 1e-12)
    #expect(Swift.abs(bound(.value) / square / factor - 1) < 1e-6)                   // the sqrt 2 cancels the 1/sqrt 2
    #expect(Swift.abs(bound(.output) / square / factor - 1) < 1e-6)
    #expect(Swift.abs(bound(.ffnIn) / wide / factor - 1) < 1e-6)
    #expect(Swift.abs(bound(.ffnOut) / wide / factor - 1) < 1e-6)
    let options = Initializer.tFixup.transformerOptions(from: TransformerOptions(), layers: 6)
    #expect(options.normalization == .none)
}

@Test func deepNormSetsPostLNAlphaAndBetaOfTheEncoderOnlyRow() throws {
    // Reference 2.10: N = 12 -> alpha 2.2133638394, beta 0.3194715521; N = 1000 -> 6.6874030498, 0.1057371263.
    for (blocks, alpha, beta) in [(12, 2.2133638394, 0.3194715521), (1000, 6.6874030498, 0.1057371263)] {
        let options = Initializer.deepNorm.transformerOptions(from: TransformerOptions(), layers: blocks)
        #expect(options.position == .post && options.normalization == .layer && Swift.abs(options.skip - alpha) < 1e-10)
        let xavier = (2.0 / 1024).squareRoot()
        for role in [WeightRole.value, .output] {
            guard case .normal(let std) = Initializer.deepNorm.distribution(in: context(role, blocks: blocks)) else { continue }
            #expect(Swift.abs(std / xavier - beta) < 1e-10, "deepnorm \(role): gain \(std / xavier)")
        }
        for role in [WeightRole.query, .key] {
            #expect(Initializer.deepNorm.distribution(in: context(role, blocks: blocks)) == .normal(std: xavier))
        }
    }
}

@Test func transformerRunsReportEveryBlockWithTheSchemesOptions() throws {
    let s = scenario(["xavier", "gpt2", "t-fixup", "deepnorm"])
    let runs = try #require(try Experiment(scenario: s).run { _ in })
    #expect(runs.map(\.initializerName) == ["xavier", "gpt2", "t-fixup", "deepnorm"])
    #expect(runs[0].transformerOptions?.normalization == .layer && runs[0].transformerOptions?.position == .pre)
    #expect(runs[2].transformerOptions?.normalization == Normalization.none)
    #expect(runs[3].transformerOptions?.position == .post)
    #expect(Swift.abs((runs[3].transformerOptions?.skip ?? 0) - Foundation.pow(6, 0.25)) < 1e-12)
    for run in runs {
        #expect(run.layers.count == 3)
        for layer in run.layers {
            #expect(layer.sites.first?.name == TransformerSite.stream && layer.sites[1].name == TransformerSite.streamGradient)
            let names = Set(layer.sites.map(\.name))
            for name in [TransformerSite.attentionLogits, TransformerSite.attentionWeights, TransformerSite.attentionEntropy,
                         TransformerSite.ffnPre, TransformerSite.ffnAct, TransformerSite.ffnOut, TransformerSite.attentionOut,
                         TransformerSite.middleStream] + TransformerOptions.weightRoles.map(TransformerSite.weightGradient) {
                #expect(names.contains(name), "\(run.initializerName) block \(layer.index) lacks \(name)")
            }
            // Entropy of a softmax row over T = 8 tokens lies in [0, ln 8]; the largest weight in [1/8, 1].
            let entropy = try #require(layer.site(TransformerSite.attentionEntropy)?.stats)
            #expect(entropy.min >= -1e-6 && entropy.max <= Foundation.log(8) + 1e-5)
            let largest = try #require(layer.site(TransformerSite.attentionLargest)?.stats)
            #expect(largest.min >= 0.125 - 1e-6 && largest.max <= 1 + 1e-6)
            #expect(layer.nonFiniteCount == 0)
        }
    }
    // Post-LN (DeepNorm): every row of the stream is normalized, so its second moment is 1 up to eps.
    for layer in runs[3].layers {
        #expect(Swift.abs((layer.site(TransformerSite.stream)?.stats.secondMoment ?? 0) - 1) < 1e-4)
    }
}

@Test(arguments: [(false, true), (true, false), (false, false)])
func redrawnWeightsAndRecomputedBlocksGiveTheSameBits(keepsWeights: Bool, keepsActivations: Bool) throws {
    for options in [TransformerOptions(tokens: 8, heads: 4, causal: true),
                    TransformerOptions(tokens: 8, heads: 2, position: .post)] {
        let s = scenario(["xavier", "t-fixup", "deepnorm"], options: options)
        let kept = try #require(try Experiment(scenario: s).run { _ in })
        var shape = TransformerWorkspace.Shape(s)
        #expect(shape.keepsWeights && shape.keepsActivations)
        shape.keepsWeights = keepsWeights; shape.keepsActivations = keepsActivations
        let experiment = try Experiment(scenario: s)
        let saving = try #require(experiment.runTransformer(TransformerWorkspace(shape), cancellation: CancellationToken()) { _ in })
        #expect(saving == kept)
    }
}

@Test func memoryEstimateIsWhatTheWorkspaceAllocates() {
    for options in [TransformerOptions(tokens: 8, heads: 4), TransformerOptions(tokens: 5, heads: 2, position: .post)] {
        let s = scenario(["xavier"], depth: 4, width: 16, batch: 3, options: options)
        var shape = TransformerWorkspace.Shape(s)
        for (weights, activations) in [(true, true), (false, true), (true, false), (false, false)] {
            shape.keepsWeights = weights; shape.keepsActivations = activations
            let allocated = TransformerWorkspace(shape).everyMatrix.reduce(0) { $0 + $1.count }
            #expect(allocated == shape.floatCount, "\(weights) \(activations): \(allocated) against \(shape.floatCount)")
        }
    }
    // 1,000 blocks at d = 256, T = 32, B = 8 keep their weights (3 GiB) but recompute their activations, and fit.
    let deep = scenario(["xavier"], depth: 1000, width: 256, batch: 8, options: TransformerOptions())
    let shape = TransformerWorkspace.Shape(deep)
    #expect(shape.keepsWeights && !shape.keepsActivations)
    #expect(throws: Never.self) { try deep.validate(RunFootprint(plan: .statisticsOnly)) }
}

@Test func transformerInputIsRefusedInOneLine() {
    func refusal(_ s: Scenario) -> String? {
        do { try s.validate(); return nil } catch { return "\(error)" }
    }
    #expect(refusal(scenario(["xavier"], width: 30, options: TransformerOptions(tokens: 8, heads: 4)))
            == "heads 4 does not divide the width 30: accepted a divisor of 30")
    #expect(refusal(scenario(["xavier"], options: TransformerOptions(tokens: 0))) == "tokens 0 is out of range: accepted 1...4096")
    #expect(refusal(scenario(["xavier"], options: TransformerOptions(heads: 0))) == "heads 0 is out of range: accepted 1...1024")
    #expect(refusal(scenario(["fixup"])) == "initializer 'fixup' applies to --arch resnet only (got --arch transformer)")
    var mlp = Scenario(activation: .relu, depth: 2, width: 8, batch: 2, seed: 1,
                       initializers: [NamedInitializer(name: "gpt2", initializer: .gpt2(std: 0.02))])
    #expect(refusal(mlp) == "initializer 'gpt2' applies to --arch transformer only (got --arch mlp)")
    mlp.architecture = .resnet(ResidualOptions())
    #expect(refusal(mlp) == "initializer 'gpt2' applies to --arch transformer only (got --arch resnet)")
    #expect(refusal(scenario(["xavier"], depth: 1_000_000, width: 4096, batch: 4096))?.hasPrefix("this run needs about") == true)
}

/// A transformer refused for memory names what made it too big: tokens first when the attention weights (P and its
/// gradient, B H T^2 each: 2 x 64 x 4 x 4096^2 x 4 bytes = 32 GiB) take half of the buffers, as the MLP's refusal
/// names depth, width and batch; otherwise every size, tokens and heads included.
@Test func aTransformerTooBigForMemoryNamesTheTokens() {
    func refusal(_ s: Scenario) -> String? {
        do { try s.validate(); return nil } catch { return "\(error)" }
    }
    let long = refusal(scenario(["xavier"], depth: 12, width: 256, batch: 64, options: TransformerOptions(tokens: 4096, heads: 4)))
    #expect(long?.hasPrefix("this run needs about") == true)
    #expect(long?.hasSuffix("; reduce tokens (the attention weights, B H T^2 per block, take 32.0 GiB), heads, batch, depth, "
                            + "width or the initializers") == true, "\(long ?? "accepted")")
    let deep = refusal(scenario(["xavier"], depth: 1_000_000, width: 4096, batch: 4096))
    #expect(deep?.hasSuffix("; reduce depth, width, batch, tokens, heads or the initializers") == true, "\(deep ?? "accepted")")
    let mlp = Scenario(activation: .relu, depth: 100_000, width: 4096, batch: 256, seed: 1,
                       initializers: [NamedInitializer(name: "he", initializer: .heNormal(mode: .fanIn, gain: nil))])
    #expect(refusal(mlp)?.hasSuffix("; reduce depth, width, batch or the initializers") == true)
}

@Test func aTransformerBlockIsTwoResidualSublayersAsData() {
    let pre = scenario(["xavier"]).block(2)
    #expect(pre.branch.isEmpty && pre.residual == nil && pre.sublayers.count == 2)
    #expect(pre.sublayers[0].branch == [.normalization(.layer), .selfAttention(width: 32, heads: 4, scale: .sqrt, causal: false)])
    #expect(pre.sublayers[1].branch == [.normalization(.layer), .feedForward(width: 32, activation: .gelu)])
    #expect(pre.sublayers.allSatisfy { $0.after.isEmpty && $0.residual == Block.ResidualAdd(skip: 1, branch: 1) })
    let post = scenario(["xavier"], options: TransformerOptions(tokens: 8, heads: 2, causal: true, position: .post)).block(1)
    #expect(post.sublayers[0].branch == [.selfAttention(width: 32, heads: 2, scale: .sqrt, causal: true)])
    #expect(post.sublayers.allSatisfy { $0.after == [.normalization(.layer)] })
    #expect(post.sublayers.map { $0.branch.last?.siteName } == [TransformerSite.attentionOut, TransformerSite.ffnOut])
}

@Test func aSchemeThatAddsLayerNormsGetsTheirBuffersAndTheNumbersOfAPostLNNetwork() throws {
    // The live view's z can leave a transformer without LayerNorms while the DeepNorm row puts post-LN back: the
    // workspace must have the LayerNorms' buffers (before, it had none and the shipped build wrote past others).
    var none = TransformerOptions(tokens: 8, heads: 4)
    none.normalization = .none
    let withoutNorms = scenario(["xavier", "deepnorm"], options: none)
    let shape = TransformerWorkspace.Shape(withoutNorms)
    try #require(shape.normalized)
    #expect(!shape.keepsNormOutputs)   // DeepNorm's LayerNorms are after the adds: no outputs to keep
    #expect(TransformerWorkspace(shape).everyMatrix.reduce(0) { $0 + $1.count } == shape.floatCount)
    let runs = try #require(try Experiment(scenario: withoutNorms).run { _ in })
    #expect(runs[0].transformerOptions?.normalization == Normalization.none)
    let postLN = scenario(["deepnorm"], options: TransformerOptions(tokens: 8, heads: 4, position: .post))
    let reference = try #require(try Experiment(scenario: postLN).run { _ in })
    #expect(runs[1] == reference[0])
}
