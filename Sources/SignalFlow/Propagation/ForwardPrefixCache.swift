// Finished forward passes of a plain MLP kept between runs, so a run of the same network one key deeper or
// shallower (the live view's `+` and `-`) recomputes only the layers it does not share. An initializer's layer l
// depends only on the seed, the layer, the sizes, phi, the bias, the batch and the layers below it, never on the
// depth (for the MLP's initializers), so layers 1...k of two such runs are the same, bit for bit.
// Legend: B = batch, n_l = widths[l], k = layers kept; W^l is n_{l-1} x n_l, x^l and h^l are B x n_l.
import Foundation

/// What the first layers of an MLP's forward pass depend on besides the initializer: two runs with equal parts
/// and initializers have the same weights, activations and forward reports in every layer both have.
struct ForwardPrefixScenario: Hashable {
    /// n_0 and the hidden width (the cache keeps uniform MLPs only).
    var inputWidth: Int, width: Int
    /// B.
    var batch: Int
    /// phi.
    var activation: Activation
    /// Bias standard deviation (0 = none).
    var biasStandardDeviation: Double
    /// Seed of every stream.
    var seed: UInt64
    /// Forward quantities with histograms, and their bins.
    var forwardHistograms: Set<Quantity>, binCount: Int
    /// LSUV's measurement option.
    var lsuvMeasuresAfterActivation: Bool

    /// The part of `scenario` a forward prefix depends on; nil when the cache cannot keep its layers (not a
    /// uniform MLP).
    init?(_ scenario: Scenario, plan: MeasurementPlan, binCount: Int, lsuvMeasuresAfterActivation: Bool) {
        guard scenario.architecture == .mlp, scenario.depth >= 1,
              scenario.widths.dropFirst().allSatisfy({ $0 == scenario.widths[1] }) else { return nil }
        inputWidth = scenario.widths[0]; width = scenario.widths[1]; batch = scenario.batch
        activation = scenario.activation; biasStandardDeviation = scenario.biasStandardDeviation; seed = scenario.seed
        forwardHistograms = plan.histogramQuantities.intersection([.preactivation, .activation, .weight])
        self.binCount = binCount; self.lsuvMeasuresAfterActivation = lsuvMeasuresAfterActivation
    }
}

/// One initializer's kept forward pass: layers 1...k.
final class ForwardRecord {
    /// W^1 ... W^k after any calibration.
    var weights: [Matrix] = []
    /// x^1 ... x^k.
    var activations: [Matrix] = []
    /// h^1 ... h^k when phi' needs h (GELU); else empty.
    var preactivations: [Matrix] = []
    /// Whether h^l held a non-finite value, l = 1...k.
    var preactivationWasNonFinite: [Bool] = []
    /// The forward reports of layers 1...k (without their mean-field prediction, which depends on the run).
    var reports: [LayerReport] = []

    /// Layers kept (k).
    var depth: Int { reports.count }
}

/// Forward passes of the last scenario run, per initializer, within a byte budget. Not thread-safe: one run
/// at a time (the engine worker), like `WorkspaceStore`.
public final class ForwardPrefixCache {
    /// Most bytes of buffers kept at once.
    public let budgetBytes: Int
    /// Bytes of buffers kept now.
    public private(set) var heldBytes = 0
    /// The scenario part every kept record belongs to.
    private var scenario: ForwardPrefixScenario?
    /// Kept records, by initializer.
    private var records: [Initializer: ForwardRecord] = [:]

    /// The default budget: 384 MiB (the default live view's three rows at depth 75 need 337 MiB), at most 1/16
    /// of the machine's memory.
    public static var defaultBudgetBytes: Int {
        Swift.min(384 << 20, Int(clamping: ProcessInfo.processInfo.physicalMemory / 16))
    }

