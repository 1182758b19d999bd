// The lane-wise, chunked training kernels: each element's arithmetic is the scalar formula's (bit for bit in
// Float), the sums are those of the elements, and every result is the same for one and two threads.
// Legend: N = 2 chunks + 13 elements (a partial chunk ending in a partial lane); values ~ N(0, 1) from a fixed seed.
import Foundation
import Testing
@testable import SignalFlow

private let length = 2 * TrainingKernels.chunkLength + 13

private func normals(_ stream: UInt64, scale: Float = 1) -> [Float] {
    var random = RandomSource(seed: 3, stream: stream)
    var values = [Float](repeating: 0, count: length)
    values.withUnsafeMutableBufferPointer { random.fillNormal($0, mean: 0, standardDeviation: scale) }
    return values
}

@Test func momentsAreTheSumsOfTheElementsForAnyThreadCount() {
    let values = normals(1)
    let one = values.withUnsafeBufferPointer { TrainingKernels.moments([$0], threads: 1)[0] }
    let two = values.withUnsafeBufferPointer { TrainingKernels.moments([$0], threads: 2)[0] }
    #expect(one == two)
    let sum = values.reduce(0.0) { $0 + Double($1) }, squares = values.reduce(0.0) { $0 + Double($1) * Double($1) }
    #expect(one.count == length && abs(one.sum - sum) < 1e-9 && abs(one.sumOfSquares - squares) < 1e-8 * squares)
}

@Test(arguments: OptimizerSettings.Kind.allCases)
func theLaneUpdateIsTheScalarFormulaBitForBitForAnyThreadCount(kind: OptimizerSettings.Kind) {
    let start = normals(2), gradients = [normals(3, scale: 0.1)]
    func run(threads: Int) -> ([[Float]], [UpdateMoments]) {
        var state = OptimizerState<Float>(settings: OptimizerSettings(kind: kind), threads: threads)
        var parameters = [start]
        var moments: [UpdateMoments] = []
        for _ in 0..<2 { moments = state.update(&parameters, gradients: gradients, learningRate: 0.01) }
        return (parameters, moments)
    }
    let (one, oneMoments) = run(threads: 1), (two, twoMoments) = run(threads: 2)
    #expect(one == two && oneMoments == twoMoments)
    // The scalar formulas of Optimizer.swift, element by element in Float, two steps.
    let s = OptimizerSettings(kind: kind), lr = 0.01
    var expected = start, m = [Float](repeating: 0, count: length), v = m
    for step in 1...2 {
        let b1 = Float(s.beta1), b2 = Float(s.beta2), eps = Float(s.epsilon)
        let stepSize = Float(lr / (1 - pow(s.beta1, Double(step)))), root2 = Float((1 - pow(s.beta2, Double(step))).squareRoot())
        for i in 0..<length {
            let g = gradients[0][i]
            switch kind {
            case .sgd: expected[i] -= Float(lr) * g
            case .momentum:
                m[i] = step == 1 ? g : Float(s.momentum) * m[i] + g
                expected[i] -= Float(lr) * m[i]
            case .adam, .adamw:
                if kind == .adamw { expected[i] *= Float(1 - lr * s.weightDecay) }
                m[i] = b1 * m[i] + (1 - b1) * g
                v[i] = b2 * v[i] + (1 - b2) * g * g
                expected[i] -= stepSize * m[i] / (v[i].squareRoot() / root2 + eps)
            }
        }
    }
    #expect(one[0] == expected, "\(kind): lanes differ from the scalar formula")
    #expect(oneMoments[0].updateToData != nil && oneMoments[0].before.count == length)
}
