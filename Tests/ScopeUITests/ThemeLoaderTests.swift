// The theme loader on good partial themes and on a corpus of broken ones: every failure is an error value
// naming the file, the line and the key; nothing traps.
import Foundation
import Testing
@testable import ScopeUI
import Terminal

@Suite struct ThemeLoaderTests {
    func parse(_ text: String, file: String = "/t/x.toml") -> Result<ThemeSpec, ThemeError> {
        ThemeParser.parse(text: text, file: file)
    }

    func error(_ text: String, file: String = "/t/x.toml") -> ThemeError? {
        if case .failure(let error) = parse(text, file: file) { return error }
        return nil
    }

    @Test func partialOverrideInheritsTheRest() throws {
        let spec = try parse("inherits = \"default\"\n# comment\ntext = \"#ffffff\"\nseries = [\"red\", 33]\n").get()
        #expect(spec.name == "x" && spec.inherits == "default")
        let theme = try ThemeInheritance.resolve(spec, among: [:]).get()
        #expect(theme.text == .rgb(255, 255, 255))
        #expect(theme.fallbacks[.text] == nil)   // overriding a colour drops the parent's fallback for it
        #expect(theme.series == [.ansi(1), .indexed(33)])
        #expect(theme.accent == Theme.builtInDefault.accent)
        #expect(theme.fallbacks[.accent] == Theme.builtInDefault.fallbacks[.accent])
        #expect(theme.ramp == Theme.builtInDefault.ramp)
        #expect(theme.resolved(for: .ansi16).text == .ansi(15))
    }

    @Test func tableRolesCarryFallbacksAndAttributes() throws {
        let spec = try parse("""
            inherits = "default"
            accent = { color = "#5fd7ff", ansi16 = "bright-cyan", ansi8 = "cyan", attrs = ["bold"], mono = ["underline"] }
            """).get()
        let theme = try ThemeInheritance.resolve(spec, among: [:]).get()
        #expect(theme.resolved(for: .ansi16).accent == .ansi(14))
        #expect(theme.resolved(for: .ansi8).accent == .ansi(6))
        #expect(theme.style(.accent).bold && !theme.style(.accent).underline)
        let mono = theme.resolved(for: .monochrome).style(.accent)
        #expect(mono.bold && mono.underline && mono.foreground == .default)
    }

    // MARK: the broken corpus

    @Test func truncatedFileNamesTheLine() throws {
        let full = try String(contentsOfFile: ThemeTestSupport.bundledDirectory + "/default.toml", encoding: .utf8)
        let cut = String(full.prefix(upTo: full.range(of: "accent     = { color = \"#5f")!.upperBound))
        let failure = try #require(error(cut, file: "/t/default.toml"))
        #expect(failure.file == "/t/default.toml")
        #expect(failure.line == cut.split(separator: "\n", omittingEmptySubsequences: false).count)
        #expect(failure.key == "accent")
        #expect(failure.description.hasPrefix("/t/default.toml:\(failure.line!) accent: TOML syntax"))
    }

    @Test func binaryGarbageIsRefused() {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[17] = 0
        guard case .failure(let failure) = ThemeParser.parse(bytes: bytes, file: "/t/garbage.toml") else {
            Issue.record("garbage parsed"); return
        }
        #expect(failure.problem.contains("not a text file"))
        // Invalid UTF-8 without NUL bytes too.
        guard case .failure(let second) = ThemeParser.parse(bytes: [0x74, 0x3D, 0xFF, 0xFE, 0x0A], file: "/t/g.toml") else {
            Issue.record("invalid UTF-8 parsed"); return
        }
        #expect(second.problem.contains("not a text file"))
    }

    @Test func hugeFileIsRefusedBeforeParsing() throws {
        let huge = String(repeating: "# padding padding padding padding padding padding padding padding\n", count: 2000)
        let failure = try #require(error(huge))
        #expect(failure.problem.contains("limit"))
        // As read by the executable: at most ThemeFile.readLimit bytes (the disk side: ThemeFileSystemTests).
        let path = "/t/huge.toml"
        let read = ThemeFile(path: path, contents: .bytes(Array(huge.utf8.prefix(ThemeFile.readLimit))))
        guard case .failure(let fromDisk) = read.spec else { Issue.record("huge file read"); return }
        #expect(fromDisk.file == path && fromDisk.problem.contains("65536-byte limit"))
    }

