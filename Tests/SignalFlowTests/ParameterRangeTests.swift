// Every parameter of the activation and initializer grammar: empty, NaN, inf, negative, too large or too small for
// Float32, extra fields. Each is refused with one line naming the problem and the accepted range.
import Testing
@testable import SignalFlow

@Test func activationParametersOutsideTheirRangeAreRefusedWithTheRange() {
    let bad: [(String, String)] = [
        ("leaky-relu:1e308", "-1000...1000"), ("leaky-relu:1001", "-1000...1000"), ("leaky-relu:-1e39", "-1000...1000"),
        ("leaky-relu:", "invalid leaky ReLU slope ''"), ("leaky-relu:nan", "'nan'"), ("leaky-relu:inf", "'inf'"),
        ("leaky-relu:abc", "'abc'"), ("leaky-relu:0.1:2", "too many parameters"), ("leaky-relu::", "too many"),
        ("tanh:", "takes no parameter"), ("relu:2", "takes no parameter"), ("linear:", "takes no parameter"),
        ("swish", "unknown activation 'swish'"), ("", "empty activation name"), (":", "empty activation name"),
    ]
    for (text, fragment) in bad {
        do {
            let parsed = try Activation.parse(text)
            Issue.record("'\(text)' parsed as \(parsed)")
        } catch let error as ActivationParseError {
            #expect(error.description.contains(fragment), "'\(text)': \(error.description)")
            #expect(error.description.contains("accepted: linear, tanh, relu, leaky-relu[:SLOPE] (SLOPE in -1000...1000"))
            #expect(!error.description.contains("\n"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(Activation(name: text) == nil, "'\(text)'")
    }
}

@Test func activationParametersWithinTheirRangeAreAccepted() throws {
    #expect(try Activation.parse("leaky-relu") == .leakyRelu(slope: 0.01))
    #expect(try Activation.parse(" Leaky_ReLU:0.2 ") == .leakyRelu(slope: 0.2))
    #expect(try Activation.parse("leaky-relu:1000") == .leakyRelu(slope: 1000))
    #expect(try Activation.parse("leaky-relu:-1") == .leakyRelu(slope: -1))
    #expect(try Activation.parse("leaky-relu:0") == .leakyRelu(slope: 0))
    // Within the range He's gain stays well above zero, so its weights are never all zero.
    #expect(Activation.leakyRelu(slope: 1000).gain > 1e-3)
    for activation in Activation.all + [.leakyRelu(slope: -0.5), .leakyRelu(slope: 1000)] {
        #expect(try Activation.parse(activation.name) == activation)
    }
}

@Test func initializerParametersOutsideTheirRangeAreRefusedWithTheRange() {
    let bad: [(String, String)] = [
        ("normal:1e-31", "from 1e-30 up to 1e30"), ("normal:5e-324", "from 1e-30 up to 1e30"), ("uniform:1e31", "up to 1e30"),
        ("xavier:1e308", "up to 1e30"), ("he:0", "from 1e-30"), ("orthogonal:1e-40", "from 1e-30"), ("he-uniform:fan-out:-1", "'-1'"),
        ("he-normal:fan-sideways", "unknown fan mode 'fan-sideways'"), ("he:fan-in:fan-out", "fan mode given twice"),
        ("he-normal:nan", "invalid gain 'nan'"), ("he-normal:inf", "invalid gain 'inf'"), ("he::", "invalid gain ''"),
        ("lsuv:0:0", "expected a number above 0 and below 1"), ("lsuv:1", "below 1"), ("lsuv:-0.1", "above 0"),
        ("lsuv:nan", "above 0"), ("lsuv:", "invalid LSUV tolerance ''"), ("lsuv:0.1:", "iteration cap ''"),
        ("lsuv:0.1:1001", "1...1000"), ("lsuv:0.1:10:1", "too many"), ("normal:1:", "exactly one"), ("torch-default:", "no parameters"),
    ]
    for (text, fragment) in bad {
        do {
            let parsed = try Initializer.parse(text)
            Issue.record("'\(text)' parsed as \(parsed)")
        } catch let error as InitializerParseError {
            #expect(error.description.contains(fragment), "'\(text)': \(error.description)")
            #expect(error.description.contains("(STD, BOUND, GAIN in [1e-30, 1e30]; TOL in (0, 1); TMAX in 1...1000)"))
            #expect(!error.description.contains("invalid gain 'fan"), "'\(text)': \(error.description)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

@Test func initializerParametersAtTheEndsOfTheirRangeAreAccepted() throws {
    #expect(try Initializer.parse("normal:1e-30") == .normal(std: 1e-30))
    #expect(try Initializer.parse("uniform:1e30") == .uniform(bound: 1e30))
    #expect(try Initializer.parse("he-normal:fan-out:1e-30") == .heNormal(mode: .fanOut, gain: 1e-30))
    #expect(try Initializer.parse("lsuv:1e-9:1000") == .lsuv(tolerance: 1e-9, maxIterations: 1000))
}
