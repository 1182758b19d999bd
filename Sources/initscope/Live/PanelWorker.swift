// The lower panels' work (phase diagram, Jacobian spectrum) on a serial queue of its own, off the UI thread and
// apart from the engine worker, so that it never cancels or waits for a propagation run. A new request cancels the
// one in progress (a spectrum stops at its next layer; a stale result is never posted).
import Dispatch
import ScopeUI
import SignalFlow
import Synchronization

/// Computes `PanelRequest`s one at a time and posts each answer as `Action.panel` into the mailbox.
final class PanelWorker: Sendable {
    private let queue = DispatchQueue(label: "initscope.panels", qos: .utility)
    private let current = Mutex<CancellationToken?>(nil)
    /// The last diagram computed: a new width, bias or row set moves the points only, not the map.
    private let lastDiagram = Mutex<PhaseDiagram?>(nil)
    private let mailbox: EngineMailbox
    private let wake: @Sendable () -> Void

    /// A worker posting into `mailbox` and calling `wake` after each post.
    init(mailbox: EngineMailbox, wake: @escaping @Sendable () -> Void) { self.mailbox = mailbox; self.wake = wake }

    /// Cancels the request in progress and queues `request`.
    func start(_ request: PanelRequest) {
        let token = CancellationToken()
        current.withLock { $0?.cancel(); $0 = token }
        queue.async { [self] in
            guard !token.isCancelled, let result = compute(request, cancellation: token), !token.isCancelled else { return }
            mailbox.post(.panel(result))
            wake()
        }
    }

    /// Cancels the request in progress (the worker's queue drains on its own).
    func cancel() { current.withLock { $0?.cancel(); $0 = nil } }

    /// The answer to `request`, nil when cancelled. The diagram is reused when it is the last one's activation's.
    func compute(_ request: PanelRequest, cancellation: CancellationToken) -> PanelResult? {
        let reusable = lastDiagram.withLock { $0 }
        let result = Self.answer(request, reusing: reusable, cancellation: cancellation)
        if case .phaseMap(let data)? = result { lastDiagram.withLock { $0 = data.diagram } }
        return result
    }

    /// The answer to `request` on the calling thread (the worker's queue, or `initscope snapshot`), nil when
    /// cancelled; `reusing` is a diagram to keep when its activation is the request's. A spectrum the scenario
    /// refuses (memory) is a failure line. The spectrum is the SVD's up to `LowerPanel.spectrumWidthLimit`, else
    /// the probe estimate (`InputOutputJacobian.defaultMethod`).
    static func answer(_ request: PanelRequest, reusing diagram: PhaseDiagram? = nil,
                       cancellation: CancellationToken = CancellationToken()) -> PanelResult? {
        switch request {
        case .phaseMap(let mapRequest):
            let scenario = mapRequest.scenario
            let diagram = diagram.flatMap { $0.activation == scenario.activation ? $0 : nil } ?? PhaseDiagram(activation: scenario.activation)
            let points = scenario.initializers.map { PhasePoint(scenario: scenario, initializer: $0.initializer) }
            return .phaseMap(PhaseMapData(request: mapRequest, diagram: diagram, points: points))
        case .spectrum(let spectrumRequest):
            guard let named = spectrumRequest.scenario.initializers.first else { return nil }
            do {
                guard let spectrum = try InputOutputJacobian.spectrum(scenario: spectrumRequest.scenario, initializer: named,
                                                                      cancellation: cancellation) else { return nil }
                return .spectrum(spectrumRequest, spectrum, failure: nil)
            } catch {
                return .spectrum(spectrumRequest, nil, failure: "\(error)")
            }
        }
    }
}