    @Test(arguments: [
        ("text = 3.5", "text", "must be a string or an integer"),
        ("text = true", "text", "must be a string or an integer"),
        ("series = \"red\"", "series", "must be an array"),
        ("series = []", "series", "needs 1 to 16"),
        ("ramp = [\"red\"]", "ramp", "needs 2 to 32"),
        ("inherits = 7", "inherits", "must be a string"),
        ("name = \"../etc\"", "name", "not a theme name"),
        ("accent = { color = \"red\", attrs = \"bold\" }", "accent.attrs", "must be an array"),
        ("accent = { color = \"red\", attrs = [\"blink\"] }", "accent.attrs", "bold, dim, reverse, underline"),
        ("accent = { ansi16 = \"red\" }", "accent", "needs a 'color'"),
        ("accent = { color = \"red\", colour = \"red\" }", "accent.colour", "unknown field"),
        ("accent = { color = \"red\", ansi8 = \"bright-red\" }", "accent.ansi8", "8 normal ANSI"),
        ("accent = { color = \"red\", ansi16 = \"#ff0000\" }", "accent.ansi16", "16 ANSI"),
        ("assumed-background = \"default\"", "assumed-background", "real colour"),
        ("series-glyphs = [\"ab\"]", "series-glyphs", "one-character"),
        ("series-glyphs-ascii = [\"●\"]", "series-glyphs-ascii", "printable ASCII"),
        ("ramp-glyphs-ascii = []", "ramp-glyphs-ascii", "array of 1 to 32"),
        ("series = [\"red\", { color = 999 }]", "series.1.color", "not in 0...255"),
    ])
    func wrongTypesNameTheKeyAndLine(entry: (String, String, String)) throws {
        let text = "# a theme\nsummary = \"test\"\n\(entry.0)\n"
        let failure = try #require(error(text), "\(entry.0) parsed")
        #expect(failure.key == entry.1)
        #expect(failure.line == 3, "\(failure)")
        #expect(failure.problem.contains(entry.2), "\(failure)")
    }

    @Test(arguments: ["\"#12345g\"", "256", "\"purpleish\"", "-1", "\"\""])
    func badColoursAreRefused(value: String) throws {
        let failure = try #require(error("inherits = \"default\"\n\nborder = \(value)\n"))
        #expect(failure.key == "border" && failure.line == 3, "\(failure)")
    }

    /// toml++ aborts on some malformed input ('}' in an array, '[' at end of file); the subset check refuses it first.
    @Test(arguments: ["series = [}]", "series = [\"red\",\n }]", "ramp = [1, 2, { color = 3 ]", "[", "[\n", "a = 1__2",
                      "a = \"\"\"x\"\"\"", "a = 1979-05-27", "a = [[[[[[[[[[1]]]]]]]]]]", "a = {b = 1,}", "a.", "a = \"x\ny\""])
    func mismatchedBracketsAreRefusedBeforeTOMLKit(text: String) throws {
        let failure = try #require(error("summary = \"s\"\n" + text))
        #expect(failure.line ?? 0 >= 2 && failure.problem.hasPrefix("TOML syntax: "), "\(failure)")
    }

    @Test func bracketsInStringsAndCommentsAreNotMismatches() throws {
        let text = "summary = \"a]}\\\"}\" # ]}\nx = [ # }\n  '}', \"]\",\n '[]', # ]\n]\ny = { z = \"]\" }\n"
        #expect(TOMLSubsetCheck.firstProblem(in: text) == nil)
        // The same text with one stray bracket outside a string is caught, on its line.
        #expect(TOMLSubsetCheck.firstProblem(in: text + "w = [1, }]\n")?.line == 7)
        // TOMLKit reads it all: the first complaint is the unknown role x, not syntax.
        #expect(error(text)?.description == "/t/x.toml:2 x: unknown role (known: background, text, muted, accent, border, selection, healthy, vanishing, exploding, non-finite, saturated, series, ramp)")
    }

    @Test func unknownRoleIsNamed() throws {
        let failure = try #require(error("inherits = \"default\"\ntxet = \"#ffffff\"\n"))
        #expect(failure.description.hasPrefix("/t/x.toml:2 txet: unknown role"))
    }

    @Test func duplicateKeysAndTablesAreSyntaxErrors() throws {
        let failure = try #require(error("text = \"red\"\ntext = \"blue\"\n"))
        #expect(failure.line == 2 && failure.problem.hasPrefix("TOML syntax"))
        // A [section] is the same as an inline table: a valid role entry.
        #expect(try parse("[text]\ncolor = \"red\"\nansi8 = \"red\"\n").get().roles[.text]?.fallback.ansi8 == .ansi(1))
    }

