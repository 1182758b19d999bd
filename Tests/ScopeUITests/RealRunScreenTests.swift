// Screens from real small runs of the engine (SignalFlow.Experiment), checked by content rather than by a
// character snapshot (float bits may differ between BLAS kernels): the caption's per-layer factor, health
// colours, the mean-field row, and every panel filled.
import Foundation
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct RealRunScreenTests {
    /// Runs `scenario` through the real engine and feeds every event to a fresh state at `width` x `height`.
    func runState(_ scenario: Scenario, width: Int = 80, height: Int = 24, delay: Double = 0) throws -> AppState {
        var state = AppState(scenario: scenario, width: width, height: height, sweepMilliseconds: delay)
        let effects = update(&state, .start)
        guard case .startSimulation(let started, let plan, let generation, let rows)? = effects.first else {
            Issue.record("no start effect"); return state
        }
        #expect(rows == Array(started.initializers.indices))  // row 0 is focused: every row in order
        let experiment = try Experiment(scenario: started)
        experiment.plan = plan
        var events: [PropagationEvent] = []
        _ = experiment.run { events.append($0) }
        for event in events { _ = update(&state, .engine(event, generation: generation)) }
        _ = update(&state, .engineFinished(generation: generation))
        return state
    }

    /// ReLU with N(0, 1) at width 256 overflows float32 in the forward pass near layer 36; every gradient after
    /// that is NaN/inf (the engine makes phi' at a non-finite pre-activation non-finite), and the view shows it so:
    /// never as 0 or as vanishing (the issue saw "var(dh) 0" and blue rows where chi1 = 128).
    @Test func overflowShowsNonFiniteNeverVanishing() throws {
        let scenario = Scenario(activation: .relu, depth: 40, width: 256, batch: 16, seed: 7,
                                initializers: [InitializerCatalog.named("normal:1")!])
        let state = try runState(scenario)
        let run = state.runs[0]
        let firstBad = try #require(run.layers.firstIndex { ($0?.stats(.activation)?.nonFiniteCount ?? 0) > 0 }).advanced(by: 1)
        #expect((30...40).contains(firstBad), "first non-finite activation at layer \(firstBad)")
        let gradients = Health.series(run, .activationGradient, activation: .relu)
        #expect(gradients.allSatisfy { $0 == .nonFinite }, "\(gradients)")
        #expect(!Health.series(run, .activation, activation: .relu).contains(.vanishing))
        let canvas = view(state)
        let layout = ScreenLayout(width: 80, height: 24, rowCount: 1, focusedRow: 0)
        let row = canvas.lines[layout.rows[0].y]
        #expect(row.range(of: #"NaN/inf NaN/inf +\d+d $"#, options: .regularExpression) != nil, "\(row)")
        let gradientColumns = (0..<layout.sparklineWidth).map { canvas[layout.gradientGroupX + $0, layout.rows[0].y]! }
        #expect(gradientColumns.allSatisfy { $0.character == "×" && $0.style.foreground == state.theme.nonFinite })
        #expect(canvas.lines[layout.caption.y].contains("inf/NaN from layer \(firstBad) on, gradients inf/NaN"))
    }

    @Test func reluXavierHalvesHeHolds() throws {
        let scenario = Scenario(activation: .relu, depth: 20, width: 256, batch: 64, seed: 7,
                                initializers: AppState.comparisonSet())
        let state = try runState(scenario)
        let caption = Caption.text(for: state)
        // Measured factor per layer for ReLU + Xavier is 1/2 (sampling error ~ a few % over 20 layers); the caption
        // prints it with the digits that make first x factor^19 read as the last number of the row.
        let variances = state.runs[0].series(.activation) { $0.variance }.compactMap { $0 }
        let factor = pow(variances[19] / variances[0], 1.0 / 19)
        #expect(factor > 0.4 && factor < 0.6)
        let first = Caption.tableNumber(variances[0]), last = Caption.tableNumber(variances[19])
        let shown = Caption.perLayerFactor(total: variances[19] / variances[0], steps: 19, first: Double(first)!, last: last)
        #expect(Caption.tableNumber(Double(first)! * pow(Double(shown)!, 19)) == last)
        #expect(caption.contains("x\(shown) ") && caption.contains("\(first) at layer 1, \(last) at layer 20"), "\(caption)")
        let canvas = view(state)
        let layout = ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 0)
        let lastColumn = layout.activationGroupX + min(20, layout.sparklineWidth) - 1
        #expect(canvas[lastColumn, layout.rows[0].y]?.style.foreground == state.theme.vanishing)
        #expect(canvas[lastColumn, layout.rows[1].y]?.style.foreground == state.theme.healthy)
        #expect(canvas[lastColumn, layout.rows[2].y]?.style.foreground == state.theme.healthy)
        let text = canvas.lines.joined(separator: "\n")
        #expect(!text.contains("waiting"))
        #expect(text.contains("off "))  // mean-field distance shown
        // LSUV rows report their rescalings at the selected layer.
        var lsuv = state
        _ = update(&lsuv, .key(.character("l")))
        #expect(lsuv.selectedReport?.lsuv != nil)
    }

    @Test func tanhLargeNormalSaturates() throws {
        let scenario = Scenario(activation: .tanh, depth: 10, width: 128, batch: 32, seed: 3,
                                initializers: [InitializerCatalog.named("normal:1")!, InitializerCatalog.named("xavier")!])
        let state = try runState(scenario, width: 160, height: 48)
        let caption = Caption.text(for: state)
        #expect(caption.hasPrefix("tanh with normal:1: "), "\(caption)")
        #expect((state.runs[0].report(layer: 10)?.stats(.activation)?.saturatedFraction ?? 0) > 0.5)
        #expect(caption.contains("of units saturated at layer 10"))
        try? view(state).lines.joined(separator: "\n").write(toFile: "/tmp/ui-real-160.txt", atomically: true, encoding: .utf8)
    }

    @Test func animatedRealRunSweepsEveryRowTogether() throws {
        let scenario = Scenario(activation: .tanh, depth: 6, width: 32, batch: 16, seed: 1, initializers: AppState.comparisonSet())
        var state = try runState(scenario, delay: 1200)
        // 3 runs x (6 forward + 6 backward + runFinished) events queued; nothing revealed yet.
        #expect(state.queues.map(\.pending.count) == [13, 13, 13])
        #expect(state.runs.allSatisfy { $0.forwardCount == 0 })
        _ = update(&state, .tick(elapsedMilliseconds: 600))  // 12 steps of 100 ms: forward done
        #expect(state.runs.allSatisfy { $0.forwardCount == 6 && $0.backwardCount == 0 })
        _ = update(&state, .tick(elapsedMilliseconds: 600))
        #expect(!hasPendingEvents(state) && state.runs.allSatisfy { $0.finished != nil && $0.backwardCount == 6 })
    }
}

