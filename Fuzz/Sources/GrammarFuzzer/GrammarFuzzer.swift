// Fuzz target: bytes -> the --init and --activation grammars (Initializer.parse, Activation(name:)), then what a
// run derives from them: gains, the weight distribution of a small layer and its drawn weights.
// Properties: never traps; a refusal is one printable line (no control characters); canonical names parse back to the same value; an accepted
// activation has a finite slope in Float32 and a finite positive gain; every accepted initializer but zeros has
// a finite positive weight variance and draws finite weights.
import FuzzSupport
import SignalFlow

@_cdecl("LLVMFuzzerTestOneInput")
public func grammarFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzBytes(data: data, size: size)
    let fanIn = 1 + input.below(8), fanOut = 1 + input.below(8)
    let text = String(decoding: input.rest(), as: UTF8.self)
    // The same text is tried as an activation and as an initializer; "|" splits it into one of each.
    let pieces = text.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    let activationText = pieces[0], initializerText = pieces.count > 1 ? pieces[1] : pieces[0]

    var activation = Activation.tanh
    if let parsed = Activation(name: activationText) {
        fuzzCheck(Activation(name: parsed.name) == parsed, "activation '\(parsed.name)' does not parse back")
        if case .leakyRelu(let slope) = parsed {
            fuzzCheck(Float(slope).isFinite, "leaky-relu slope \(slope) from '\(activationText)' is not a finite Float32")
        }
        fuzzCheck(parsed.gain.isFinite && parsed.gain > 0, "activation '\(activationText)' has gain \(parsed.gain)")
        activation = parsed
    }

    let initializer: Initializer
    do {
        initializer = try Initializer.parse(initializerText)
    } catch {
        let message = "\(error)"
        fuzzCheck(isPrintableLine(message), "refusal is not one printable line: \(message.debugDescription)")
        return 0
    }
    let canonical = initializer.canonicalName
    fuzzCheck((try? Initializer.parse(canonical)) == initializer, "'\(canonical)' from '\(initializerText)' does not parse back")

    let variance = initializer.weightVariance(fanIn: fanIn, fanOut: fanOut, activation: activation)
    if initializer == .zeros {
        fuzzCheck(variance == 0, "zeros has variance \(variance)")
    } else {
        fuzzCheck(variance.isFinite && variance > 0,
                  "'\(initializerText)' with \(activation.name) has weight variance \(variance) for \(fanIn) x \(fanOut)")
    }
    var weights = [Float](repeating: .nan, count: fanIn * fanOut)
    var random = RandomSource(seed: 7, stream: 1000)
    initializer.fill(&weights, context: InitContext(fanIn: fanIn, fanOut: fanOut, activation: activation), random: &random)
    fuzzCheck(weights.allSatisfy(\.isFinite), "'\(initializerText)' with \(activation.name) drew non-finite weights")
    return 0
}