    func specs(_ files: [String: String]) throws -> [String: ThemeSpec] {
        var result: [String: ThemeSpec] = [:]
        for (name, text) in files { result[name] = try parse(text, file: "/t/\(name).toml").get() }
        return result
    }

    @Test func inheritanceCycleIsAnError() throws {
        let all = try specs(["a": "inherits = \"b\"\n", "b": "text = \"red\"\ninherits = \"c\"\n", "c": "inherits = \"a\"\n"])
        guard case .failure(let failure) = ThemeInheritance.resolve(all["a"]!, among: all) else {
            Issue.record("cycle resolved"); return
        }
        // Blamed on the theme skipped (a), naming the link that closes the cycle (c).
        #expect(failure.problem == "its ancestor 'c' (/t/c.toml:1) closes an inheritance cycle: a -> b -> c -> a")
        #expect(failure.key == "inherits" && failure.file == "/t/a.toml" && failure.line == 1)
        guard case .failure(let direct) = ThemeInheritance.resolve(all["c"]!, among: all) else { Issue.record(); return }
        #expect(direct.problem == "its ancestor 'b' (/t/b.toml:2) closes an inheritance cycle: c -> a -> b -> c")
        #expect(direct.file == "/t/c.toml")
        let selfish = try specs(["s": "inherits = \"s\""])
        guard case .failure(let own) = ThemeInheritance.resolve(selfish["s"]!, among: selfish) else { Issue.record(); return }
        #expect(own.problem == "inherits from itself (no other theme is named 's')" && own.file == "/t/s.toml")
    }

    @Test func deepInheritanceIsAnError() throws {
        var files: [String: String] = ["t0": "inherits = \"default\"\n"]
        for level in 1...12 { files["t\(level)"] = "inherits = \"t\(level - 1)\"\n" }
        let all = try specs(files)
        guard case .failure(let failure) = ThemeInheritance.resolve(all["t12"]!, among: all) else {
            Issue.record("deep chain resolved"); return
        }
        #expect(failure.problem.contains("deeper than 8") && failure.file == "/t/t12.toml" && failure.line == 1)
        // Eight levels are fine.
        #expect((try? ThemeInheritance.resolve(all["t6"]!, among: all).get()) != nil)
    }

    /// A 12-theme chain whose root chain0 is missing: each theme is skipped in its own file's name, the message
    /// naming chain1 (the file that names the missing parent); past 8 levels the depth is the reason.
    @Test func missingRootOfAChainIsBlamedOnTheRightFiles() throws {
        var files: [String: String] = [:]
        for level in 1...12 { files["chain\(level)"] = "summary = \"s\"\ninherits = \"chain\(level - 1)\"\n" }
        let all = try specs(files)
        for level in 1...12 {
            guard case .failure(let failure) = ThemeInheritance.resolve(all["chain\(level)"]!, among: all) else {
                Issue.record("chain\(level) resolved"); continue
            }
            #expect(failure.file == "/t/chain\(level).toml" && failure.line == 2 && failure.key == "inherits")
            if level == 1 {
                #expect(failure.problem == "inherits from unknown theme 'chain0'")
            } else if level <= 9 {
                #expect(failure.problem == "its ancestor 'chain1' (/t/chain1.toml:2) inherits from unknown theme 'chain0'")
            } else {
                #expect(failure.problem.hasPrefix("inheritance deeper than 8 levels: chain\(level) -> "), "\(failure)")
            }
        }
    }

    /// "a\u0000b" would reach the TOML library's C string and load as "a": control escapes in names are refused.
    @Test func controlCharacterEscapesInNamesAreRefused() throws {
        for text in ["name = \"a\\u0000b\"\n", "inherits = \"default\"\nname = \"x\\u001b[31m\"\n",
                     "inherits = \"de\\U0000009bfault\"\n", "name = 'a\\u0000b'\n"] {
            guard case .failure(let failure) = parse(text) else { Issue.record("parsed: \(text)"); continue }
            #expect(failure.problem.hasPrefix("control character escape"), "\(failure)")
        }
        #expect(error("name = \"a\\u0000b\"\n")?.line == 1 && error("name = \"a\\u0000b\"\n")?.key == "name")
        // An escaped backslash followed by "u0000" is text; summaries keep their escapes (shown as "?").
        #expect(ThemeParser.linesOfControlEscapes(in: "summary = \"C:\\\\u0000 \\u00e9\"\n").isEmpty)
        #expect(ThemeParser.linesOfControlEscapes(in: "a = 1\nsummary = \"\\u0007\"\nb = \"\\u001b\\u001b\"\n") == [2, 3])
    }

