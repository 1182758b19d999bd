// A lecture scene's training keys: `train = true` starts training every row when the scene opens (as `T` would),
// with `task`, `optimizer`, `lr`, `steps` and `warmup` as the training flags of `initscope train` set them (the
// same names and the same checks: TrainingTask.parse, OptimizerSettings.Kind.parse, TrainingConfiguration.check,
// and the live view's own refusal). Unnamed settings are the live view's defaults (teacher with label noise 0.1,
// Adam at 1e-3, 200 steps, no warm-up); like every setting they are inherited by the next scene.
import SignalFlow

/// What a scene says about training, as inherited from scene to scene.
struct SceneTrainingSettings: Equatable {
    /// The scene trains every row when it opens.
    var train = false
    /// The task named (lowercased), nil = the architecture's (teacher; bigram for the transformer).
    var taskName: String? = nil
    /// The optimizer.
    var optimizer: OptimizerSettings.Kind = LiveTraining.configuration.optimizer.kind
    /// The peak learning rate named, nil = the optimizer's default.
    var learningRate: Double? = nil
    /// Steps S of the run.
    var steps = LiveTraining.configuration.steps
    /// Linear warm-up steps (0 = none).
    var warmup = 0
}

extension SceneReader {
    /// The keys that configure training (they apply to a scene with `train = true` only).
    static let trainingKeys = ["task", "optimizer", "lr", "steps", "warmup"]

    /// The live view's task called `name`: teacher with its label noise, mixture of 10 classes, bigram over 64 tokens.
    static func task(named name: String) throws(TrainingError) -> TrainingTask {
        let standard = LiveTrainingSettings.standard
        let noise: Double
        if case .teacher(let value) = standard.defaultVectorTask { noise = value } else { noise = 0.1 }
        let vocabulary: Int
        if case .bigram(let value) = standard.defaultSequenceTask { vocabulary = value } else { vocabulary = 64 }
        return try TrainingTask.parse(name, noise: noise, classes: 10, vocabulary: vocabulary)
    }

    /// A training message with the lecture's names for the flags ("--arch transformer" -> "arch transformer").
    func trainingError(_ key: String?, _ message: String) -> LectureError {
        error(key, message.replacingOccurrences(of: "--arch ", with: "arch ").replacingOccurrences(of: "--task ", with: "task "))
    }

    /// Reads `train` and the training keys into `settings`, each value checked as the flags check it.
    func readTraining(_ settings: inout SceneTrainingSettings) throws(LectureError) {
        if let value = table["train"] {
            guard let flag = value.bool, value.type == .bool else { throw error("train", "must be true or false") }
            settings.train = flag
        }
        for key in Self.trainingKeys where table[key] != nil && !settings.train {
            throw error(key, "applies to a scene with train = true (this scene does not train)")
        }
        // Each value is checked on its own, on the live view's configuration, so the message names its key.
        func checked(_ key: String, _ change: (inout TrainingConfiguration) -> Void) throws(LectureError) {
            var configuration = LiveTraining.configuration
            change(&configuration)
            do { try configuration.check() } catch { throw trainingError(key, "\(error)") }
        }
        if let name = try string("task") {
            do { _ = try Self.task(named: name) } catch { throw trainingError("task", "\(error)") }
            settings.taskName = name.lowercased()
        }
        if let name = try string("optimizer") {
            do { settings.optimizer = try OptimizerSettings.Kind.parse(name) } catch { throw trainingError("optimizer", "\(error)") }
        }
        if let value = table["lr"] {
            guard let rate = value.double ?? value.int.map(Double.init), value.type == .double || value.type == .int else {
                throw error("lr", "must be a number such as 1e-3, not \(value.type)")
            }
            try checked("lr") { $0.learningRate = rate }
            settings.learningRate = rate
        }
        if let steps = try trainingInteger("steps") {
            try checked("steps") { $0.steps = steps }
            settings.steps = steps
        }
        if let warmup = try trainingInteger("warmup") {
            try checked("warmup") { $0.warmupSteps = warmup }
            settings.warmup = warmup
        }
    }

    /// An integer training value (its range is checked by the configuration).
    func trainingInteger(_ key: String) throws(LectureError) -> Int? {
        guard let value = table[key] else { return nil }
        guard let integer = value.int, value.type == .int else { throw error(key, "must be an integer, not \(value.type)") }
        return integer
    }

    /// The live training settings of a scene that trains (nil for one that does not), checked against its scenario as
    /// the live view checks `T` (the task fits the network, the rows fit in memory).
    func trainingSettings(_ settings: SceneTrainingSettings, scenario: Scenario) throws(LectureError) -> LiveTrainingSettings? {
        guard settings.train else { return nil }
        var live = LiveTrainingSettings.standard
        var configuration = live.configuration
        configuration.optimizer = OptimizerSettings(kind: settings.optimizer)
        configuration.learningRate = settings.learningRate ?? settings.optimizer.defaultLearningRate
        configuration.steps = settings.steps
        configuration.warmupSteps = settings.warmup
        live.configuration = configuration
        if let name = settings.taskName {
            do { live.task = try Self.task(named: name) } catch { throw trainingError("task", "\(error)") }
        }
        let resolved = live.configuration(for: scenario.architecture)
        do { try resolved.check() } catch { throw trainingError(table["train"] != nil ? "train" : nil, "\(error)") }
        // The live view's own words (they name the networks and the command that trains the others).
        if let refusal = trainingRefusal(of: scenario, resolved) {
            throw error(table["task"] != nil ? "task" : table["train"] != nil ? "train" : nil, refusal)
        }
        return live
    }

    /// A training scene's caption states the run's numbers, not the step-0 network's (training replaces it); a
    /// scene without training has no run to read.
    func checkCaptionValues(_ caption: CaptionTemplate, trains: Bool) throws(LectureError) {
        if trains, let value = caption.values.first(where: \.readsStepZeroRun) {
            throw error("caption", "{\(value.rawValue)} reads the network at step 0, which training replaces; a training "
                        + "scene's caption states the run's numbers ({step}, {loss}, {outcome}, {best}, ...)")
        }
        if !trains, let value = caption.values.first(where: \.readsTraining) {
            throw error("caption", "{\(value.rawValue)} reads the training run: only a scene with train = true has one")
        }
    }
}
