// The lower panel (`J`): histograms -> Jacobian spectrum -> phase map, the work each asks for (once, off the UI
// thread as an effect), stale answers dropped, captions from the numbers, and snapshots of both panels.
import Foundation
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct LowerPanelTests {
    /// A spectrum with singular values log-spread over [low, high] decades (n values), moments as given.
    static func spectrum(layer: Int, low: Double, high: Double, count: Int = 512, unresolved: Int = 0,
                         log10Mean: Double = 0, spread: Double = 0.1) -> JacobianSpectrum {
        let values = (0..<count).map { high - (high - low) * Double($0) / Double(max(1, count - 1)) }
        let layers = (1...layer).map { JacobianLayerMoments(layer: $0, log10MeanSquaredSingularValue: log10Mean * Double($0) / Double(layer),
                                                            normalizedSpread: spread * Double($0) / Double(layer)) }
        return JacobianSpectrum(layers: layers, singularValueLayer: layer, log10SingularValues: values,
                                log10ResolutionFloor: high - 12, unresolvedCount: unresolved)
    }

    @Test func jCyclesTheLowerPanelAndAsksForItsWorkOnce() throws {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        #expect(state.lowerPanel == .histograms)
        let first = update(&state, .key(.character("J")))
        #expect(state.lowerPanel == .spectrum)
        let request = try #require(SpectrumRequest(state))
        #expect(first == [.computePanel(.spectrum(request))])
        #expect(request.layer == 50 && request.scenario.depth == 50 && request.scenario.initializers.map(\.name) == ["xavier"])
        // Asked once: other actions do not ask again while it computes.
        #expect(update(&state, .tick(elapsedMilliseconds: 10)).isEmpty)
        // Another layer: J_1..49 of the same row (the same weights: the scenario cut to 49 layers).
        let left = update(&state, .key(.left))
        let cut = try #require(SpectrumRequest(state))
        #expect(cut.layer == 49 && cut.scenario.widths == Array(request.scenario.widths.prefix(50)) && left == [.computePanel(.spectrum(cut))])
        // The answer for layer 50 arrives late: dropped; layer 49's is kept.
        _ = update(&state, .panel(.spectrum(request, Self.spectrum(layer: 50, low: -1, high: 0), failure: nil)))
        #expect(state.spectrum == nil)
        _ = update(&state, .panel(.spectrum(cut, Self.spectrum(layer: 49, low: -1, high: 0), failure: nil)))
        #expect(state.spectrum?.request == cut)
        #expect(view(state).lines.contains { $0.contains("Jacobian spectrum J_1..49 (xavier)") })
        // Phase map next, then back to the histograms.
        let toMap = update(&state, .key(.character("J")))
        #expect(state.lowerPanel == .phaseMap && toMap == [.computePanel(.phaseMap(PhaseMapRequest(state)))])
        #expect(update(&state, .key(.character("J"))).isEmpty && state.lowerPanel == .histograms)
        #expect(view(state).lines.contains { $0.contains("activations L49") })
    }

    @Test func aNewSeedKeepsThePhaseMapButAnotherActivationAsksAgain() {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        _ = update(&state, .key(.character("J"))); _ = update(&state, .key(.character("J")))
        let request = PhaseMapRequest(state)
        let diagram = PhaseDiagram(activation: .relu)
        let points = state.scenario.initializers.map { PhasePoint(scenario: state.scenario, initializer: $0.initializer) }
        _ = update(&state, .panel(.phaseMap(PhaseMapData(request: request, diagram: diagram, points: points))))
        #expect(state.missingPanelRequest == nil)
        #expect(PhaseMapRequest(state) == request)
        var seeded = state
        seeded.scenario.seed = 99
        #expect(seeded.missingPanelRequest == nil)
        let effects = update(&state, .key(.character("a")))
        #expect(state.scenario.activation != .relu)
        #expect(effects.contains(.computePanel(.phaseMap(PhaseMapRequest(state)))))
    }

    @Test func spectrumAndPhaseMapSayWhereTheyDoNotApply() {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        state.lowerPanel = .spectrum
        // Wider than the SVD's limit: the worker estimates the moments from probes, and the panel says so while it works.
        state.scenario.widths = Array(repeating: 2048, count: 51)
        #expect(SpectrumPanel.content(state) == .computing(name: "xavier", layer: 50, estimate: true))
        #expect(state.missingPanelRequest == SpectrumRequest(state).map { .spectrum($0) })
        #expect(view(state).lines.contains { $0.contains("estimating the moments of J_1..50 from random probes...") })
        state.scenario.widths = Array(repeating: 512, count: 51)
        state.scenario.architecture = .resnet(ResidualOptions())
        #expect(SpectrumPanel.content(state) == .mlpOnly && state.missingPanelRequest == nil)
        #expect(view(state).lines.contains { $0.contains("MLP only") })
        state.lowerPanel = .phaseMap
        #expect(state.missingPanelRequest == nil && view(state).lines.contains { $0.contains("MLP only") })
    }

    @Test func captionsSayWhatTheNumbersShow() throws {
        // Reference 3.5: tanh with Xavier (sigma_w^2 = 1, sigma_b = 0) is on the edge of chaos, q* = 0, xi diverges.
        let xavier = PhasePoint(activation: .tanh, weightVariance: 1, biasVariance: 0)
        #expect(PhaseMapPanel(diagram: nil, activation: .tanh, point: ("xavier", xavier)).caption
                == "tanh, xavier: sigma_w^2 = 1.00, chi_1 = 1.00: on the edge of chaos; xi diverges.")
        let normal = PhasePoint(activation: .tanh, weightVariance: 256, biasVariance: 0)
        let caption = PhaseMapPanel(diagram: nil, activation: .tanh, point: ("normal:1", normal)).caption
        #expect(caption.hasPrefix("tanh, normal:1: sigma_w^2 = 256, chi_1 = ") && caption.contains(": chaotic"), "\(caption)")
        // Spectrum captions: concentrated near 1, or spread over decades.
        let tight = SpectrumPanel.caption(name: "orthogonal", activation: .tanh,
                                          spectrum: Self.spectrum(layer: 200, low: -0.05, high: 0.05, log10Mean: 0, spread: 0.02))
        #expect(tight.hasPrefix("orthogonal + tanh: singular values stay near 1 to layer 200"), "\(tight)")
        let wide = SpectrumPanel.caption(name: "xavier", activation: .tanh,
                                         spectrum: Self.spectrum(layer: 200, low: -3, high: 1, log10Mean: 0, spread: 40))
        #expect(wide.hasPrefix("xavier + tanh: singular values spread over 4 decades at layer 200"), "\(wide)")
        // The histogram: every resolved value binned, unresolved ones counted as underflow.
        let histogram = try #require(SpectrumPanel.histogram(Self.spectrum(layer: 3, low: -2, high: 0, count: 100, unresolved: 7)))
        #expect(histogram.binCounts.reduce(0, +) == 100 && histogram.underflow == 7 && histogram.lower == -2 && histogram.upper == 0)
    }

    @Test func thePointOffTheMapIsAnArrowWithItsValue() {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        state.lowerPanel = .phaseMap
        state.scenario.initializers[0] = NamedInitializer(name: "normal:1", initializer: .normal(std: 1))
        let request = PhaseMapRequest(state)
        let points = state.scenario.initializers.map { PhasePoint(scenario: state.scenario, initializer: $0.initializer) }
        _ = update(&state, .panel(.phaseMap(PhaseMapData(request: request, diagram: PhaseDiagram(activation: .relu), points: points))))
        let lines = view(state).lines
        #expect(lines.contains { $0.contains("sigma_w^2 = 512 ▶") }, "\(lines.joined(separator: "\n"))")
        #expect(lines.contains { $0.contains("ReLU, normal:1: sigma_w^2 = 512, chi_1 = 256: chaotic") })
    }

    static func spectrumState(width: Int, height: Int) -> AppState {
        var state = UITestSupport.completedReluState(width: width, height: height)
        _ = update(&state, .key(.character("J")))
        let request = SpectrumRequest(state)!
        _ = update(&state, .panel(.spectrum(request, spectrum(layer: 50, low: -9.5, high: 1.2, unresolved: 3, log10Mean: -0.2, spread: 48),
                                           failure: nil)))
        return state
    }

    /// Width 2048: the probe estimate (m_1 = 10^-0.2 +- 1.2%, spread 48 +- 6.1 from 128 probes), no singular values.
    static func estimateState(width: Int, height: Int, spread: Double = 48, spreadError: Double = 6.1) -> AppState {
        var state = UITestSupport.completedReluState(width: width, height: height)
        state.scenario.widths = Array(repeating: 2048, count: state.scenario.widths.count)
        _ = update(&state, .key(.character("J")))
        let request = SpectrumRequest(state)!
        let layers = (1...50).map {
            JacobianLayerMoments(layer: $0, log10MeanSquaredSingularValue: -0.2 * Double($0) / 50, normalizedSpread: spread * Double($0) / 50,
                                 meanRelativeStandardError: 0.012, spreadStandardError: spreadError * Double($0) / 50)
        }
        let estimate = JacobianSpectrum(layers: layers, singularValueLayer: 50, log10SingularValues: [], log10ResolutionFloor: -.infinity,
                                        unresolvedCount: 0, method: .probes(128))
        _ = update(&state, .panel(.spectrum(request, estimate, failure: nil)))
        return state
    }

    @Test func theEstimateSaysItIsOneAndGivesItsErrors() {
        let lines = view(Self.estimateState(width: 80, height: 24)).lines
        let text = lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n")
        // Wrapped at the panel's width (55 columns at 80x24), whole words, nothing cut.
        #expect(text.contains("estimate from 128 probes: mean sigma^2 = 0.631 ± 1.2%,\nspread = 48 ± 6.1\n"), "\(text)")
        #expect(text.contains("No histogram: the singular values need the SVD of J,"), "\(text)")
        #expect(text.contains("xavier + ReLU: singular values spread at layer 50:\nspread 48 ± 6.1 (estimate)."), "\(text)")
        let wide = SpectrumEstimateText(name: "xavier", activation: .relu, spectrum: Self.estimateState(width: 80, height: 24).spectrum!.spectrum!,
                                        ascii: false)
        #expect(wide.caption[0] == "xavier + ReLU: the squared singular values spread at layer 50: spread 48 ± 6.1 (an isometry has 0; estimated from 128 probes).")
        // Concentrated near 1: spread 0.01 +- 0.002 (upper end 0.014 <= 0.1), m_1 = 0.63 within 4x of 1.
        let tight = SpectrumEstimateText(name: "orthogonal", activation: .tanh,
                                         spectrum: Self.estimateState(width: 80, height: 24, spread: 0.01, spreadError: 0.002).spectrum!.spectrum!,
                                         ascii: true)
        #expect(tight.caption[0] == "orthogonal + tanh: squared singular values stay concentrated near 1 to layer 50 (spread 0.01 +- 0.002, estimated from 128 probes).")
    }

    @Test func estimatePanelAt80x24() { UITestSupport.expectSnapshot(view(Self.estimateState(width: 80, height: 24)), named: "spectrum-estimate-80x24") }
    @Test func estimatePanelAt160x48() { UITestSupport.expectSnapshot(view(Self.estimateState(width: 160, height: 48)), named: "spectrum-estimate-160x48") }

    static func phaseMapState(width: Int, height: Int, focus: Int) -> AppState {
        var state = UITestSupport.completedReluState(width: width, height: height)
        state.focusedRow = focus
        _ = update(&state, .key(.character("J"))); _ = update(&state, .key(.character("J")))
        let request = PhaseMapRequest(state)
        let points = state.scenario.initializers.map { PhasePoint(scenario: state.scenario, initializer: $0.initializer) }
        _ = update(&state, .panel(.phaseMap(PhaseMapData(request: request, diagram: PhaseDiagram(activation: .relu), points: points))))
        return state
    }

    @Test func spectrumPanelAt80x24() { UITestSupport.expectSnapshot(view(Self.spectrumState(width: 80, height: 24)), named: "spectrum-80x24") }
    @Test func spectrumPanelAt160x48() { UITestSupport.expectSnapshot(view(Self.spectrumState(width: 160, height: 48)), named: "spectrum-160x48") }
    @Test func phaseMapPanelAt80x24() {
        UITestSupport.expectSnapshot(view(Self.phaseMapState(width: 80, height: 24, focus: 0)), named: "phase-map-80x24")
    }
    @Test func phaseMapPanelAt160x48() {
        UITestSupport.expectSnapshot(view(Self.phaseMapState(width: 160, height: 48, focus: 1)), named: "phase-map-160x48")
    }
}
