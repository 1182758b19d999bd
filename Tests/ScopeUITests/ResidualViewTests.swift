// The live view of residual networks (issue 11): `m` cycles the architecture with the rows that matter for it,
// `z` the normalization, `w`/`W` walk the sites of the selected block; rows show the stream block by block; a key
// the engine would refuse leaves the picture as it was and says why.
import Foundation
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct ResidualViewTests {
    /// A started MLP state (ReLU, L = 50) with every event revealed.
    func mlp() -> AppState { UITestSupport.completedReluState(width: 80, height: 24) }

    /// The site report of a zero-mean Gaussian of variance `variance`.
    func site(_ name: String, _ variance: Double) -> SiteReport {
        // (A branch that outputs exactly 0, fixup's, is drawn at 1e-12: the synthetic histogram needs a spread.)
        SiteReport(name: name, quantity: UITestSupport.quantity(variance: max(variance, 1e-12), count: 256 * 512))
    }

    /// A ReLU resnet of `depth` blocks without normalization, as `m` leaves it, with every row's events revealed:
    /// he's stream grows x3 per block (1 + G, G = 2 for He in both branch layers), fixup, rezero and skipinit keep
    /// it at 1 (identity at initialization), he+bn grows additively (1 + l); gradients mirror it backward.
    func resnet(width: Int = 80, height: Int = 24, depth: Int = 20) -> AppState {
        var state = AppState(scenario: Scenario(activation: .relu, depth: depth, width: 512, batch: 256, seed: 1,
                                                initializers: AppState.comparisonSet()),
                             width: width, height: height, sweepMilliseconds: 0)
        _ = update(&state, .start)
        _ = update(&state, .key(.character("m")))
        for (row, named) in state.scenario.initializers.enumerated() {
            let stream: (Int) -> Double = { l in
                switch named.name {
                case "he": return pow(3, Double(l))
                case "he+bn": return 1 + Double(l)
                default: return 1
                }
            }
            var layers: [LayerReport] = []
            for l in 1...depth {
                var layer = LayerReport(index: l, quantities: [:], sites: [
                    site(ResidualSite.stream, stream(l)), site(ResidualSite.branchPre, 2 * stream(l - 1)),
                    site(ResidualSite.branchAct, stream(l - 1)), site(ResidualSite.branchOut, stream(l) - stream(l - 1)),
                ], streamTheory: stream(l))
                _ = update(&state, .engine(.forwardLayer(run: row, layer: layer), generation: state.generation))
                // As the engine merges them: the stream and its gradient first, then the forward and backward sites.
                layer.sites.insert(site(ResidualSite.streamGradient, stream(depth) / stream(l)), at: 1)
                layer.sites.append(site(ResidualSite.branchPreGradient, stream(depth) / stream(l)))
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

    @Test func mCyclesTheArchitecturesWithTheirRows() {
        var state = mlp()
        let effects = update(&state, .key(.character("m")))
        #expect(state.scenario.architecture == .resnet(ResidualOptions()))
        #expect(state.scenario.initializers.map(\.name) == ["he", "fixup", "rezero", "skipinit", "he+bn"])
        #expect(effects == [.startSimulation(state.scenario, plan: state.measurementPlan, generation: state.generation,
                                             rows: [0, 1, 2, 3, 4])])
        #expect(state.statusMessage == "resnet: he, fixup, rezero, skipinit, he+bn")
        // The list comes from the engine's catalog: once round it is the MLP again, with its rows.
        for _ in 1..<Architecture.catalog.count { _ = update(&state, .key(.character("m"))) }
        #expect(state.scenario.architecture == .mlp && state.scenario.initializers.map(\.name) == ["xavier", "he", "lsuv"])
        // "he+bn" is He on a network with BatchNorm in every block, whatever the scenario's normalization.
        let row = InitializerCatalog.named("he+bn")!
        #expect(row.initializer == InitializerCatalog.named("he")!.initializer)
        #expect(ArchitectureRows.architecture(of: row, in: .resnet(ResidualOptions()))
                == .resnet(ResidualOptions(normalization: .batch, position: .pre)))
        #expect(ArchitectureRows.architecture(of: row, in: .mlp) == .mlp)
    }

    @Test func zCyclesTheNormalizationWhereItApplies() {
        var state = mlp()
        #expect(update(&state, .key(.character("z"))).isEmpty)
        #expect(state.statusMessage == "no normalization to choose in a mlp (m: next architecture)")
        _ = update(&state, .key(.character("m")))
        var names: [String] = []
        for _ in 0..<4 {
            let effects = update(&state, .key(.character("z")))
            #expect(effects.count == 1)
            names.append(state.scenario.architecture.normalizationName)
        }
        #expect(names == ["pre-LN", "post-LN", "BatchNorm", "none"])
        #expect(HeaderBar(state: state).fields.prefix(2) == ["resnet", "no-norm"])
    }

    @Test func aKeyTheEngineWouldRefuseKeepsThePicture() {
        var state = mlp()
        let before = state.runs
        // fixup is made for residual networks: refused in an MLP, one line naming where it applies.
        #expect(update(&state, .key(.character("f"))).isEmpty)
        #expect(state.statusMessage == "initializer 'fixup' applies to resnet only (got mlp)")
        #expect(state.runs == before && state.scenario.initializers.count == 3)
        #expect(view(state).lines[23].hasPrefix("initializer 'fixup' applies to resnet only (got mlp) | ?:help"))
        // Too wide to fit in memory: the same.
        var wide = mlp()
        for _ in 0..<6 { _ = update(&wide, .key(.character("]"))) }
        #expect(wide.scenario.width < 16_384 && wide.runs.allSatisfy { $0.finished != nil || $0.forwardCount == 0 })
        #expect(wide.statusMessage.contains("limit") || wide.statusMessage.contains("range"), "\(wide.statusMessage)")
    }

    @Test func rowsShowTheStreamBlockByBlock() {
        let state = resnet()
        let lines = view(state).lines
        let layout = ScreenLayout(width: 80, height: 24, rowCount: 5, focusedRow: 0)
        // he: 3 -> 3^20 = 3.5e+09, x3 per block; its gradient 3^19 at block 1 down to 1 at block 20.
        #expect(lines[layout.rows[0].y].contains("3.00 3.5e+09") && lines[layout.rows[0].y].contains("1.2e+09    1.00"))
        #expect(lines[0].hasPrefix("initscope resnet  no-norm  relu  L=20"))
        #expect(Caption.text(for: state, width: 200)
                == "ReLU resnet, no norm, with he: stream variance grows x3 each block: 3.00 at block 1, 3.5e+09 at block 20; "
                   + "gradient variance x1.2e+09 from block 20 down to block 1")
        // The mean-field line is the stream's second moment: the prediction here is exact.
        #expect(lines[layout.prediction.y].contains("off 0 dec") || lines[layout.prediction.y].contains("off 0.0"))
        // Fixup keeps the identity: its stream holds.
        var fixup = state
        _ = update(&fixup, .key(.down))
        #expect(Caption.text(for: fixup).hasSuffix("fixup: stream variance holds: 1.00 at block 1, 1.00 at block 20"))
    }

    @Test func wWalksTheSitesOfTheSelectedBlock() {
        var state = resnet()
        let layout = ScreenLayout(width: 80, height: 24, rowCount: 5, focusedRow: 0)
        #expect(view(state).lines[layout.histograms[0].y].hasPrefix("stream L20"))
        var titles: [String] = []
        for _ in 0..<5 {
            _ = update(&state, .key(.character("w")))
            titles.append(String(view(state).lines[layout.histograms[0].y].prefix(while: { $0 != " " })))
        }
        // The stream's gradient has its own panel: the walk leaves it out.
        #expect(titles == ["branch.pre", "branch.act", "branch.out", "branch.pre.gradient", "stream"])
        _ = update(&state, .key(.character("W")))
        #expect(state.selectedSite == ResidualSite.branchPreGradient)
        #expect(state.statusMessage == "site branch.pre.gradient of block 20")
        // The statistics table is the site's: branch.pre of block 20 has variance 2 x 3^19.
        for _ in 0..<3 { _ = update(&state, .key(.character("W"))) }
        #expect(state.selectedSite == ResidualSite.branchPre)
        let stats = view(state).lines[layout.stats.y]
        #expect(stats.contains("he L20 branch.pre"))
        #expect(abs((state.selectedReport?.stats(.activation)?.variance ?? 0) / (2 * pow(3, 19)) - 1) < 1e-9)
        // No sites in an MLP.
        var plain = mlp()
        #expect(update(&plain, .key(.character("w"))).isEmpty && plain.statusMessage.hasPrefix("sites are inside residual blocks"))
    }

    @Test func residualScreensAt80x24And160x48() {
        UITestSupport.expectSnapshot(view(resnet()), named: "resnet-80x24")
        var wide = resnet(width: 160, height: 48)
        _ = update(&wide, .key(.character("w")))
        UITestSupport.expectSnapshot(view(wide), named: "resnet-160x48")
    }
}
