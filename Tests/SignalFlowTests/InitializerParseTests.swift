// The initializer grammar: every accepted spelling, round trips of canonicalName, and one-line errors.
import Testing
@testable import SignalFlow

@Test func parsesEveryDocumentedName() throws {
    let cases: [(String, Initializer)] = [
        ("zeros", .zeros),
        ("normal:0.01", .normal(std: 0.01)),
        (" NORMAL:1e30 ", .normal(std: 1e30)),
        ("uniform:0.5", .uniform(bound: 0.5)),
        ("xavier-uniform", .xavierUniform(gain: 1)),
        ("xavier-uniform:2", .xavierUniform(gain: 2)),
        ("xavier", .xavierNormal(gain: 1)),
        ("Xavier_Normal:1.5", .xavierNormal(gain: 1.5)),
        ("he", .heNormal(mode: .fanIn, gain: nil)),
        ("kaiming", .heNormal(mode: .fanIn, gain: nil)),
        ("he-normal:fan-out", .heNormal(mode: .fanOut, gain: nil)),
        ("he-normal:fan-in:1.2", .heNormal(mode: .fanIn, gain: 1.2)),
        ("he-normal:1.2", .heNormal(mode: .fanIn, gain: 1.2)),
        ("he-uniform", .heUniform(mode: .fanIn, gain: nil)),
        ("he-uniform:fan_out:3", .heUniform(mode: .fanOut, gain: 3)),
        ("lecun", .lecunNormal),
        ("lecun-normal", .lecunNormal),
        ("lecun-uniform", .lecunUniform),
        ("glorot-truncated", .truncatedNormal(.glorot)),
        ("he-truncated", .truncatedNormal(.he)),
        ("lecun-truncated", .truncatedNormal(.lecun)),
        ("orthogonal", .orthogonal(gain: nil)),
        ("orthogonal:1", .orthogonal(gain: 1)),
        ("torch-default", .torchDefault),
        ("lsuv", .lsuv(tolerance: 0.1, maxIterations: 10)),
        ("lsuv:0.02", .lsuv(tolerance: 0.02, maxIterations: 10)),
        ("lsuv:0.05:20", .lsuv(tolerance: 0.05, maxIterations: 20)),
    ]
    for (text, expected) in cases {
        #expect(try Initializer.parse(text) == expected, "\(text)")
    }
}

@Test func canonicalNamesRoundTrip() throws {
    let all: [Initializer] = [
        .zeros, .normal(std: 0.01), .normal(std: 1), .uniform(bound: 0.25), .xavierUniform(gain: 1), .xavierUniform(gain: 0.5),
        .xavierNormal(gain: 1), .xavierNormal(gain: 5.0 / 3.0), .heUniform(mode: .fanIn, gain: nil), .heUniform(mode: .fanOut, gain: 2),
        .heNormal(mode: .fanIn, gain: nil), .heNormal(mode: .fanOut, gain: nil), .heNormal(mode: .fanIn, gain: 1.5),
        .lecunNormal, .lecunUniform, .truncatedNormal(.glorot), .truncatedNormal(.he), .truncatedNormal(.lecun),
        .orthogonal(gain: nil), .orthogonal(gain: 1.4142135623730951), .torchDefault,
        .lsuv(tolerance: 0.1, maxIterations: 10), .lsuv(tolerance: 0.02, maxIterations: 10), .lsuv(tolerance: 0.1, maxIterations: 3),
    ]
    for initializer in all {
        #expect(try Initializer.parse(initializer.canonicalName) == initializer, "\(initializer.canonicalName)")
    }
    #expect(Initializer.xavierNormal(gain: 1).canonicalName == "xavier-normal")
    #expect(Initializer.heNormal(mode: .fanOut, gain: 2).canonicalName == "he-normal:fan-out:2")
    #expect(Initializer.normal(std: 0.01).canonicalName == "normal:0.01")
}

@Test func badNamesGiveOneLineErrorsNamingTheProblem() {
    let bad: [(String, String)] = [
        ("normal:abc", "abc"), ("normal:-1", "-1"), ("normal", "needs exactly one parameter"), ("normal:0", "0"),
        ("normal:nan", "nan"), ("normal:inf", "inf"), ("uniform:1:2", "exactly one"), ("bogus", "unknown initializer 'bogus'"),
        ("", "empty"), ("xavier:1:2", "too many"), ("he:sideways", "sideways"), ("he:fan-in:1:2", "unexpected"),
        ("lecun:2", "no parameters"), ("lsuv:1.5", "below 1"), ("lsuv:0.1:0", "iteration cap"), ("lsuv:0.1:x", "iteration cap"),
        ("orthogonal:-2", "-2"), ("zeros:1", "no parameters"), ("normal:1e39", "up to 1e30"), ("xavier:", "invalid gain ''"),
    ]
    for (text, fragment) in bad {
        do {
            let parsed = try Initializer.parse(text)
            Issue.record("'\(text)' parsed as \(parsed)")
        } catch let error as InitializerParseError {
            let message = error.description
            #expect(message.contains(fragment), "'\(text)': \(message)")
            #expect(message.contains("accepted: zeros, normal:STD"), "'\(text)': \(message)")
            #expect(!message.contains("\n"))
        } catch {
            Issue.record("unexpected error type \(error)")
        }
    }
}

/// The default comparison lives in the engine, so `report` and the live view share it without the UI.
@Test func theDefaultComparisonIsXavierHeLSUV() throws {
    #expect(NamedInitializer.defaultComparison().map(\.name) == ["xavier", "he", "lsuv"])
    #expect(NamedInitializer.defaultComparison().map(\.initializer) == [try Initializer.parse("xavier"),
                                                                      try Initializer.parse("he"), try Initializer.parse("lsuv")])
    #expect(NamedInitializer.defaultComparison(adding: ["he", "orthogonal", "nosuch"]).map(\.name) == ["xavier", "he", "lsuv", "orthogonal"])
}
