// Residual networks x <- alpha x + beta W2 phi(W1 x) (reference 2.10): the engine's backward pass against finite
// differences of a Double reference, the identity at initialization of Fixup and ReZero (bit for bit), the
// stream's growth (x3 per block unnormalized with He ReLU branches; +2 per block with pre-LayerNorm), schemes
// refused where they do not apply, memory and cancellation.
// Legend: B = batch, n = width, L = blocks; Q_l = mean (x^l)^2.
import Foundation
import Testing
@testable import SignalFlow

/// A residual network in Double with the engine's weights, input and upstream gradient.
private struct ReferenceResNet {
    var w1: [[Double]], w2: [[Double]], b1: [[Double]], b2: [[Double]]
    let n: Int, batch: Int
    let input: [Double], upstream: [Double]
    let activation: Activation
    let options: ResidualOptions

    func norm(_ x: [Double]) -> [Double] {
        let eps = 1e-5
        var y = x
        switch options.normalization {
        case .none: return x
        case .layer, .rms:
            for r in 0..<batch {
                let row = Array(x[(r * n)..<((r + 1) * n)])
                let mean = options.normalization == .layer ? row.reduce(0, +) / Double(n) : 0
                let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
                for j in 0..<n { y[r * n + j] = (row[j] - mean) / (variance + eps).squareRoot() }
            }
        case .batch:
            for j in 0..<n {
                let column = (0..<batch).map { x[$0 * n + j] }
                let mean = column.reduce(0, +) / Double(batch)
                let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(batch)
                for r in 0..<batch { y[r * n + j] = (column[r] - mean) / (variance + eps).squareRoot() }
            }
        }
        return y
    }

    func dense(_ x: [Double], _ w: [Double], _ b: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: batch * n)
        for r in 0..<batch {
            for j in 0..<n {
                var h = b.isEmpty ? 0 : b[j]
                for k in 0..<n { h += x[r * n + k] * w[k * n + j] }
                out[r * n + j] = h
            }
        }
        return out
    }

    func loss() -> Double {
        var x = input
        let pre = options.position == .pre
        for l in w1.indices {
            let u = pre ? norm(x) : x
            let a = dense(u, w1[l], b1.isEmpty ? [] : b1[l]).map(activation.value)
            let f = dense(a, w2[l], b2.isEmpty ? [] : b2[l])
            let y = zip(x, f).map { options.skip * $0 + options.branchMultiplier * $1 }
            x = pre ? y : norm(y)
        }
        return zip(x, upstream).map { $0 * $1 }.reduce(0, +)
    }
}

private func residualScenario(depth: Int, width: Int, batch: Int, activation: Activation = .relu,
                              options: ResidualOptions = ResidualOptions(), initializers: [String],
                              seed: UInt64 = 7, biasStd: Double = 0) throws -> Scenario {
    var scenario = try Scenario.uniform(activation: activation, depth: depth, width: width, batch: batch, seed: seed,
                                        biasStandardDeviation: biasStd,
                                        initializers: initializers.map { NamedInitializer(name: $0, initializer: try Initializer.parse($0)) })
    scenario.architecture = .resnet(options)
    return scenario
}

private let normalizationCases: [(Normalization, NormPosition)] = [(.none, .pre), (.layer, .pre), (.rms, .pre),
                                                                   (.batch, .pre), (.layer, .post), (.rms, .post), (.batch, .post)]

