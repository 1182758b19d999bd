// The output of `initscope train`: JSON (the contract documented in README.md), CSV (one line per step and weight
// layer) and a table (the evaluation steps). Non-finite numbers are written as null (JSON) or empty (CSV).
import Foundation
import SignalFlow

/// Writes training runs as a table, CSV or JSON, run by run into any text stream.
enum TrainFormatter {
    static func write<Output: TextOutputStream>(trainer: Trainer, runs: [TrainingRunReport], sweep: [SweepResult]? = nil,
                                                format: TrainFormat, to out: inout Output) {
        switch format {
        case .json: writeJSON(trainer: trainer, runs: runs, sweep: sweep, to: &out)
        case .csv:
            if let sweep { writeSweepCSV(sweep, to: &out) } else { writeCSV(runs: runs, to: &out) }
        case .table:
            if let sweep { writeSweepTable(trainer: trainer, sweep, to: &out) } else { writeTable(trainer: trainer, runs: runs, to: &out) }
        }
    }

    static func writeSweepCSV<Output: TextOutputStream>(_ sweep: [SweepResult], to out: inout Output) {
        out.write("initializer,lr,finalLoss,divergedAt\n")
        for r in sweep {
            out.write("\(ReportCSVFormatter.field(r.initializer)),\(r.learningRate),\(csvNumber(r.finalLoss)),\(r.divergedAt.map(String.init) ?? "")\n")
        }
    }

    /// Initializers down, rates across: the final held-out loss, or "div@t".
    static func writeSweepTable<Output: TextOutputStream>(trainer: Trainer, _ sweep: [SweepResult], to out: inout Output) {
        let c = trainer.configuration, s = trainer.scenario
        out.write("learning-rate sweep: \(c.task.name), \(c.optimizer.kind.rawValue), \(c.steps) steps; \(s.activation.name) depth \(s.depth) width \(s.width) batch \(s.batch) seed \(s.seed); final held-out loss (median of the last 10% of evaluations), div@t = diverged at step t\n")
        var rates: [Double] = []
        for r in sweep where !rates.contains(r.learningRate) { rates.append(r.learningRate) }
        out.write("initializer".padding(toLength: 14, withPad: " ", startingAt: 0)
                  + rates.map { String(format: "%-10.3g", $0) }.joined() + "\n")
        for named in s.initializers {
            let row = sweep.filter { $0.initializer == named.name }
            let cells = row.map { r in r.divergedAt.map { "div@\($0)" } ?? short(r.finalLoss) }
            out.write(PrintableText.quoted(named.name).padding(toLength: 14, withPad: " ", startingAt: 0)
                      + cells.map { $0.padding(toLength: 10, withPad: " ", startingAt: 0) }.joined() + "\n")
        }
    }

    static func number(_ value: Double) -> String { ReportJSONFormatter.number(value) }
    static func optional(_ value: Double?) -> String { ReportJSONFormatter.optional(value) }
    static func string(_ text: String) -> String { ReportJSONFormatter.string(text) }

    /// The `training` object: task, optimizer, lr, steps, warmup, clip, evalEvery, noise/classes, floor.
    static func trainingObject(_ c: TrainingConfiguration, floor: Double?) -> String {
        var noise: Double? = nil, classes = "null", vocabulary = ""
        switch c.task {
        case .teacher(let n): noise = n
        case .mixture(let k): classes = "\(k)"
        case .bigram(let v): vocabulary = ",\"vocab\":\(v)"
        }
        return "{\"task\":\(string(c.task.name)),\"optimizer\":\(string(c.optimizer.kind.rawValue)),"
            + "\"lr\":\(number(c.learningRate)),\"steps\":\(c.steps),\"warmup\":\(c.warmupSteps),"
            + "\"clip\":\(optional(c.clipNorm)),\"momentum\":\(c.optimizer.kind == .momentum ? number(c.optimizer.momentum) : "null"),"
            + "\"weightDecay\":\(c.optimizer.kind == .adamw ? number(c.optimizer.weightDecay) : "null"),"
            + "\"evalEvery\":\(c.evaluationInterval),\"noise\":\(optional(noise)),\"classes\":\(classes),"
            + "\"floor\":\(optional(floor))\(vocabulary)}"
    }

