// Fuzz target: bytes -> a scenario command line (arguments separated by NUL or newline; a leading byte picks
// report or live defaults) -> ArgumentParser and the executable's own ScenarioFlags (a symbolic link to
// Sources/initscope/ScenarioFlags.swift) -> Scenario.validate and its memory estimate. Nothing is run.
// Properties: never traps (huge sizes, seeds, biases, names); the refusal line the command prints is printable; an accepted scenario has
// sizes in range and fits the memory limit.
import ArgumentParser
import FuzzSupport
import ScopeUI
import SignalFlow

/// Flag names the fuzzer may put in front of a value, so that mutations reach every option quickly.
let flagNames = ["--depth", "--width", "--batch", "--seed", "--bias-std", "--activation", "--init"]

@_cdecl("LLVMFuzzerTestOneInput")
public func flagsFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzBytes(data: data, size: size)
    let live = input.byte() & 1 == 1
    let fields = input.rest().split(omittingEmptySubsequences: false, whereSeparator: { $0 == 0 || $0 == 0x0A })
    // A field starting with a byte below 8 is that flag name followed by the field's text as its value.
    var arguments: [String] = []
    for field in fields {
        if let first = field.first, Int(first) < flagNames.count {
            arguments.append(flagNames[Int(first)])
            arguments.append(String(decoding: field.dropFirst(), as: UTF8.self))
        } else {
            arguments.append(String(decoding: field, as: UTF8.self))
        }
    }
    let flags: ScenarioFlags
    do { flags = try ScenarioFlags.parse(arguments) } catch { return 0 }
    let scenario: Scenario
    do {
        scenario = live
            ? try flags.scenario(defaultActivation: .tanh) { named in AppState.comparisonSet(adding: (named ?? []).map(\.name)) }
            : try flags.scenario(defaultActivation: .relu) { named in named ?? NamedInitializer.defaultComparison() }
    } catch {
        // The command prints the first line of the message: it must not carry control characters from the input.
        let line = ScenarioFlags.message(for: error).split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
        fuzzCheck(isPrintableLine(String(line)), "refusal is not one printable line: \(line.debugDescription)")
        return 0
    }
    fuzzCheck((1...Scenario.maximumDimension).contains(scenario.depth), "accepted depth \(scenario.depth)")
    fuzzCheck(scenario.widths.allSatisfy { (1...Scenario.maximumDimension).contains($0) }, "accepted width \(scenario.width)")
    fuzzCheck((1...Scenario.maximumDimension).contains(scenario.batch), "accepted batch \(scenario.batch)")
    // scenario(...) checked the default footprint (what `report` holds): its whole estimate is within the limit.
    let estimate = scenario.memoryEstimate(RunFootprint()).totalBytes
    fuzzCheck(estimate <= Scenario.memoryLimitBytes, "accepted \(estimate) bytes")
    fuzzCheck(!scenario.initializers.isEmpty, "accepted a scenario without initializers")
    return 0
}
