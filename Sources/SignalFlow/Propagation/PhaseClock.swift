// Optional per-phase timing of a run (for `initscope bench`): one monotonic clock read per phase per layer, so
// the benchmark times the engine's own code, not a restatement of it. Off (nil) in every other client.
#if canImport(Glibc)
import Glibc
#endif

/// Seconds a run spent in each phase, summed over layers (and over initializers when there are several).
public struct PhaseTimes: Equatable, Sendable {
    /// Drawing W, b, the input batch and the upstream gradient (`init` in the benchmark).
    public var initialization = 0.0
    /// Inside GEMM calls (forward h = x W, backward dW and dL/dx).
    public var gemm = 0.0
    /// phi in the forward pass and phi' in the backward pass.
    public var elementwise = 0.0
    /// Statistics and histograms of every measured quantity.
    public var statistics = 0.0
    /// LSUV calibration (its GEMMs and scans included).
    public var calibration = 0.0

    /// Creates zero times.
    public init() {}

    /// Sum of the phases (seconds).
    public var sum: Double { initialization + gemm + elementwise + statistics + calibration }
}

/// Accumulates `PhaseTimes` for the run it is attached to (confined to the run's thread).
public final class PhaseClock {
    /// The times so far.
    public var times = PhaseTimes()

    /// A clock at zero.
    public init() {}

    /// Monotonic seconds.
    @inline(__always)
    public static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}

extension Optional where Wrapped == PhaseClock {
    /// Runs `body`, adding its duration to the phase at `path` when there is a clock.
    @inline(__always)
    func measure<T>(_ path: WritableKeyPath<PhaseTimes, Double>, _ body: () -> T) -> T {
        guard let clock = self else { return body() }
        let start = PhaseClock.now()
        let result = body()
        clock.times[keyPath: path] += PhaseClock.now() - start
        return result
    }
}
