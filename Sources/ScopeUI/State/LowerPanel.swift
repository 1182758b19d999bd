// Which panel takes the histograms' place (`J` cycles), what it needs computed off the UI thread, and the results.
// Legend: l = selected layer (1...L); the spectrum is of J_l, the input-output Jacobian of layers 1...l.
import SignalFlow

/// The panel in the histograms' place: the histograms, the Jacobian's spectrum or the order-chaos map.
public enum LowerPanel: String, Equatable, Sendable, CaseIterable {
    case histograms
    /// Singular values of the focused row's input-output Jacobian of layers 1...l (reference 3.9).
    case spectrum
    /// The mean-field phase diagram of the activation with the focused row's point (reference 3.3).
    case phaseMap = "phase-map"

    /// The next panel in `J`'s cycle.
    public var next: LowerPanel {
        let all = LowerPanel.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// The widest layer the spectrum panel forms J for and shows singular values of (J is width x width in Double;
    /// as `report --jacobian`); wider, it shows the probe estimate of the moments.
    public static let spectrumWidthLimit = InputOutputJacobian.singularValueWidthLimit
}

/// The focused row's Jacobian at layer l: a scenario of that one initializer cut to its first l layers (the same
/// weights: every layer draws from its own stream).
public struct SpectrumRequest: Equatable, Hashable, Sendable {
    /// The scenario cut to layers 1...l, its only initializer the focused one.
    public var scenario: Scenario
    /// The row's name as shown.
    public var name: String { scenario.initializers.first?.name ?? "-" }
    /// l.
    public var layer: Int { scenario.depth }

    /// The request for `state`'s focused row and selected layer; nil when there is no row or the network is not a
    /// plain MLP (the panel says so instead). Wider than the limit the worker estimates the moments from probes.
    public init?(_ state: AppState) {
        guard state.scenario.architecture == .mlp, let focused = state.focusedInitializer, state.scenario.depth >= 1 else { return nil }
        var cut = state.scenario
        let layer = min(max(1, state.selectedLayer), state.scenario.depth)
        cut.widths = Array(state.scenario.widths.prefix(layer + 1))
        cut.initializers = [focused]
        scenario = cut
    }
}

/// The phase map of the scenario's activation with every row's point: the scenario without what the points do
/// not depend on (batch, seed), so a new seed does not ask again.
public struct PhaseMapRequest: Equatable, Hashable, Sendable {
    /// The scenario with batch 1 and seed 0.
    public var scenario: Scenario

    /// The request for `state` (any architecture: the points are the MLP's mean field of the rows' sigma_w^2).
    public init(_ state: AppState) {
        var base = state.scenario
        base.batch = 1; base.seed = 0
        scenario = base
    }
}

/// A finished phase map: the diagram of the default axes (as `report --phase-diagram`) and each row's point.
public struct PhaseMapData: Equatable, Sendable {
    /// The request it answers.
    public var request: PhaseMapRequest
    /// The diagram of `request`'s activation.
    public var diagram: PhaseDiagram
    /// Each row's point, in row order (nil where it cannot be placed, e.g. depth 0).
    public var points: [PhasePoint?]

    /// Creates the data.
    public init(request: PhaseMapRequest, diagram: PhaseDiagram, points: [PhasePoint?]) {
        self.request = request; self.diagram = diagram; self.points = points
    }
}

/// Work for the panel worker: the phase map of a scenario, or one Jacobian spectrum.
public enum PanelRequest: Equatable, Hashable, Sendable {
    case phaseMap(PhaseMapRequest)
    case spectrum(SpectrumRequest)
}

/// What the panel worker sends back.
public enum PanelResult: Equatable, Sendable {
    /// The phase map asked for.
    case phaseMap(PhaseMapData)
    /// The spectrum asked for, or the one-line reason it could not be formed.
    case spectrum(SpectrumRequest, JacobianSpectrum?, failure: String?)
}

extension AppState {
    /// What the shown panel needs that is not in the state yet (nil: nothing, or the histograms are shown).
    public var missingPanelRequest: PanelRequest? {
        switch lowerPanel {
        case .histograms: return nil
        case .phaseMap:
            guard scenario.architecture == .mlp else { return nil }
            let request = PhaseMapRequest(self)
            return phaseMap?.request == request ? nil : .phaseMap(request)
        case .spectrum:
            guard let request = SpectrumRequest(self) else { return nil }
            return spectrum?.request == request ? nil : .spectrum(request)
        }
    }
}

/// A finished spectrum and what it was asked for.
public struct SpectrumPanelData: Equatable, Sendable {
    /// The request it answers.
    public var request: SpectrumRequest
    /// The spectrum; nil when it failed (`failure` says why).
    public var spectrum: JacobianSpectrum?
    /// The one-line reason, when it failed.
    public var failure: String?
}

/// Asks for what the shown panel needs when it is not there and not already asked for: appended to every update.
func panelEffects(_ state: inout AppState) -> [Effect] {
    guard let request = state.missingPanelRequest, state.requestedPanel != request else { return [] }
    state.requestedPanel = request
    return [.computePanel(request)]
}

/// Stores a result of the panel worker when it is still what the panel shows (a stale spectrum is dropped).
func applyPanelResult(_ state: inout AppState, _ result: PanelResult) {
    switch result {
    case .phaseMap(let data):
        if state.requestedPanel == .phaseMap(data.request) { state.requestedPanel = nil }
        state.phaseMap = data
    case .spectrum(let request, let spectrum, let failure):
        if state.requestedPanel == .spectrum(request) { state.requestedPanel = nil }
        guard SpectrumRequest(state) == request else { return }
        state.spectrum = SpectrumPanelData(request: request, spectrum: spectrum, failure: failure)
    }
}
