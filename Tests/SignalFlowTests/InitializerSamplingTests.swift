// Oracles A3-A5 and B1-B6, B11 (reference sections 4.1-4.2): single 512 x 512 draws of every initializer,
// checked against exact targets with 5-standard-error tolerances.
import Foundation
import Testing
@testable import SignalFlow

/// Sample moments of one draw, accumulated in Double.
struct InitializerDrawMoments {
    var mean = 0.0, secondMoment = 0.0, kurtosis = 0.0, maxAbs = 0.0
    init(_ values: [Float]) {
        var s1 = 0.0, s2 = 0.0, s4 = 0.0, largest = 0.0
        for v in values { let x = Double(v); s1 += x; s2 += x * x; s4 += x * x * x * x; largest = Swift.max(largest, Swift.abs(x)) }
        let n = Double(values.count)
        mean = s1 / n; secondMoment = s2 / n; kurtosis = (s4 / n) / (secondMoment * secondMoment); maxAbs = largest
    }
}

/// One fanIn x fanOut draw of `initializer`.
func drawInitializer(_ initializer: Initializer, fanIn: Int = 512, fanOut: Int = 512, activation: Activation = .relu,
          seed: UInt64 = 11) -> [Float] {
    var random = RandomSource(seed: seed, stream: 5)
    var weights = [Float](repeating: .nan, count: fanIn * fanOut)
    weights.withUnsafeMutableBufferPointer {
        initializer.fill($0, fanIn: fanIn, fanOut: fanOut, activation: activation, random: &random)
    }
    return weights
}

private func relativeClose(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
    Swift.abs(a - b) <= tolerance * Swift.abs(b)
}

@Test func referenceParametersFor512Square() {
    // A3: the section 2.2 table.
    func parameter(_ initializer: Initializer) -> Double {
        switch initializer.distribution(fanIn: 512, fanOut: 512, activation: .relu) {
        case .uniform(let bound): return bound
        case .normal(let std): return std
        case .truncatedNormal(let sigma0): return sigma0
        case .orthogonal(let gain): return gain
        case .zeros: return 0
        }
    }
    #expect(relativeClose(parameter(.xavierUniform(gain: 1)), 0.07654655446197431))
    #expect(relativeClose(parameter(.xavierNormal(gain: 1)), 0.04419417382415922))
    #expect(relativeClose(parameter(.heUniform(mode: .fanIn, gain: nil)), 0.10825317547305482))
    #expect(relativeClose(parameter(.heNormal(mode: .fanIn, gain: nil)), 0.0625))
    #expect(relativeClose(parameter(.truncatedNormal(.lecun)), 0.050242024285872836))
    #expect(relativeClose(parameter(.truncatedNormal(.he)), 0.07105295214615978))
    #expect(relativeClose(parameter(.torchDefault), 0.044194173824159216))
    #expect(relativeClose(Initializer.torchDefault.weightVariance(fanIn: 512, fanOut: 512, activation: .relu), 1.0 / 1536))
    #expect(relativeClose(Initializer.heNormal(mode: .fanIn, gain: nil).weightVariance(fanIn: 512, fanOut: 512, activation: .relu), 0.00390625))
    #expect(relativeClose(Initializer.xavierNormal(gain: 1).weightVariance(fanIn: 512, fanOut: 512, activation: .tanh), 0.001953125))
    // Explicit gain overrides the activation's; nil takes it (tanh 5/3).
    #expect(relativeClose(Initializer.heNormal(mode: .fanIn, gain: nil).meanFieldWeightVariance(fanIn: 512, fanOut: 512, activation: .tanh), 25.0 / 9))
    #expect(relativeClose(Initializer.heNormal(mode: .fanIn, gain: 1).meanFieldWeightVariance(fanIn: 512, fanOut: 512, activation: .tanh), 1))
}

@Test func rectangularFansAndModes() {
    // Layer 256 -> 1024 (W is 256 x 1024): fan_in 256, fan_out 1024.
    let fanIn = 256, fanOut = 1024
    #expect(relativeClose(Initializer.heNormal(mode: .fanIn, gain: nil).weightVariance(fanIn: fanIn, fanOut: fanOut, activation: .relu), 2.0 / 256))
    #expect(relativeClose(Initializer.heNormal(mode: .fanOut, gain: nil).weightVariance(fanIn: fanIn, fanOut: fanOut, activation: .relu), 2.0 / 1024))
    #expect(relativeClose(Initializer.xavierUniform(gain: 1).weightVariance(fanIn: fanIn, fanOut: fanOut, activation: .relu), 2.0 / 1280))
    #expect(relativeClose(Initializer.truncatedNormal(.glorot).weightVariance(fanIn: fanIn, fanOut: fanOut, activation: .relu), 2.0 / 1280))
    #expect(relativeClose(Initializer.lecunUniform.weightVariance(fanIn: fanIn, fanOut: fanOut, activation: .relu), 1.0 / 256))
    #expect(relativeClose(Initializer.orthogonal(gain: 2).weightVariance(fanIn: fanIn, fanOut: fanOut, activation: .relu), 4.0 / 1024))
    #expect(relativeClose(Initializer.orthogonal(gain: 2).meanFieldWeightVariance(fanIn: 1024, fanOut: 256, activation: .relu), 4.0))
    // A drawn fan-out He matrix really has variance 2 / fan_out (5 SE of a normal s^2 with m = 262 144).
    let moments = InitializerDrawMoments(drawInitializer(.heNormal(mode: .fanOut, gain: nil), fanIn: fanIn, fanOut: fanOut))
    #expect(Swift.abs(moments.secondMoment / (2.0 / 1024) - 1) < 0.01381)
}

