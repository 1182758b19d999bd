// Names of the training settings as users write them (`--task`, `--optimizer` on the command line; `task`,
// `optimizer` in a lecture scene): one parser and one message each, so every front end refuses the same values the
// same way.

extension TrainingTask {
    /// Task names accepted, with the architectures each fits (for messages).
    public static let acceptedNames = "teacher, mixture (--arch mlp, resnet), bigram (--arch transformer)"

    /// The task called `name` (any case): teacher with label noise `noise` (standard deviation), mixture with
    /// `classes` classes, bigram over `vocabulary` tokens. Throws a one-line `TrainingError` for another name.
    public static func parse(_ name: String, noise: Double, classes: Int, vocabulary: Int) throws(TrainingError) -> TrainingTask {
        switch name.lowercased() {
        case "teacher": return .teacher(noise: noise)
        case "mixture": return .mixture(classes: classes)
        case "bigram": return .bigram(vocabulary: vocabulary)
        default: throw TrainingError("unknown task '\(PrintableText.quoted(name, limit: 40))'; accepted: \(acceptedNames)")
        }
    }
}

extension OptimizerSettings.Kind {
    /// The optimizer called `name` (any case); throws a one-line `TrainingError` naming the accepted ones.
    public static func parse(_ name: String) throws(TrainingError) -> OptimizerSettings.Kind {
        guard let kind = OptimizerSettings.Kind(rawValue: name.lowercased()) else {
            throw TrainingError("unknown optimizer '\(PrintableText.quoted(name, limit: 40))'; accepted: "
                                + allCases.map(\.rawValue).joined(separator: ", "))
        }
        return kind
    }

    /// The learning rate used when none is given: 1e-2 for sgd and momentum, 1e-3 for adam and adamw.
    public var defaultLearningRate: Double { self == .sgd || self == .momentum ? 1e-2 : 1e-3 }
}