@Test(arguments: normalizationCases)
func residualBackwardMatchesCentralFiniteDifferences(normalization: Normalization, position: NormPosition) throws {
    let n = 5, batch = 4, depth = 3
    let options = ResidualOptions(normalization: normalization, position: position, skip: 0.9, branchMultiplier: 0.7)
    let scenario = try residualScenario(depth: depth, width: n, batch: batch, activation: .gelu, options: options,
                                        initializers: ["xavier:1.5"], biasStd: 0.2)
    let workspace = ResidualWorkspace(ResidualWorkspace.Shape(scenario))
    var propagator = ResidualPropagator(workspace: workspace, activation: .gelu, options: options)
    propagator.drawInputAndUpstream(seed: 21)
    propagator.drawParameters(initializer: .xavierNormal(gain: 1.5), seed: 21, biasStandardDeviation: 0.2)
    func doubles(_ matrices: [Matrix]) -> [[Double]] { matrices.map { $0.buffer.map(Double.init) } }
    let reference = ReferenceResNet(w1: doubles(workspace.branchInWeights), w2: doubles(workspace.branchOutWeights),
                                    b1: doubles(workspace.branchInBiases), b2: doubles(workspace.branchOutBiases),
                                    n: n, batch: batch, input: workspace.streams[0].buffer.map(Double.init),
                                    upstream: workspace.upstream.buffer.map(Double.init), activation: .gelu, options: options)
    for l in 1...depth { _ = propagator.forwardBlock(l) }
    propagator.beginBackward()
    var engineGradients = [[Double]](repeating: [], count: depth)
    for l in stride(from: depth, through: 1, by: -1) {
        _ = propagator.backwardBlock(l)
        engineGradients[l - 1] = workspace.weightGradient.buffer.map(Double.init)   // dL/dW1 of block l
    }
    let step = 1e-6
    for l in 1...depth {
        var worst = 0.0, scale = 0.0
        for index in 0..<(n * n) {
            var plus = reference, minus = reference
            plus.w1[l - 1][index] += step
            minus.w1[l - 1][index] -= step
            let numeric = (plus.loss() - minus.loss()) / (2 * step)
            worst = Swift.max(worst, Swift.abs(numeric - engineGradients[l - 1][index]))
            scale = Swift.max(scale, Swift.abs(numeric))
        }
        #expect(scale > 1e-3, "block \(l) gradient is not trivially zero")
        #expect(worst <= 5e-4 * scale, "\(normalization) \(position) block \(l): max error \(worst), scale \(scale)")
    }
}

