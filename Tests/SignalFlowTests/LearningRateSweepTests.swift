// The learning-rate sweep: range parsing, log spacing, the final-loss rule, and runs that do not depend on how
// the pairs are spread over threads. Legend: teacher task, ReLU, depth 3, width 16, batch 16, 30 steps, SGD.
import Foundation
import Testing
@testable import SignalFlow

@Test func aSweepRangeIsLogSpacedWithBothEndsIncluded() throws {
    let range = try LearningRateRange.parse("1e-4..1:5")
    #expect(range == LearningRateRange(low: 1e-4, high: 1, count: 5))
    let expected = [1e-4, 1e-3, 1e-2, 1e-1, 1.0]
    for (rate, want) in zip(range.rates, expected) { #expect(abs(rate / want - 1) < 1e-12, "\(rate) vs \(want)") }
    #expect(try LearningRateRange.parse("0.5..0.5:1").rates == [0.5])
    for bad in ["1e-4..1", "1e-4:3", "0..1:3", "-1..1:3", "1..0.1:3", "1e-4..1:0", "1e-4..1:101", "a..1:3", "1e-4..inf:3",
                "1e-4..1:3:4", "nan..1:2"] {
        #expect(throws: TrainingError.self, "\(bad)") { try LearningRateRange.parse(bad) }
    }
}

@Test func theFinalLossIsTheMedianOfTheLastTenthOfEvaluations() {
    func run(_ heldOut: [Double?], diverged: Int? = nil) -> TrainingRunReport {
        TrainingRunReport(initializer: NamedInitializer(name: "he", initializer: .lecunNormal), divergedAtStep: diverged,
                          steps: heldOut.enumerated().map { TrainingStepReport(step: $0 + 1, loss: 1, heldOutLoss: $1,
                                                                                   accuracy: nil, gradientNorm: 1, layers: []) })
    }
    // 21 evaluations: the last ceil(2.1) = 3 are 5, 1, 3 -> median 3.
    #expect(Trainer.finalLoss(of: run(Array(repeating: 9, count: 18) + [5, 1, 3])) == 3)
    // 20 evaluations: the last 2 are 4 and 2 -> 3.
    #expect(Trainer.finalLoss(of: run(Array(repeating: 9, count: 18) + [4, 2])) == 3)
    #expect(Trainer.finalLoss(of: run([2, nil, nil, 7])) == 7)
    #expect(Trainer.finalLoss(of: run([2, 1], diverged: 3)) == nil)
}

@Test func aSweepGivesEachPairItsOwnRunWhateverTheThreads() throws {
    let scenario = try Scenario.uniform(activation: .relu, depth: 3, width: 16, batch: 16, seed: 3,
                                        initializers: try ["he", "xavier"].map { NamedInitializer(name: $0, initializer: try Initializer.parse($0)) })
    let configuration = TrainingConfiguration(task: .teacher(noise: 0), optimizer: OptimizerSettings(kind: .sgd),
                                              learningRate: 0.01, steps: 30)
    let trainer = try Trainer(scenario: scenario, configuration: configuration)
    let rates = [0.01, 0.1, 1e4]
    let one = trainer.sweep(rates, threads: 1), two = trainer.sweep(rates, threads: 2)
    #expect(one == two)
    #expect(one.map(\.initializer) == ["he", "he", "he", "xavier", "xavier", "xavier"] && one.map(\.learningRate) == rates + rates)
    // The pair (xavier, 0.1) is the single run at that rate.
    var single = configuration; single.learningRate = 0.1
    let alone = try Trainer(scenario: scenario, configuration: single).train(scenario.initializers[1])
    #expect(one[4].finalLoss == Trainer.finalLoss(of: alone) && one[4].finalLoss != nil)
    // 1e4 diverges for both, and says where.
    #expect(one[2].finalLoss == nil && one[2].divergedAt != nil && one[5].divergedAt != nil)
}
