// Why a scenario cannot run: one line naming the problem and, where it helps, the accepted values.

/// A scenario the engine refuses (bad sizes, no initializers, too much memory).
public struct ScenarioError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The one-line message.
    public var description: String

    /// Creates an error with a one-line message.
    public init(_ description: String) { self.description = description }
}

extension Scenario {
    /// Largest accepted depth, width and batch (each), to reject absurd input before any arithmetic.
    public static let maximumDimension = 1 << 20

    /// Checks sizes, bias and memory; throws a `ScenarioError` with a one-line message.
    public func validate() throws {
        guard depth >= 1 else { throw ScenarioError("depth must be at least 1 (got \(depth))") }
        for (index, width) in widths.enumerated() where width < 1 || width > Scenario.maximumDimension {
            throw ScenarioError("width \(width) of layer \(index) is out of range: accepted 1...\(Scenario.maximumDimension)")
        }
        guard depth <= Scenario.maximumDimension else {
            throw ScenarioError("depth \(depth) is out of range: accepted 1...\(Scenario.maximumDimension)")
        }
        guard batch >= 1, batch <= Scenario.maximumDimension else {
            throw ScenarioError("batch \(batch) is out of range: accepted 1...\(Scenario.maximumDimension)")
        }
        guard biasStandardDeviation.isFinite, biasStandardDeviation >= 0, biasStandardDeviation <= 1e30 else {
            throw ScenarioError("bias standard deviation \(biasStandardDeviation) is out of range: accepted 0...1e30")
        }
        guard !initializers.isEmpty else { throw ScenarioError("no initializer given: accepted \(Initializer.acceptedNames)") }
        let needed = estimatedBytes, limit = Scenario.memoryLimitBytes
        guard needed <= limit else {
            throw ScenarioError("depth x width x batch needs about \(Self.gibibytes(needed)) GiB, more than the limit of "
                                + "\(Self.gibibytes(limit)) GiB (min(8 GiB, 60% of RAM)); reduce depth, width or batch")
        }
    }

    /// Bytes as GiB with one decimal.
    static func gibibytes(_ bytes: Double) -> String {
        let tenths = (bytes / 1_073_741_824 * 10).rounded()
        return tenths < 1e15 ? String(Double(Int(tenths)) / 10) : "> 1e14"
    }
}