@Test(arguments: ["fixup", "rezero", "skipinit"])
func zeroBranchSchemesAreExactlyTheIdentityAtInitialization(scheme: String) throws {
    // BatchNorm asked for: the scheme removes it (its network has none), so the identity holds.
    let scenario = try residualScenario(depth: 6, width: 64, batch: 16,
                                        options: ResidualOptions(normalization: .batch), initializers: [scheme])
    let experiment = try Experiment(scenario: scenario)
    let workspace = try #require(experiment.residualWorkspace)
    let runs = try #require(experiment.run { _ in })
    #expect(runs[0].residualOptions?.normalization == Normalization.none)
    let input = workspace.streams[0].buffer.map(\.bitPattern)
    for l in 1...6 { #expect(workspace.streams[l].buffer.map(\.bitPattern) == input, "block \(l) changed the stream") }
    // dL/dx^1 (left after block 2's backward pass) is G bit for bit, and every block's stream gradient has G's statistics.
    #expect(workspace.streamGradient.buffer.map(\.bitPattern) == workspace.upstream.buffer.map(\.bitPattern))
    let g = TensorStatistics.scan(UnsafeBufferPointer(workspace.upstream.buffer)).stats
    let x0 = TensorStatistics.scan(UnsafeBufferPointer(workspace.streams[0].buffer)).stats
    for layer in runs[0].layers {
        #expect(layer.site(ResidualSite.streamGradient)?.stats == g)
        #expect(layer.site(ResidualSite.stream)?.stats == x0)
        #expect(layer.streamTheory == x0.secondMoment)
    }
}

/// Per-block ratios (or increments) of the measured stream second moment, their mean and standard error.
private func streamSteps(_ run: RunReport, input: Double, additive: Bool) -> (mean: Double, standardError: Double) {
    var previous = input, steps: [Double] = []
    for layer in run.layers {
        let q = layer.site(ResidualSite.stream)!.stats.secondMoment
        steps.append(additive ? q - previous : q / previous)
        previous = q
    }
    let mean = steps.reduce(0, +) / Double(steps.count)
    let variance = steps.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(steps.count - 1)
    return (mean, (variance / Double(steps.count)).squareRoot())
}

@Test func unnormalizedReLUResnetWithHeTriplesTheStreamEveryBlock() throws {
    // Q_l = Q_{l-1} (1 + G), G = (2)(2)/2 = 2 for He (sigma_w^2 = 2) in both layers and ReLU's E[relu(z)^2] = 1/2.
    let scenario = try residualScenario(depth: 12, width: 256, batch: 64, initializers: ["he"])
    let experiment = try Experiment(scenario: scenario)
    let workspace = try #require(experiment.residualWorkspace)
    let run = try #require(experiment.run { _ in }?.first)
    let input = TensorStatistics.scan(UnsafeBufferPointer(workspace.streams[0].buffer)).stats.secondMoment
    let (mean, standardError) = streamSteps(run, input: input, additive: false)
    #expect(standardError < 0.1)
    #expect(Swift.abs(mean - 3) < 5 * standardError, "mean growth \(mean) +- \(standardError)")
    // The mean-field line is the product of (1 + G): 3^l times the input's second moment.
    for layer in run.layers { #expect(Swift.abs(layer.streamTheory! / (input * pow(3, Double(layer.index))) - 1) < 1e-9) }
}

@Test(arguments: [Normalization.layer, .rms])
func preNormalizedResnetStreamGrowsAdditively(normalization: Normalization) throws {
    // Q_l = Q_{l-1} + G with G = 2 (the branch sees a unit second moment), not x3.
    let scenario = try residualScenario(depth: 12, width: 256, batch: 64, options: ResidualOptions(normalization: normalization),
                                        initializers: ["he"])
    let experiment = try Experiment(scenario: scenario)
    let workspace = try #require(experiment.residualWorkspace)
    let run = try #require(experiment.run { _ in }?.first)
    let input = TensorStatistics.scan(UnsafeBufferPointer(workspace.streams[0].buffer)).stats.secondMoment
    let (mean, standardError) = streamSteps(run, input: input, additive: true)
    #expect(standardError < 0.2)
    #expect(Swift.abs(mean - 2) < 5 * standardError, "mean increment \(mean) +- \(standardError)")
    for layer in run.layers { #expect(Swift.abs(layer.streamTheory! - (input + 2 * Double(layer.index))) < 1e-9) }
}

@Test func residualSchemesAreRefusedWhereTheyDoNotApply() throws {
    let mlp = try Scenario.uniform(activation: .relu, depth: 2, width: 8, batch: 4, seed: 1,
                                   initializers: [NamedInitializer(name: "fixup", initializer: .fixup)])
    #expect(throws: ScenarioError("initializer 'fixup' applies to --arch resnet only (got --arch mlp)")) { try mlp.validate() }
    let lsuv = try residualScenario(depth: 2, width: 8, batch: 4, initializers: ["lsuv"])
    #expect(throws: ScenarioError("initializer 'lsuv' applies to --arch mlp only (got --arch resnet)")) { try lsuv.validate() }
    #expect(try Initializer.parse("skipinit:0.25") == .skipInit(multiplier: 0.25))
    #expect(Initializer.skipInit(multiplier: 0.25).canonicalName == "skipinit:0.25")
    #expect(throws: InitializerParseError.self) { try Initializer.parse("rezero:1") }
}

@Test func fixupScalesBranchInputLayersAndZeroesBranchOutputs() {
    // L = 54 blocks, m = 2: L^(-1/2) = 0.13608276 (reference 2.10, ResNet-110) times He's sqrt(2 / fan_in).
    let context = InitContext(fanIn: 64, fanOut: 64, role: .branchIn, blockIndex: 3, blockCount: 54, layersPerBranch: 2,
                              activation: .relu)
    #expect(Initializer.fixup.distribution(in: context) == .normal(std: (2.0 / 64).squareRoot() * pow(54, -0.5)))
    var out = context; out.role = .branchOut
    #expect(Initializer.fixup.distribution(in: out) == .zeros)
    // Plain schemes ignore the role and the depth.
    #expect(Initializer.xavierNormal(gain: 1).distribution(in: out) == .normal(std: (2.0 / 128).squareRoot()))
}

@Test func residualWorkspaceAllocatesWhatTheEstimateCounts() throws {
    for options in [ResidualOptions(), ResidualOptions(normalization: .layer), ResidualOptions(normalization: .batch, position: .post)] {
        let scenario = try residualScenario(depth: 3, width: 24, batch: 10, activation: .gelu, options: options,
                                            initializers: ["he"], biasStd: 0.1)
        let workspace = ResidualWorkspace(ResidualWorkspace.Shape(scenario))
        let allocated = workspace.everyMatrix.reduce(0) { $0 + $1.capacity }
        #expect(allocated == scenario.bufferFloats, "\(options)")
    }
}

@Test func residualRunStopsWhenCancelled() throws {
    let scenario = try residualScenario(depth: 4, width: 32, batch: 8, initializers: ["he", "fixup"])
    let experiment = try Experiment(scenario: scenario)
    let token = CancellationToken()
    var events = 0
    let result = experiment.run(cancellation: token) { _ in events += 1; if events == 3 { token.cancel() } }
    #expect(result == nil)
    #expect(events == 3)
}

@Test func theMLPIsDenseThenActivationBlocks() throws {
    let scenario = try Scenario.uniform(activation: .tanh, depth: 3, width: 8, batch: 4, seed: 1, initializers: [])
    #expect(scenario.architecture == .mlp)
    #expect(scenario.blocks == Array(repeating: Block(branch: [.dense(role: .dense, inputs: 8, outputs: 8, bias: false),
                                                               .activation(.tanh)]), count: 3))
    var resnet = scenario
    resnet.architecture = .resnet(ResidualOptions(normalization: .layer, position: .post))
    #expect(resnet.block(2) == Block(branch: [.dense(role: .branchIn, inputs: 8, outputs: 8, bias: false), .activation(.tanh),
                                              .dense(role: .branchOut, inputs: 8, outputs: 8, bias: false)],
                                     residual: .init(skip: 1, branch: 1), after: [.normalization(.layer)]))
}

