// The live view of transformers (issue 11): `m` reaches the transformer with its rows (xavier, gpt2, t-fixup,
// deepnorm), G/F/P add those schemes as rows, `z` cycles pre-LN, post-LN and none, `w`/`W` walk the sites of the
// selected block (attention and FFN), and the screens at 80x24 and 160x48 are snapshots.
// Legend: L = 12 blocks, d = 256, T = 32 tokens, B = 8 sequences; Q_l = the stream's second moment after block l.
import Foundation
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct TransformerViewTests {
    /// Values per tensor of the stream (B T d).
    static let streamCount = 8 * 32 * 256

    /// A started MLP state (ReLU, L = 50) with every event revealed.
    func mlp() -> AppState { UITestSupport.completedReluState(width: 80, height: 24) }

    /// The site report of a zero-mean Gaussian of variance `variance`.
    func site(_ name: String, _ variance: Double, count: Int = streamCount) -> SiteReport {
        SiteReport(name: name, quantity: UITestSupport.quantity(variance: max(variance, 1e-12), count: count))
    }

    /// The stream's second moment after block l of each default row, shaped like the engine's numbers at L = 12:
    /// xavier (pre-LN) grows additively, +0.4 a block; gpt2's 0.02 weights leave it near 1; t-fixup (no
    /// normalization) grows x1.1 a block; deepnorm (post-LN) is 1 after every LayerNorm.
    static func stream(_ row: String, _ l: Int) -> Double {
        switch row {
        case "xavier": return 1 + 0.4 * Double(l)
        case "gpt2": return 1 + 1e-4 * Double(l)
        case "t-fixup": return pow(1.1, Double(l))
        default: return 1
        }
    }

    /// dL/dx^l's second moment: pre-LN's grows toward the input as Q_L / Q_l; post-LN's fades at the bottom.
    static func streamGradient(_ row: String, _ l: Int, depth: Int) -> Double {
        switch row {
        case "xavier", "t-fixup": return stream(row, depth) / stream(row, l)
        case "deepnorm": return pow(0.95, Double(depth - l))
        default: return 1
        }
    }

    /// The transformer as `m` pressed twice from the MLP leaves it, with every row's events revealed; `rows` adds
    /// these names as rows by their keys first (none by default).
    func transformer(width: Int = 80, height: Int = 24) -> AppState {
        var state = AppState(scenario: UITestSupport.reluScenario(), width: width, height: height, sweepMilliseconds: 0)
        _ = update(&state, .start)
        _ = update(&state, .key(.character("m")))
        _ = update(&state, .key(.character("m")))
        let depth = state.scenario.depth
        for (row, named) in state.scenario.initializers.enumerated() {
            let q = { (l: Int) in Self.stream(named.name, l) }
            let attention = { (l: Int) in 0.2 * q(l - 1) }
            var layers: [LayerReport] = []
            for l in 1...depth {
                let heads = 8 * 4 * 32
                var layer = LayerReport(index: l, quantities: [:], sites: [
                    site(TransformerSite.stream, q(l)),
                    site(TransformerSite.attentionNormOut, 1),
                    site(TransformerSite.attentionLogits, 1, count: heads * 32),
                    site(TransformerSite.attentionWeights, 0.003, count: heads * 32),
                    site(TransformerSite.attentionEntropy, 0.01, count: heads),
                    site(TransformerSite.attentionLargest, 0.0004, count: heads),
                    site(TransformerSite.attentionOut, attention(l)),
                    site(TransformerSite.middleStream, q(l - 1) + attention(l)),
                    site(TransformerSite.ffnNormOut, 1),
                    site(TransformerSite.ffnPre, 1, count: 4 * Self.streamCount),
                    site(TransformerSite.ffnAct, 0.4, count: 4 * Self.streamCount),
                    site(TransformerSite.ffnOut, q(l) - q(l - 1) - attention(l)),
                ])
                _ = update(&state, .engine(.forwardLayer(run: row, layer: layer), generation: state.generation))
                // As the engine merges them: the stream and its gradient first, then the forward and backward sites.
                let gradient = Self.streamGradient(named.name, l, depth: depth)
                layer.sites.insert(site(TransformerSite.streamGradient, gradient), at: 1)
                layer.sites.append(site(TransformerSite.weightGradient(.ffnOut), 1e-2 * gradient, count: 1024 * 256))
                layer.sites.append(site(TransformerSite.weightGradient(.ffnIn), 1e-3 * gradient, count: 256 * 1024))
                layers.append(layer)
            }
            for layer in layers.reversed() {
                _ = update(&state, .engine(.backwardLayer(run: row, layer: layer), generation: state.generation))
            }
            _ = update(&state, .engine(.runFinished(run: row, report: RunReport(initializerName: named.name, layers: layers)),
                                       generation: state.generation))
        }
        _ = update(&state, .engineFinished(generation: state.generation))
        state.setStatus("")
        return state
    }

    @Test func mReachesTheTransformerWithItsRowsAndSizes() {
        var state = mlp()
        _ = update(&state, .key(.character("m")))
        let effects = update(&state, .key(.character("m")))
        #expect(state.scenario.architecture == .transformer(TransformerOptions()))
        #expect(state.scenario.initializers.map(\.name) == ["xavier", "gpt2", "t-fixup", "deepnorm"])
        #expect((state.scenario.depth, state.scenario.width, state.scenario.batch) == (12, 256, 8))
        #expect(effects == [.startSimulation(state.scenario, plan: state.measurementPlan, generation: state.generation,
                                             rows: [0, 1, 2, 3])])
        #expect(state.statusMessage == "transformer: xavier, gpt2, t-fixup, deepnorm")
        #expect(HeaderBar(state: state).fields.prefix(2) == ["transformer", "pre-LN"])
        // Leaving it restores the MLP's sizes.
        _ = update(&state, .key(.character("m")))
        #expect(state.scenario.architecture == .mlp && (state.scenario.depth, state.scenario.width, state.scenario.batch) == (50, 512, 256))
    }

    @Test func zCyclesPreLNPostLNAndNone() {
        var state = transformer()
        var names: [String] = []
        for _ in 0..<3 {
            #expect(update(&state, .key(.character("z"))).count == 1)
            names.append(state.scenario.architecture.normalizationName)
        }
        #expect(names == ["post-LN", "none", "pre-LN"])
    }

    @Test func gFAndPAddTheTransformerSchemesAsRows() {
        var state = transformer()
        // Dropped, then added back by their keys: each key adds its row (and focuses it), a second press focuses it.
        for _ in 0..<3 { _ = update(&state, .key(.down)) }
        for _ in 0..<3 { _ = update(&state, .key(.character("D"))) }
        #expect(state.scenario.initializers.map(\.name) == ["xavier"])
        for key: Character in ["G", "F", "P"] {
            let effects = update(&state, .key(.character(key)))
            #expect(effects.count == 1, "\(key)")
        }
        #expect(state.scenario.initializers.map(\.name) == ["xavier", "gpt2", "t-fixup", "deepnorm"])
        #expect(state.statusMessage == "added deepnorm" && state.focusedRow == 3)
        #expect(update(&state, .key(.character("G"))).isEmpty && state.focusedRow == 1)
        // In an MLP the engine would refuse them: one line naming where they apply, the picture kept.
        var plain = mlp()
        let before = plain.runs
        #expect(update(&plain, .key(.character("P"))).isEmpty)
        #expect(plain.statusMessage == "initializer 'deepnorm' applies to transformer only (got mlp)")
        #expect(plain.runs == before)
        // The help lists them.
        let help = KeyMap.table(glyphs: .ascii).map { "\($0.keys) \($0.summary)" }
        #expect(help.contains("G/F/P gpt2/t-fixup/deepnorm row"))
    }

    @Test func wWalksTheAttentionAndFFNSites() {
        var state = transformer()
        let layout = ScreenLayout(width: 80, height: 24, rowCount: 4, focusedRow: 0)
        #expect(view(state).lines[layout.histograms[0].y].hasPrefix("stream L12"))
        var titles: [String] = []
        for _ in 0..<14 {
            _ = update(&state, .key(.character("w")))
            titles.append(String(view(state).lines[layout.histograms[0].y].prefix(while: { $0 != " " })))
        }
        // Every site of the block in the engine's order, the stream's gradient left out (its panel shows it).
        #expect(titles == ["attn.norm.out", "attn.logits", "attn.weights", "attn.weights.entropy", "attn.weights.max",
                           "attn.out", "attn.stream", "ffn.norm.out", "ffn.pre", "ffn.act", "ffn.out",
                           "ffn.out.weightGradient", "ffn.in.weightGradient", "stream"])
        _ = update(&state, .key(.character("W")))
        #expect(state.statusMessage == "site ffn.in.weightGradient of block 12")
        // The statistics table follows the site: attn.out of block 12 has variance 0.2 Q_11 = 0.2 x 5.4.
        for _ in 0..<7 { _ = update(&state, .key(.character("W"))) }
        #expect(state.selectedSite == TransformerSite.attentionOut)
        #expect(view(state).lines[layout.stats.y].contains("xavier L12 attn.out"))
        #expect(abs((state.selectedReport?.stats(.activation)?.variance ?? 0) / (0.2 * 5.4) - 1) < 1e-9)
        // Left walks to block 11, keeping the site.
        _ = update(&state, .key(.left))
        #expect(view(state).lines[layout.histograms[0].y].hasPrefix("attn.out L11"))
    }

    /// T on the transformer: every row trains on bigram (V = 64); 120 of 200 steps in, the held-out loss at steps
    /// 1, 11, ..., 111: xavier and gpt2 fall from ln 64 toward the floor, t-fixup slowly, deepnorm diverges at 53;
    /// xavier's block 12 has been refreshed by a snapshot at step 110 (its stream now 2.0).
    func transformerTraining(width: Int = 80, height: Int = 24) -> AppState {
        var state = transformer(width: width, height: height)
        _ = update(&state, .key(.character("T")))
        let g = state.generation, start = log(64.0)
        // The floor as the engine posts it: the trainer's (the language's exact entropy for seed 1, T = 32, V = 64).
        let floor = (try? Trainer(scenario: state.scenario, configuration: state.training!.configuration))?.floor ?? 0
        _ = update(&state, .training(.floor(floor), generation: g))
        for t in 1...120 {
            let x = Double(t)
            func step(_ row: Int, _ loss: Double) {
                _ = update(&state, .training(.step(row: row, step: t, loss: loss, heldOutLoss: t % 10 == 1 ? 1.02 * loss : nil), generation: g))
            }
            step(0, floor + (start - floor) * exp(-x / 25))
            step(1, floor + (start - floor) * exp(-x / 40))
            step(2, floor + (start - floor) * (0.6 + 0.4 * exp(-x / 80)))
            if t < 53 { step(3, start * exp(x / 30)) }
        }
        _ = update(&state, .training(.diverged(row: 3, step: 53), generation: g))
        // A snapshot as the trainer sends it: every block, sites only (the stream first).
        let blocks = (1...12).map { l in
            var block = state.runs[0].report(layer: l)!
            block.quantities = [:]
            if l == 12 { block.sites[0] = site(TransformerSite.stream, 2.0) }
            return block
        }
        _ = update(&state, .training(.snapshot(row: 0, step: 110, layers: blocks), generation: g))
        return state
    }

    @Test func trainingPanelOnATransformerAt80x24() throws {
        let state = transformerTraining()
        UITestSupport.expectSnapshot(view(state), named: "transformer-training-80x24")
        let text = view(state).lines.joined(separator: "\n")
        // The floor is the bigram language's conditional entropy (seed 1, T = 32, V = 64), drawn and labelled.
        let floor = try #require(state.training?.floor)
        let training = try #require(state.training)
        #expect(floor == (try Trainer(scenario: state.scenario, configuration: training.configuration)).floor && floor > 1.5 && floor < 2.5)
        #expect(text.contains("floor " + NumberFormat.compact(floor)), "\(text)")
        #expect(text.contains("training 4 rows: adam lr 0.001, 200 steps") && !text.contains("stream L12 [-5, 5]"))
        // The snapshot refreshed xavier's row: block 12's stream variance is 2.0 now (5.80 at step 0).
        #expect(state.runs[0].series(.activation, \.variance)[11] == 2.0)
        #expect(text.contains("deepnorm diverged at 53"), "\(text)")
    }

    @Test func rowsShowTheStreamAndNoMeanFieldLine() {
        let state = transformer()
        let lines = view(state).lines
        let layout = ScreenLayout(width: 80, height: 24, rowCount: 4, focusedRow: 0)
        #expect(lines[0].hasPrefix("initscope transformer  pre-LN  relu  L=12  n=256  B=8"))
        // xavier: 1.4 at block 1 to 5.8 at block 12; its gradient 5.8 / 1.4 = 4.14 at block 1 down to 1.
        #expect(lines[layout.rows[0].y].contains("1.40    5.80") && lines[layout.rows[0].y].contains("4.14    1.00"))
        // Reference 2.10 gives no gain for the attention branch (it depends on the attention pattern and on how
        // correlated the tokens are): no line is drawn for a transformer, and the screen says so.
        #expect(lines[layout.prediction.y].contains("no prediction for xavier"))
        #expect(state.runs.allSatisfy { $0.layers.allSatisfy { $0?.streamTheory == nil } })
    }

    @Test func captionStatesAdditiveGrowthAndTheGradientFromTheRowsNumbers() {
        var state = transformer()
        // Pre-LN: the middle block lies on the straight line, so "additively", with the mean step (5.80 - 1.40) / 11.
        #expect(Caption.text(for: state, width: 200)
                == "ReLU transformer, pre-LN, with xavier: stream variance grows additively, +0.4 per block on average: "
                   + "1.40 at block 1, 5.80 at block 12; gradient variance x4.14 from block 12 down to block 1")
        #expect(Caption.text(for: state, width: 80) == "xavier: stream +0.4/block, 1.40 -> 5.80; gradient x4.14 to block 1")
        // t-fixup's x1.1 a block is geometric; deepnorm's post-LN stream holds while its gradient fades to the bottom.
        _ = update(&state, .key(.down)); _ = update(&state, .key(.down))
        #expect(Caption.text(for: state, width: 200).hasSuffix("with t-fixup: stream variance grows x1.1 each block: 1.10 at block 1, "
                                                              + "3.14 at block 12; gradient variance x2.85 from block 12 down to block 1"))
        _ = update(&state, .key(.down))
        #expect(Caption.text(for: state, width: 200).hasSuffix("with deepnorm: stream variance holds: 1.00 at block 1, 1.00 at block 12; "
                                                              + "gradient variance x0.569 from block 12 down to block 1"))
        // gpt2: both hold; the general phrasing says so.
        _ = update(&state, .key(.up)); _ = update(&state, .key(.up))
        #expect(Caption.text(for: state, width: 200).hasSuffix("with gpt2: stream variance holds: 1.00 at block 1, 1.00 at block 12"))
    }

    /// Over 1000 pre-LN blocks (as `report --arch transformer --depth 1000` measured: the stream's second moment from
    /// 1.32 to 1192, its gradient's 449x larger at block 1 than at block 1000) the caption gives the mean step and
    /// the gradient's growth, with the numbers the row prints.
    @Test func captionOfAThousandPreLNBlocks() {
        var run = RunData(depth: 1000)
        for l in 1...1000 {
            let q = 1.32 + 1.1919 * Double(l - 1), g = pow(1192.0 / q, 0.8974)
            var layer = LayerReport(index: l, quantities: [:], sites: [site(TransformerSite.stream, q), site(TransformerSite.streamGradient, g)])
            layer = layer.displayed
            run.apply(.backwardLayer(run: 0, layer: layer))
        }
        let messages = Caption.streamMessages(run: run) ?? []
        // (The row prints 1192 as 1.2e+03; the step is the measured values' mean, 1.32 + 1.19 x 999 = 1.2e+03.)
        #expect(messages.first == "stream variance grows additively, +1.19 per block on average: 1.32 at block 1, 1.2e+03 at block 1000; "
                                  + "gradient variance x449 from block 1000 down to block 1", "\(messages)")
        #expect(messages.contains("stream +1.19/block, 1.32 -> 1.2e+03; gradient x449 to block 1"))
    }

    /// The larger screen's extra panels show the FFN's pre-activations and first weight gradient (a transformer has
    /// no branch.pre: the resnet's names would wait forever).
    @Test func largerPanelsShowTheFFNSites() {
        let wide = transformer(width: 160, height: 48)
        #expect(wide.panelSite(.preactivation) == "ffn.pre" && wide.panelSite(.weightGradient) == "ffn.in.weightGradient")
        let text = view(wide).lines.joined(separator: "\n")
        #expect(text.contains("ffn.pre L12") && text.contains("ffn.in.weightGradient L12") && !text.contains("waiting"))
    }

    @Test func transformerScreensAt80x24And160x48() {
        UITestSupport.expectSnapshot(view(transformer()), named: "transformer-80x24")
        var wide = transformer(width: 160, height: 48)
        for _ in 0..<2 { _ = update(&wide, .key(.character("w"))) }
        UITestSupport.expectSnapshot(view(wide), named: "transformer-160x48")
    }
}