    static func writeJSON<Output: TextOutputStream>(trainer: Trainer, runs: [TrainingRunReport], sweep: [SweepResult]?,
                                                    to out: inout Output) {
        let s = trainer.scenario
        out.write("{\"scenario\":{\"activation\":\(string(s.activation.name)),\"depth\":\(s.depth),\"width\":\(s.width),"
                  + "\"batch\":\(s.batch),\"seed\":\(s.seed),\"biasStd\":\(number(s.biasStandardDeviation)),"
                  + "\"initializers\":[\(s.initializers.map { string($0.name) }.joined(separator: ","))]"
                  + (s.architecture.transformer.map { o in
                      ",\"arch\":\"transformer\",\"tokens\":\(o.tokens),\"heads\":\(o.heads),\"normPosition\":\(string(o.position.rawValue))"
                  } ?? "")
                  + (s.architecture.residual.map { o in
                      ",\"arch\":\"resnet\",\"norm\":\(string(o.normalization.rawValue)),\"normPosition\":\(o.normalization == .none ? "null" : string(o.position.rawValue))"
                  } ?? "") + "},\n")
        out.write("\"training\":\(trainingObject(trainer.configuration, floor: trainer.floor)),\n\"runs\":[\n")
        for (number, run) in runs.enumerated() {
            if number > 0 { out.write(",\n") }
            out.write("{\"initializer\":\(string(run.initializer.name)),\"diverged\":\(run.divergedAtStep.map(String.init) ?? "null"),\"steps\":[")
            for (index, step) in run.steps.enumerated() {
                if index > 0 { out.write(",") }
                out.write("{\"step\":\(step.step),\"loss\":\(self.number(step.loss)),\"heldOutLoss\":\(optional(step.heldOutLoss)),"
                          + "\"accuracy\":\(optional(step.accuracy)),\"gradientNorm\":\(self.number(step.gradientNorm)),\"layers\":["
                          + step.layers.map { layer in
                              "{\"index\":\(layer.index),\"updateToData\":\(optional(layer.updateToData)),"
                                  + "\"gradientVariance\":\(self.number(layer.gradientVariance)),"
                                  + "\"activationVariance\":\(self.number(layer.activationVariance))}"
                          }.joined(separator: ",") + "]}")
            }
            out.write("]}")
        }
        out.write("\n]")
        if let sweep {
            out.write(",\n\"sweep\":[" + sweep.map { r in
                "{\"initializer\":\(string(r.initializer)),\"lr\":\(number(r.learningRate)),\"finalLoss\":\(optional(r.finalLoss)),"
                    + "\"divergedAt\":\(r.divergedAt.map(String.init) ?? "null")}"
            }.joined(separator: ",\n") + "]")
        }
        out.write("}\n")
    }

    static func csvNumber(_ value: Double?) -> String { value.map { $0.isFinite ? "\($0)" : "" } ?? "" }

    static func writeCSV<Output: TextOutputStream>(runs: [TrainingRunReport], to out: inout Output) {
        out.write("initializer,diverged,step,loss,heldOutLoss,accuracy,gradientNorm,layer,updateToData,gradientVariance,activationVariance\n")
        for run in runs {
            let name = ReportCSVFormatter.field(run.initializer.name)
            let diverged = run.divergedAtStep.map(String.init) ?? ""
            for step in run.steps {
                let head = "\(name),\(diverged),\(step.step),\(csvNumber(step.loss)),\(csvNumber(step.heldOutLoss)),"
                    + "\(csvNumber(step.accuracy)),\(csvNumber(step.gradientNorm)),"
                for layer in step.layers {
                    out.write(head + "\(layer.index),\(csvNumber(layer.updateToData)),\(csvNumber(layer.gradientVariance)),"
                              + "\(csvNumber(layer.activationVariance))\n")
                }
            }
            if run.steps.isEmpty, let d = run.divergedAtStep { out.write("\(name),\(d),,,,,,,,,\n") }
        }
    }

    static func short(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value.isFinite ? String(format: "%.4g", value) : "\(value)"
    }

    static func writeTable<Output: TextOutputStream>(trainer: Trainer, runs: [TrainingRunReport], to out: inout Output) {
        let c = trainer.configuration, s = trainer.scenario
        out.write("train \(c.task.name), \(c.optimizer.kind.rawValue) lr \(short(c.learningRate)), \(c.steps) steps"
                  + (c.warmupSteps > 0 ? ", warm-up \(c.warmupSteps)" : "") + (c.clipNorm.map { ", clip \(short($0))" } ?? "")
                  + "; \(s.activation.name) depth \(s.depth) width \(s.width) batch \(s.batch) seed \(s.seed)"
                  + (s.architecture.transformer.map { "; transformer T \($0.tokens) H \($0.heads)" } ?? "")
                  + (s.architecture.residual.map { "; resnet norm \($0.normalization.rawValue)" + ($0.normalization == .none ? "" : " \($0.position.rawValue)") } ?? "")
                  + (trainer.floor.map { "; floor \(short($0))" } ?? "") + "\n")
        let header = ["initializer", "step", "loss", "held-out", "accuracy", "grad norm", "upd:data 1", "upd:data L"]
        out.write(header.map { $0.padding(toLength: $0 == "initializer" ? 14 : 11, withPad: " ", startingAt: 0) }.joined() + "\n")
        for run in runs {
            let name = PrintableText.quoted(run.initializer.name)
            for step in run.steps where step.heldOutLoss != nil {
                let cells = [name, "\(step.step)", short(step.loss), short(step.heldOutLoss), short(step.accuracy),
                             short(step.gradientNorm), short(step.layers.first?.updateToData),
                             short(step.layers.count > 1 ? step.layers[step.layers.count - 2].updateToData : nil)]
                out.write(cells.enumerated().map { $1.padding(toLength: $0 == 0 ? 14 : 11, withPad: " ", startingAt: 0) }.joined() + "\n")
            }
            if let d = run.divergedAtStep { out.write("\(name): diverged at step \(d)\n") }
        }
    }
}