@Test(arguments: [Normalization.none, .layer])
func redrawnWeightsGiveTheSameBitsAsKeptOnes(normalization: Normalization) throws {
    // A workspace that does not keep W1^l, W2^l redraws them from their streams in both passes: every report is equal.
    let scenario = try residualScenario(depth: 5, width: 32, batch: 8, activation: .gelu,
                                        options: ResidualOptions(normalization: normalization), initializers: ["orthogonal"],
                                        biasStd: 0.1)
    func run(keepsWeights: Bool) -> [LayerReport] {
        var shape = ResidualWorkspace.Shape(scenario)
        shape.keepsWeights = keepsWeights
        let workspace = ResidualWorkspace(shape)
        #expect(workspace.everyMatrix.reduce(0) { $0 + $1.capacity } == shape.floatCount)
        var propagator = ResidualPropagator(workspace: workspace, activation: .gelu, options: ResidualOptions(normalization: normalization))
        propagator.drawInputAndUpstream(seed: 3)
        propagator.drawParameters(initializer: .orthogonal(gain: nil), seed: 3, biasStandardDeviation: 0.1)
        var layers = (1...5).map { propagator.forwardBlock($0) }
        propagator.beginBackward()
        for l in stride(from: 5, through: 1, by: -1) { layers[l - 1].sites += propagator.backwardBlock(l) }
        return layers
    }
    let kept = run(keepsWeights: true), redrawn = run(keepsWeights: false)
    #expect(kept.count == 5 && kept[0].sites.count == (normalization == .none ? 10 : 11))
    #expect(kept == redrawn)
}

@Test func aTenThousandBlockResnetOfWidth256FitsByRedrawingItsWeights() throws {
    // Kept weights alone would be 2 x 10,000 x 256^2 x 4 B = 4.9 GiB: the shape redraws them instead.
    let scenario = try residualScenario(depth: 10_000, width: 256, batch: 128, activation: .gelu,
                                        options: ResidualOptions(normalization: .layer), initializers: ["he", "fixup"])
    #expect(!ResidualWorkspace.Shape(scenario).keepsWeights)
    try scenario.validate()
    var small = scenario
    small.widths = Array(repeating: 256, count: 101)
    #expect(ResidualWorkspace.Shape(small).keepsWeights)
}