    @Test func unknownParentAndMissingRolesAreErrors() throws {
        let all = try specs(["orphan": "inherits = \"nope\"\n", "bare": "text = \"red\"\n"])
        guard case .failure(let orphan) = ThemeInheritance.resolve(all["orphan"]!, among: all) else { Issue.record(); return }
        #expect(orphan.description == "/t/orphan.toml:1 inherits: inherits from unknown theme 'nope'")
        guard case .failure(let bare) = ThemeInheritance.resolve(all["bare"]!, among: all) else { Issue.record(); return }
        #expect(bare.problem.contains("inherits nothing") && bare.key == "background")
    }

    /// Random mutations of a good file: every outcome is a value (spec or located error), never a trap.
    /// 600 mutations of each bundled file (before TOMLSubsetCheck, mutations of light.toml made toml++ abort).
    @Test(arguments: ThemeBundledTests.required)
    func mutatedFilesNeverTrap(name: String) throws {
        let good = Array(try String(contentsOfFile: ThemeTestSupport.bundledDirectory + "/\(name).toml", encoding: .utf8).utf8)
        var generator = Xorshift(seed: 0x5EED &+ UInt64(name.utf8.count))
        let alphabet = Array("=[]{}\"'#,.\n 0123456789abcdefx-\\u".utf8)
        var failures = 0
        for _ in 0..<600 {
            var bytes = good
            for _ in 0..<Int(generator.next() % 6 + 1) {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: position)
                }
            }
            if case .failure(let failure) = ThemeParser.parse(bytes: bytes, file: "/t/m.toml") {
                failures += 1
                #expect(failure.file == "/t/m.toml" && !failure.problem.isEmpty && !failure.description.contains("\n"))
            }
        }
        #expect(failures > 200)   // most mutations break the file
    }
}

/// A tiny deterministic generator for the mutation test.
struct Xorshift {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return state
    }
}

@Suite struct ThemeGlyphTests {
    @Test func glyphsCycleAndPickTheASCIISet() throws {
        let spec = try ThemeParser.parse(text: "inherits = \"default\"\nseries-glyphs-ascii = [\"a\", \"b\"]\n", file: "/t/g.toml").get()
        let theme = try ThemeInheritance.resolve(spec, among: [:]).get()
        #expect(theme.seriesGlyph(0) == "●" && theme.seriesGlyph(7) == "▲")
        #expect(theme.seriesGlyph(0, ascii: true) == "a" && theme.seriesGlyph(3, ascii: true) == "b")
        #expect(theme.seriesGlyph(-1, ascii: true) == "b")
        #expect(theme.rampGlyph(fraction: 0) == " " && theme.rampGlyph(fraction: 1) == "█")
        #expect(theme.rampGlyph(fraction: 0.5, ascii: true) == ":" && theme.rampGlyph(fraction: .nan, ascii: true) == " ")
        #expect(theme.rampGlyph(fraction: .infinity) == "█" && theme.rampGlyph(fraction: -.infinity) == " " && theme.rampGlyph(fraction: 7) == "█")
        #expect(theme.rampColor(fraction: 0.99) == theme.ramp.last && theme.rampColor(fraction: 0.19) == theme.ramp.first)
    }
}

@Suite struct ThemeFileEncodingTests {
    @Test func byteOrderMarkAndCRLFAreAccepted() throws {
        let text = "\u{FEFF}inherits = \"default\"\r\n# note\r\ntext = \"#ffffff\"\r\nseries = [\r\n  \"red\",\r\n  \"blue\",\r\n]\r\n"
        let spec = try ThemeParser.parse(bytes: Array(text.utf8), file: "/t/win.toml").get()
        #expect(spec.roles[.text]?.color == .rgb(255, 255, 255) && spec.series?.count == 2)
        #expect(spec.lineOfKey["series"] == 4)
    }

    @Test func lineNumbersCountCRLFLines() throws {
        let failure = ThemeParser.parse(text: "inherits = \"default\"\r\n\r\naccent = \"nope\"\r\n", file: "/t/w.toml")
        guard case .failure(let error) = failure else { Issue.record("parsed"); return }
        #expect(error.line == 3 && error.key == "accent")
    }
}
