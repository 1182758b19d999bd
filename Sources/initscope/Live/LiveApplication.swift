// The contract between the run loop and the application it drives: ScopeUI's `Action`s go in, `Effect`s come
// out, a canvas is drawn from the state. Nothing here does I/O.
import ScopeUI
import Terminal

/// An Elm-style application as the run loop sees it.
protocol LiveApplication {
    /// Applies one action; returns the effects to perform, in order.
    mutating func handle(_ action: Action) -> [Effect]
    /// The whole screen for a `width` x `height` terminal (pure).
    func render(width: Int, height: Int) -> Canvas
    /// Milliseconds until the application wants the next `.tick`, nil when idle.
    var tickIntervalMilliseconds: Int? { get }
    /// What the last actions dropped (old runs and caches), for the run loop to free off the UI thread; nil when
    /// nothing.
    mutating func takeRetired() -> RetiredRuns?
}

extension LiveApplication {
    /// Nothing to free elsewhere.
    mutating func takeRetired() -> RetiredRuns? { nil }
}
