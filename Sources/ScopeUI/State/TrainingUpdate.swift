// The training keys (T train/stop, p pause, Esc stop, L sweep map) and the training events, as pure updates.
// A training run or sweep is a generation like a propagation run: starting one cancels whatever the engine was
// doing; a scenario change (restart) cancels it and drops its curves.
// Legend: t = 1-based step; rows = the scenario's initializers.
import SignalFlow

/// Why the live view cannot train `state`'s scenario with `configuration` (one line), nil when it can.
func trainingRefusal(_ state: AppState, _ configuration: TrainingConfiguration) -> String? {
    trainingRefusal(of: state.scenario, configuration)
}

/// Why the live view cannot train `scenario` with `configuration` (one line), nil when it can; lecture files check
/// their training scenes with it.
func trainingRefusal(of scenario: Scenario, _ configuration: TrainingConfiguration) -> String? {
    do { _ = try Trainer(scenario: scenario, configuration: configuration) } catch {
        // The trainer names its flags; the live view has keys (m: next architecture), so it names the networks alone.
        return "cannot train: \(error)".replacingOccurrences(of: "--arch ", with: "").replacingOccurrences(of: "--task ", with: "task ")
    }
    let bytes = Trainer.memoryBytes(scenario: scenario, configuration: configuration)
    // Every row trains at once, each with its own buffers.
    let total = bytes.multipliedReportingOverflow(by: max(1, scenario.initializers.count))
    if total.overflow || total.partialValue > liveTrainingMemoryLimit {
        return "cannot train: \(scenario.initializers.count) rows need more than \(liveTrainingMemoryLimit >> 30) GiB (-, [ or B: smaller)"
    }
    return nil
}

/// Bytes every row's training may hold at once in the live view.
let liveTrainingMemoryLimit = 4 << 30

/// Performs a training command.
func performTraining(_ state: inout AppState, _ command: Command) -> [Effect] {
    switch command {
    case .toggleTraining:
        if let training = state.training, training.isActive { return stopTraining(&state) }
        return startTraining(&state)
    case .pauseTraining:
        guard var training = state.training, training.isActive else {
            state.setStatus("nothing is training (T starts)"); return []
        }
        training.phase = training.phase == .paused ? .running : .paused
        state.training = training
        let paused = training.phase == .paused
        state.setStatus(paused ? "training paused at step \(training.step) (p resumes, Esc stops)" : "training resumed",
                        persistent: paused)
        return [.pauseTraining(paused)]
    case .stopTraining:
        if state.training?.isActive == true || state.sweep?.phase == .running { return stopTraining(&state) }
        return []
    case .toggleSweep:
        if state.trainingPanel == .sweep {
            var effects: [Effect] = []
            if state.sweep?.phase == .running { effects = stopTraining(&state) }
            state.trainingPanel = state.training == nil ? nil : .curves
            return effects
        }
        if let sweep = state.sweep, sweep.phase != .stopped {
            state.trainingPanel = .sweep
            return []
        }
        return startSweep(&state)
    default:
        return []
    }
}

/// Starts training every row from the current scenario (cancelling a run or sweep in progress).
func startTraining(_ state: inout AppState) -> [Effect] {
    let configuration = state.activeTrainingSettings.configuration(for: state.scenario.architecture)
    if let refusal = trainingRefusal(state, configuration) { state.setStatus(refusal, persistent: true); return [] }
    rememberFinishedRuns(&state)
    state.generation += 1
    state.simulationRunning = false
    state.computingRows = []
    if state.sweep?.phase == .running { state.sweep?.phase = .stopped }
    state.training = TrainingState(configuration: configuration, generation: state.generation,
                                   rows: state.scenario.initializers.count)
    state.trainingPanel = .curves
    state.setStatus("training \(state.scenario.initializers.count) rows: \(configuration.optimizer.kind.rawValue) lr "
                    + "\(Caption.format(configuration.learningRate)), \(configuration.steps) steps "
                    + (state.lecture == nil ? "(p pause, T stop)" : "(T stop)"))   // a lecture's p: previous scene
    // Whole beside "?:help q:quit" at 80 columns (64 cells) for up to 9 rows of adam or sgd and 9,999 steps; past
    // that the status bar cuts it with an ellipsis. Esc stops too (help says so).
    return [.startTraining(state.scenario, configuration, plan: state.measurementPlan, generation: state.generation)]
}