/// Exactly 0 everywhere, the pre-activations too, is named for its cause, not "dead units" (a ReLU unit is dead when
/// its pre-activation is negative): zero weights, or a signal that shrank below float32's smallest number.
@Suite struct ExactZeroCaptionTests {
    func caption(_ activation: Activation, depth: Int, _ initializer: String) throws -> (String, AppState) {
        let scenario = Scenario(activation: activation, depth: depth, width: 64, batch: 16, seed: 7,
                                initializers: [InitializerCatalog.named(initializer)!])
        let state = try RealRunScreenTests().runState(scenario, width: 200, height: 24)
        return (Caption.text(for: state, width: 200), state)
    }

    @Test func zeroWeightsSayZeroWeightsNotDeadUnits() throws {
        for activation in [Activation.tanh, .relu] {
            let (text, _) = try caption(activation, depth: 10, "zeros")
            #expect(text.hasSuffix("zeros: all weights 0: every unit is exactly 0 from layer 1"), "\(text)")
        }
    }

    @Test func anUnderflowedSignalSaysUnderflowFromItsFirstExactZeroLayer() throws {
        // ReLU, N(0, 0.01^2), n = 64: the variance shrinks x(64 * 1e-4 / 2) = x0.0032 a layer, so the values' scale
        // x0.057 (from 0.08 at layer 1): below float32's smallest subnormal (1.4e-45) after about 35 layers, where h
        // is exactly 0 in every unit.
        let (text, state) = try caption(.relu, depth: 50, "normal:0.01")
        let preactivations = state.runs[0].perLayer.stats(.preactivation)
        let first = try #require(preactivations.firstIndex { ($0?.zeroFraction ?? 0) >= 1 }) + 1
        #expect((30...45).contains(first), "first all-zero layer \(first)")
        #expect((preactivations[first - 2]?.zeroFraction ?? 1) < 1)   // the layer before still holds numbers
        #expect(text.hasSuffix("normal:0.01: the signal underflows float32: exactly 0 from layer \(first) on"), "\(text)")
        #expect(!text.contains("dead"))
    }

    @Test func aHealthyReluRunSaysNothingOfZeros() throws {
        // Pre-activations that are not all 0 keep the captions they had: the dead-units one where over 70% of the
        // activations are 0 (CaptionAndStyleTests, the 97% case), here a real He run's variance caption.
        let (text, _) = try caption(.relu, depth: 10, "he")
        #expect(!text.contains("exactly 0") && !text.contains("underflow"), "\(text)")
    }
}
