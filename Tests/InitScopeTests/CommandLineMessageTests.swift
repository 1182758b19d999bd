// Command-line messages that used to mislead: negative sizes, `help` with an unknown topic, `themes --check A B`.
import ArgumentParser
import Testing
@testable import initscope

private func message(_ body: () throws -> Void) -> String? {
    do { try body(); return nil } catch { return InitScope.message(for: error) }
}

@Test(arguments: [["--depth", "-1"], ["--depth=-1"]])
func aNegativeDepthIsNamedAsTyped(arguments: [String]) throws {
    let flags = try ScenarioFlags.parse(arguments)
    #expect(flags.depth == -1)
    let text = message { _ = try flags.scenario(defaultActivation: .relu) { $0 ?? [] } }
    #expect(text == "depth must be at least 1 (got -1)")
}

@Test func negativeWidthBatchAndSeedAreReadAsValuesNotFlags() throws {
    let flags = try ScenarioFlags.parse(["--width", "-5", "--batch", "-2"])
    #expect(flags.width == -5 && flags.batch == -2)
    #expect(message { _ = try flags.scenario(defaultActivation: .relu) { $0 ?? [] } }?.hasPrefix("width -5 ") == true)
    #expect(message { _ = try ScenarioFlags.parse(["--seed", "-1"]) }?.contains("-1") == true)
}

@Test func helpWithAnUnknownTopicIsRefused() {
    #expect(message { try InitScope.checkHelpTopics(["help", "nosuch"]) }
            == "help: unknown command 'nosuch'; accepted: live, report, train, bench, themes, lecture, snapshot, terminal-check")
    #expect(message { try InitScope.checkHelpTopics(["help", "report"]) } == nil)
    #expect(message { try InitScope.checkHelpTopics(["help"]) } == nil)
    #expect(message { try InitScope.checkHelpTopics(["report", "nosuch"]) } == nil)   // not a help request
}

@Test func themesCheckTakesSeveralFilesAfterOneFlag() throws {
    #expect(try ThemesCommand.parse(["--check", "a.toml", "b.toml"]).checkPaths == ["a.toml", "b.toml"])
    #expect(try ThemesCommand.parse(["--check", "a.toml", "--check", "b.toml"]).checkPaths == ["a.toml", "b.toml"])
    #expect(try ThemesCommand.parse(["--check", "a.toml", "b.toml", "--color", "never"]).color == "never")
}