@Test func truncationConstants() {
    // A4, A5.
    let factor = TruncatedNormal.varianceFactor(alpha: -2, beta: 2)
    #expect(relativeClose(factor, 0.773741303549923, 1e-12))
    #expect(Swift.abs(factor.squareRoot() - TruncatedNormal.standardDeviationOfUnitTruncatedAtTwo) <= 2.3e-16)
    #expect(TruncatedNormal.varianceFactor(alpha: -100, beta: 100) == 1)
    #expect(TruncatedNormal.meanShift(alpha: -2, beta: 2) == 0)
    // One-sided: N(0,1) truncated to [0, inf) has mean sqrt(2/pi) and variance 1 - 2/pi.
    #expect(relativeClose(TruncatedNormal.meanShift(alpha: 0, beta: .infinity), (2 / Double.pi).squareRoot()))
    #expect(relativeClose(TruncatedNormal.varianceFactor(alpha: 0, beta: .infinity), 1 - 2 / Double.pi))
}

/// Relative 5-SE tolerance of s^2 for m = 262 144 draws of kurtosis kappa.
private func fiveSE(kurtosis kappa: Double, count: Int = 512 * 512) -> Double { 5 * ((kappa - 1) / Double(count)).squareRoot() }

@Test func secondMomentsMeansAndKurtosisOfEveryScheme() {
    struct Case { let initializer: Initializer; let activation: Activation; let kurtosis: Double; let kind: String }
    let cases: [Case] = [
        Case(initializer: .xavierNormal(gain: 1), activation: .tanh, kurtosis: 3, kind: "normal"),              // B1
        Case(initializer: .heNormal(mode: .fanIn, gain: nil), activation: .relu, kurtosis: 3, kind: "normal"),
        Case(initializer: .lecunNormal, activation: .selu, kurtosis: 3, kind: "normal"),
        Case(initializer: .normal(std: 0.01), activation: .relu, kurtosis: 3, kind: "normal"),
        Case(initializer: .xavierUniform(gain: 1), activation: .tanh, kurtosis: 1.8, kind: "uniform"),        // B2
        Case(initializer: .heUniform(mode: .fanIn, gain: nil), activation: .relu, kurtosis: 1.8, kind: "uniform"),
        Case(initializer: .lecunUniform, activation: .relu, kurtosis: 1.8, kind: "uniform"),
        Case(initializer: .uniform(bound: 0.3), activation: .relu, kurtosis: 1.8, kind: "uniform"),
        Case(initializer: .torchDefault, activation: .relu, kurtosis: 1.8, kind: "uniform"),                   // B11
        Case(initializer: .truncatedNormal(.glorot), activation: .relu, kurtosis: 2.365537, kind: "truncated"), // B3
        Case(initializer: .truncatedNormal(.he), activation: .relu, kurtosis: 2.365537, kind: "truncated"),
        Case(initializer: .truncatedNormal(.lecun), activation: .relu, kurtosis: 2.365537, kind: "truncated"),
    ]
    for (index, test) in cases.enumerated() {
        let target = test.initializer.weightVariance(fanIn: 512, fanOut: 512, activation: test.activation)
        let values = drawInitializer(test.initializer, activation: test.activation, seed: 100 + UInt64(index))
        let moments = InitializerDrawMoments(values)
        let name = test.initializer.canonicalName
        #expect(Swift.abs(moments.secondMoment / target - 1) < fiveSE(kurtosis: test.kurtosis), "\(name): s2 \(moments.secondMoment) vs \(target)")
        #expect(Swift.abs(moments.mean) < 5 * target.squareRoot() / 512, "\(name): mean \(moments.mean)")  // B4
        // B6: kurtosis classifies the family.
        let kind = moments.kurtosis > 2.68 ? "normal" : (moments.kurtosis > 2.08 ? "truncated" : "uniform")
        #expect(kind == test.kind, "\(name): kurtosis \(moments.kurtosis)")
        // B5: support.
        switch test.initializer.distribution(fanIn: 512, fanOut: 512, activation: test.activation) {
        case .uniform(let bound): #expect(moments.maxAbs <= Double(Float(bound)), "\(name)")
        case .truncatedNormal(let sigma0): #expect(values.allSatisfy { Swift.abs($0) < 2 * Float(sigma0) }, "\(name)")
        case .normal(let std): #expect(moments.maxAbs / std > 4, "\(name): accidental truncation?")
        default: Issue.record("unexpected distribution for \(name)")
        }
    }
}

@Test func zerosAreExactlyZero() {
    #expect(drawInitializer(.zeros).allSatisfy { $0 == 0 })
    #expect(Initializer.zeros.weightVariance(fanIn: 3, fanOut: 4, activation: .tanh) == 0)
}

@Test func drawsAreReproducibleAndDependOnTheSeed() {
    let a = drawInitializer(.heUniform(mode: .fanIn, gain: nil), fanIn: 64, fanOut: 32, seed: 9)
    let b = drawInitializer(.heUniform(mode: .fanIn, gain: nil), fanIn: 64, fanOut: 32, seed: 9)
    let c = drawInitializer(.heUniform(mode: .fanIn, gain: nil), fanIn: 64, fanOut: 32, seed: 10)
    #expect(a == b)
    #expect(a != c)
    #expect(drawInitializer(.orthogonal(gain: nil), fanIn: 16, fanOut: 8, seed: 3) == drawInitializer(.orthogonal(gain: nil), fanIn: 16, fanOut: 8, seed: 3))
}