    /// An empty cache keeping at most `budgetBytes` of buffers.
    public init(budgetBytes: Int = ForwardPrefixCache.defaultBudgetBytes) { self.budgetBytes = Swift.max(0, budgetBytes) }

    /// Layers kept for `initializer` in `scenario` (0 when none).
    func record(for initializer: Initializer, in scenario: ForwardPrefixScenario) -> ForwardRecord? {
        guard self.scenario == scenario, !initializer.dependsOnDepth, let record = records[initializer],
              record.depth > 0 else { return nil }
        return record
    }

    /// Keeps layers 1...L of a finished forward pass in `workspace` (as many as the budget allows), with their
    /// forward `reports`; copies only layers the record does not hold yet. Drops records of another scenario.
    func store(_ workspace: MLPWorkspace, reports: [LayerReport], initializer: Initializer,
               in scenario: ForwardPrefixScenario) {
        guard !initializer.dependsOnDepth else { return }
        if self.scenario != scenario { removeAll(); self.scenario = scenario }
        let record = records[initializer] ?? ForwardRecord()
        records[initializer] = record
        let keepsPreactivations = !workspace.preactivations.isEmpty
        let floatBytes = MemoryLayout<Float>.stride
        for l in stride(from: record.depth + 1, through: reports.count, by: 1) {
            let n = workspace.widths[l], inputs = workspace.widths[l - 1]
            let layerBytes = floatBytes * (inputs * n + workspace.batch * n * (keepsPreactivations ? 2 : 1))
            guard heldBytes + layerBytes <= budgetBytes else { break }
            record.weights.append(Self.copy(workspace.weights[l - 1]))
            record.activations.append(Self.copy(workspace.activations[l]))
            if keepsPreactivations { record.preactivations.append(Self.copy(workspace.preactivations[l - 1])) }
            record.preactivationWasNonFinite.append(workspace.preactivationWasNonFinite[l - 1])
            var report = reports[l - 1]
            report.theory = nil
            record.reports.append(report)
            heldBytes += layerBytes
        }
        if record.depth == 0 { records[initializer] = nil }
    }

    /// Writes layers 1...layers of `record` into `workspace` (W^l, x^l, kept h^l, the non-finite flags).
    func restore(_ record: ForwardRecord, layers: Int, into workspace: MLPWorkspace) {
        for l in 1...layers {
            workspace.weights[l - 1].copy(from: record.weights[l - 1])
            workspace.activations[l].copy(from: record.activations[l - 1])
            if !workspace.preactivations.isEmpty { workspace.preactivations[l - 1].copy(from: record.preactivations[l - 1]) }
            workspace.preactivationWasNonFinite[l - 1] = record.preactivationWasNonFinite[l - 1]
        }
    }

    /// Drops every record unless `scenario`, measured with `plan`, has the same forward layers as the kept ones
    /// at every depth (a change of depth or initializers only): a run of another network frees them first.
    public func keepOnly(_ scenario: Scenario, plan: MeasurementPlan, binCount: Int = HistogramBuilder.defaultBinCount) {
        let part = ForwardPrefixScenario(scenario, plan: plan, binCount: binCount, lsuvMeasuresAfterActivation: false)
        if part == nil || part != self.scenario { removeAll() }
    }

    /// Drops every record.
    public func removeAll() { records = [:]; heldBytes = 0; scenario = nil }

    /// Layers kept for each initializer (for tests).
    public var keptDepths: [Initializer: Int] { records.mapValues(\.depth) }

    private static func copy(_ matrix: Matrix) -> Matrix {
        let kept = Matrix(rows: matrix.rows, cols: matrix.cols)
        kept.copy(from: matrix)
        return kept
    }
}

extension Initializer {
    /// True for schemes whose weights depend on the number of blocks (Fixup, GPT-2, T-Fixup, DeepNorm).
    var dependsOnDepth: Bool {
        switch self {
        case .fixup, .gpt2, .tFixup, .deepNorm: return true
        default: return false
        }
    }
}
