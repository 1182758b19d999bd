// The synthetic tasks a network is trained on, generated from the seed (nothing downloaded), and their batches.
// Legend: B = batch rows, d = input width n_0, o = outputs (1 for teacher, K for mixture), K = classes.
//
// teacher: x ~ N(0, I_d); y = tanh(x A) v + noise * N(0, 1), A (d x d) ~ N(0, 1/d), v (d x 1) ~ N(0, 1/d); MSE.
// mixture: class c uniform in 0..<K; x = mu_c + N(0, I_d), mu_c ~ N(0, 9/d I_d) (centres about 4.2 apart); softmax
// cross-entropy.

/// Random stream numbers of training (all distinct from the propagation's streams).
public enum TrainingStreams {
    /// The training batches, one after the other (the same sequence for every initializer).
    public static let trainingBatches: UInt64 = 2_000_000_001
    /// The held-out batch.
    public static let heldOut: UInt64 = 2_000_000_002
    /// The teacher's hidden weights A.
    public static let teacherHidden: UInt64 = 2_000_000_003
    /// The teacher's output weights v.
    public static let teacherOutput: UInt64 = 2_000_000_004
    /// The mixture's class centres.
    public static let mixtureCentres: UInt64 = 2_000_000_005
    /// The read-out weights (Xavier normal, gain 1, the same for every initializer).
    public static let readout: UInt64 = 2_000_000_006
    /// LSUV's calibration batch.
    public static let calibration: UInt64 = 2_000_000_007
}

/// What the network learns.
public enum TrainingTask: Equatable, Hashable, Sendable {
    /// Regression onto a fixed 2-layer tanh teacher; label noise N(0, noise^2); mean squared error.
    case teacher(noise: Double)
    /// K-class Gaussian mixture; softmax cross-entropy; accuracy.
    case mixture(classes: Int)

    /// The task's name on the command line.
    public var name: String {
        switch self {
        case .teacher: return "teacher"
        case .mixture: return "mixture"
        }
    }

    /// Outputs o of the read-out: 1 for teacher, K for mixture.
    public var outputCount: Int {
        switch self {
        case .teacher: return 1
        case .mixture(let classes): return classes
        }
    }

    /// The lowest expected loss: the noise variance for teacher (MSE); nil for mixture (not computed).
    public var floor: Double? {
        switch self {
        case .teacher(let noise): return noise * noise
        case .mixture: return nil
        }
    }

    /// True when the loss is cross-entropy over classes (accuracy applies).
    public var isClassification: Bool { if case .mixture = self { return true } else { return false } }
}

/// One batch: inputs B x d, and targets B x 1 (teacher) or labels B (mixture).
struct TrainingBatch<T: EngineScalar> {
    var rows: Int
    var inputs: [T]
    var targets: [T]
    var labels: [Int]
}

/// The task's fixed parts (teacher weights, class centres), drawn once from their own streams; makes batches.
struct TaskGenerator: Sendable {
    let task: TrainingTask
    let inputWidth: Int
    /// Teacher: A (d x d) and v (d x 1); empty for mixture.
    let teacherHidden: [Double], teacherOutput: [Double]
    /// Mixture: centres K x d; empty for teacher.
    let centres: [Double]

    init(task: TrainingTask, inputWidth d: Int, seed: UInt64) {
        self.task = task; self.inputWidth = d
        let scale = 1 / Double(d).squareRoot()
        switch task {
        case .teacher:
            var hidden = RandomSource(seed: seed, stream: TrainingStreams.teacherHidden)
            teacherHidden = (0..<(d * d)).map { _ in hidden.nextStandardNormal() * scale }
            var output = RandomSource(seed: seed, stream: TrainingStreams.teacherOutput)
            teacherOutput = (0..<d).map { _ in output.nextStandardNormal() * scale }
            centres = []
        case .mixture(let classes):
            var random = RandomSource(seed: seed, stream: TrainingStreams.mixtureCentres)
            centres = (0..<(classes * d)).map { _ in random.nextStandardNormal() * 3 * scale }
            teacherHidden = []; teacherOutput = []
        }
    }

    /// The next batch of `rows` from `random` (computed in Double, then rounded to T once).
    func batch<T: EngineScalar>(rows: Int, random: inout RandomSource, as: T.Type = T.self) -> TrainingBatch<T> {
        let d = inputWidth
        switch task {
        case .teacher(let noise):
            let inputs = (0..<(rows * d)).map { _ in random.nextStandardNormal() }
            var hidden = [Double](repeating: 0, count: rows * d)
            Double.multiply(m: rows, n: d, k: d, inputs, transposeA: false, teacherHidden, transposeB: false,
                            into: &hidden, alpha: 1, beta: 0, threads: 1)
            for i in hidden.indices { hidden[i] = Activation.tanh.value(hidden[i]) }
            var targets = [Double](repeating: 0, count: rows)
            Double.multiply(m: rows, n: 1, k: d, hidden, transposeA: false, teacherOutput, transposeB: false,
                            into: &targets, alpha: 1, beta: 0, threads: 1)
            if noise > 0 { for i in targets.indices { targets[i] += noise * random.nextStandardNormal() } }
            return TrainingBatch(rows: rows, inputs: inputs.map { T($0) }, targets: targets.map { T($0) }, labels: [])
        case .mixture(let classes):
            var inputs = [T](repeating: 0, count: rows * d)
            var labels = [Int](repeating: 0, count: rows)
            for r in 0..<rows {
                let label = Int(random.next() % UInt64(classes))
                labels[r] = label
                for j in 0..<d { inputs[r * d + j] = T(centres[label * d + j] + random.nextStandardNormal()) }
            }
            return TrainingBatch(rows: rows, inputs: inputs, targets: [], labels: labels)
        }
    }
}