/// Starts the learning-rate sweep of every row (cancelling a run or training in progress).
func startSweep(_ state: inout AppState) -> [Effect] {
    let configuration = state.activeTrainingSettings.sweepConfiguration(for: state.scenario.architecture)
    if let refusal = trainingRefusal(state, configuration) { state.setStatus(refusal, persistent: true); return [] }
    rememberFinishedRuns(&state)
    state.generation += 1
    state.simulationRunning = false
    state.computingRows = []
    if state.training?.isActive == true { state.training?.phase = .stopped }
    let rates = state.activeTrainingSettings.sweepRange.rates
    state.sweep = SweepState(generation: state.generation, rates: rates, steps: configuration.steps,
                             rows: state.scenario.initializers.count)
    state.trainingPanel = .sweep
    state.setStatus("sweeping \(rates.count) rates x \(state.scenario.initializers.count) rows, "
                    + "\(configuration.steps) steps each (L hides, Esc stops)")
    return [.startSweep(state.scenario, configuration, rates: rates, generation: state.generation)]
}

/// Stops the training or sweep in progress; its curves and cells stay on screen.
func stopTraining(_ state: inout AppState) -> [Effect] {
    var message = "stopped"
    if var training = state.training, training.isActive {
        training.phase = .stopped
        state.training = training
        message = "training stopped at step \(training.step) (T trains again, r: back to step 0)"
    }
    if state.sweep?.phase == .running {
        state.sweep?.phase = .stopped
        message = "sweep stopped (L runs it again)"
    }
    state.setStatus(message)
    return [.pauseTraining(false), .cancelSimulation]
}

/// Applies one training event of the current generation.
func applyTrainingEvent(_ state: inout AppState, _ event: TrainingEvent, generation: Int) {
    guard generation == state.generation else { return }
    switch event {
    case .step(let row, let step, let loss, let heldOutLoss):
        guard var training = state.training, training.losses.indices.contains(row), step == training.losses[row].count + 1 else { return }
        training.losses[row].append(loss)
        if let heldOutLoss { training.heldOutLosses[row].append(HeldOutLoss(step: step, loss: heldOutLoss)) }
        state.training = training
    case .diverged(let row, let step):
        guard state.training?.divergedAt.indices.contains(row) == true else { return }
        state.training?.divergedAt[row] = step
    case .snapshot(let row, let step, let layers):
        guard state.training?.snapshotStep.indices.contains(row) == true, state.runs.indices.contains(row) else { return }
        state.training?.snapshotStep[row] = step
        var run = RunData(depth: state.scenario.depth, activation: state.scenario.activation)
        for layer in layers where layer.index >= 1 && layer.index <= run.layers.count {
            // A block's stream and its gradient stand in for the activations (as in a propagation run's events).
            run.setLayer(layer.displayed)
            run.backwardDone[layer.index - 1] = true
        }
        // No `finished` report: a trained network is never cached as the scenario's step 0. The run (and queue) it
        // replaces is freed by the run loop, off the UI thread (RetiredRuns): at L = 10,000 it is every layer's report.
        state.retired.retire(runs: [state.runs[row]])
        state.runs[row] = run
        if state.queues.indices.contains(row) {
            state.retired.retire(queues: [state.queues[row]])
            state.queues[row] = RevealQueue()
        }
    case .floor(let value):
        state.training?.floor = value
    case .sweep(let row, let rateIndex, let result):
        guard var sweep = state.sweep, sweep.results.indices.contains(row),
              sweep.results[row].indices.contains(rateIndex) else { return }
        sweep.results[row][rateIndex] = result
        state.sweep = sweep
    }
}

/// The engine finished (or was cancelled in) `generation`: a training run or sweep of it is finished.
func finishTraining(_ state: inout AppState, generation: Int) {
    if var training = state.training, training.generation == generation, training.isActive {
        training.phase = .finished
        state.training = training
    }
    if var sweep = state.sweep, sweep.generation == generation, sweep.phase == .running {
        sweep.phase = .finished
        state.sweep = sweep
    }
}
