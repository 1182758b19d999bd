// Why a scenario cannot run: one line naming the problem and, where it helps, the accepted values.
import Foundation

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

    /// Checks depth, width and batch against 1...maximumDimension before anything is sized from them (no
    /// allocation, no arithmetic that can overflow); throws a one-line `ScenarioError`.
    public static func checkSizes(depth: Int, width: Int, batch: Int) throws {
        try checkDepth(depth)
        try checkWidth(width, layer: 0)
        try checkBatch(batch)
    }

    static func checkDepth(_ depth: Int) throws {
        guard depth >= 1 else { throw ScenarioError("depth must be at least 1 (got \(depth))") }
        guard depth <= maximumDimension else {
            throw ScenarioError("depth \(depth) is out of range: accepted 1...\(maximumDimension)")
        }
    }

    static func checkWidth(_ width: Int, layer: Int) throws {
        guard width >= 1, width <= maximumDimension else {
            throw ScenarioError("width \(width) of layer \(layer) is out of range: accepted 1...\(maximumDimension)")
        }
    }

    static func checkBatch(_ batch: Int) throws {
        guard batch >= 1, batch <= maximumDimension else {
            throw ScenarioError("batch \(batch) is out of range: accepted 1...\(maximumDimension)")
        }
    }

    /// Checks sizes, bias and memory (the estimate of a run with `footprint` against `memoryLimitBytes`);
    /// throws a `ScenarioError` with a one-line message.
    public func validate(_ footprint: RunFootprint = RunFootprint()) throws {
        try Self.checkDepth(depth)
        for (index, width) in widths.enumerated() { try Self.checkWidth(width, layer: index) }
        try Self.checkBatch(batch)
        guard biasStandardDeviation.isFinite, biasStandardDeviation >= 0, biasStandardDeviation <= 1e30 else {
            throw ScenarioError("bias standard deviation \(biasStandardDeviation) is out of range: accepted 0...1e30")
        }
        guard !initializers.isEmpty else { throw ScenarioError("no initializer given: accepted \(Initializer.acceptedNames)") }
        try checkArchitecture()
        try Self.checkMemory(memoryEstimate(footprint), limit: Scenario.memoryLimitBytes, advice: memoryAdvice)
    }

    /// What a refusal for memory tells the user to reduce, naming the sizes that make this network big: the MLP's
    /// and a resnet's "depth, width, batch or the initializers"; a transformer's also tokens and heads, tokens
    /// first when the attention weights (P and dP, B H T^2 each, T^2 in the tokens) take half of the buffers.
    var memoryAdvice: String {
        guard architecture.transformer != nil else { return "reduce depth, width, batch or the initializers" }
        let shape = TransformerWorkspace.Shape(self)
        let attention = SaturatingSize.product(shape.activationSets + 1, shape.geometry.attentionRows, shape.geometry.tokens)
        guard attention >= shape.floatCount / 2 else { return "reduce depth, width, batch, tokens, heads or the initializers" }
        let bytes = Self.gibibytes(SaturatingSize.product(attention, MemoryLayout<Float>.stride), decimals: 1)
        return "reduce tokens (the attention weights, B H T^2 per block, take \(bytes)), heads, batch, depth, width or the initializers"
    }

    /// Checks that every initializer applies to the architecture and that a residual network's stream has one
    /// width: throws a one-line `ScenarioError` naming the scheme and the architectures it applies to.
    func checkArchitecture() throws {
        for named in initializers where !named.initializer.applies(to: architecture) {
            let accepted = named.initializer.applicableArchitectures ?? []
            throw ScenarioError("initializer '\(PrintableText.quoted(named.name, limit: 100))' applies to --arch "
                                + "\(accepted.joined(separator: ", ")) only (got --arch \(architecture.name))")
        }
        if architecture != .mlp, Set(widths).count > 1 {
            throw ScenarioError("a \(architecture.name) keeps one width for its stream (got widths \(widths.prefix(8)))")
        }
        if let options = architecture.transformer { try Self.checkTransformer(options, width: width, biasStandardDeviation: biasStandardDeviation) }
    }

    /// Checks a transformer's tokens and heads (heads must divide the width) and that it has no biases: throws a
    /// one-line `ScenarioError` naming the value and what is accepted.
    static func checkTransformer(_ options: TransformerOptions, width: Int, biasStandardDeviation: Double) throws {
        guard (1...TransformerOptions.maximumTokens).contains(options.tokens) else {
            throw ScenarioError("tokens \(options.tokens) is out of range: accepted 1...\(TransformerOptions.maximumTokens)")
        }
        guard (1...TransformerOptions.maximumHeads).contains(options.heads) else {
            throw ScenarioError("heads \(options.heads) is out of range: accepted 1...\(TransformerOptions.maximumHeads)")
        }
        guard width % options.heads == 0 else {
            throw ScenarioError("heads \(options.heads) does not divide the width \(width): accepted a divisor of \(width)")
        }
        guard biasStandardDeviation == 0 else {
            throw ScenarioError("a transformer has no biases: --bias-std applies to --arch mlp, resnet only")
        }
    }

    /// Throws when the estimate exceeds `limit` bytes, naming both with enough digits to tell them apart, the
    /// parts that are not negligible, and `advice` (what to reduce).
    static func checkMemory(_ estimate: MemoryEstimate, limit: Int, advice: String = "reduce depth, width, batch or the initializers") throws {
        let needed = estimate.totalBytes
        guard needed > limit else { return }
        let decimals = Self.decimalsToTellApart(needed, limit)
        let parts = [("buffers", estimate.bufferBytes), ("weight drawing", estimate.weightDrawingBytes),
                     ("reports", estimate.reportBytes), ("output", estimate.outputBytes)]
            .filter { $0.1 >= needed / 100 }
            .map { "\($0.0) \(Self.gibibytes($0.1, decimals: 1))" }
        throw ScenarioError("this run needs \(Self.gibibytes(needed, decimals: decimals, approximate: true)) "
                            + "(\(parts.joined(separator: ", "))), more than the limit of "
                            + "\(Self.gibibytes(limit, decimals: decimals)) (min(8 GiB, 60% of RAM)); " + advice)
    }

    /// Bytes as "12.3 GiB" (with `decimals` decimals, "about " first when `approximate`), or "more than
    /// 8589934591 GiB" for a saturated size (Int.max bytes).
    static func gibibytes(_ bytes: Int, decimals: Int, approximate: Bool = false) -> String {
        guard bytes < Int.max else { return "more than 8589934591 GiB" }
        return (approximate ? "about " : "") + String(format: "%.\(decimals)f", Double(bytes) / 1_073_741_824) + " GiB"
    }

    /// Decimals (1 to 9) at which two byte counts print differently in GiB.
    static func decimalsToTellApart(_ a: Int, _ b: Int) -> Int {
        var decimals = 1
        while decimals < 9, gibibytes(a, decimals: decimals) == gibibytes(b, decimals: decimals) { decimals += 1 }
        return decimals
    }
}
