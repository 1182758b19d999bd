// Lecture files: the shipped lecture parses, scenes inherit and reset with the architecture, and every kind of bad
// input is one located problem (file, line, key) rather than a trap.
import Foundation
import Testing
@testable import ScopeUI
import SignalFlow

@Suite struct LectureParserTests {
    /// A small valid lecture; scenes 2 and 3 inherit.
    static let valid = """
        title = "test lecture"

        [[scene]]
        title = "one"
        activation = "tanh"
        init = ["normal:1"]
        depth = 20
        width = 64
        batch = 32
        caption = "{saturated} saturated at layer {depth}."

        [[scene]]
        title = "two"
        init = "normal:1,xavier"
        focus = "xavier"
        layer = 3
        panels = ["histograms", "stats"]
        caption = "From {first} to {last}. Compare {last@normal:1}!"

        [[scene]]
        title = "three"
        arch = "transformer"
        caption = "A transformer of {depth} blocks."
        """

    func parse(_ text: String) -> Result<Lecture, LectureError> { LectureParser.parse(text: text, file: "/t/talk.toml") }

    func failure(_ text: String) -> LectureError? {
        if case .failure(let error) = parse(text) { return error }
        return nil
    }

    @Test func theShippedLectureParsesWithEveryScene() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lectures/initialization.toml")
        let bytes = [UInt8](try Data(contentsOf: url))
        let lecture = try LectureParser.parse(bytes: bytes, file: url.path).get()
        #expect(lecture.scenes.count == 16)
        // The edge of chaos on the phase map, dynamical isometry on the spectrum (two scenes); the others keep the histograms.
        #expect(lecture.scenes.filter { $0.lowerPanel != .histograms }.map(\.title)
                == ["Xavier: the edge of chaos", "dynamical isometry: orthogonal + tanh", "Gaussian weights: the spectrum spreads"])
        #expect(lecture.scenes.filter { $0.lowerPanel != .histograms }.map(\.lowerPanel) == [.phaseMap, .spectrum, .spectrum])
        #expect(lecture.scenes.first?.scenario.activation == .tanh && lecture.scenes.first?.focusName == "normal:1")
        #expect(lecture.scenes.map(\.scenario.architecture.name).suffix(3) == ["transformer", "transformer", "mlp"])
        // It ends with a training comparison, the only training scene: ReLU, small weights vs Xavier vs He.
        #expect(lecture.scenes.indices.filter { lecture.scenes[$0].training != nil } == [15])
        let training = try #require(lecture.scenes.last?.trainingConfiguration)
        #expect(training.optimizer.kind == .momentum && training.learningRate == 0.01 && training.steps == 200)
        #expect(lecture.scenes.last?.scenario.initializers.map(\.name) == ["normal:0.1", "xavier", "he"])
        #expect(lecture.scenes.allSatisfy { $0.captionLineEstimate(width: 80) <= 3 })
    }

    @Test func spectrumAndPhaseMapTakeTheHistogramsPlaceAndAreInherited() throws {
        let text = """
            title = "t"

            [[scene]]
            title = "a"
            panels = ["phase-map", "stats"]
            caption = "A."

            [[scene]]
            title = "b"
            caption = "B."

            [[scene]]
            title = "c"
            panels = ["histograms"]
            caption = "C."
            """
        let scenes = try parse(text).get().scenes
        #expect(scenes.map(\.lowerPanel) == [.phaseMap, .phaseMap, .histograms])
        #expect(scenes[0].panels == [.histograms, .stats] && scenes[2].panels == [.histograms])
        guard case .failure(let error) = parse(text.replacingOccurrences(of: "phase-map", with: "phasemap")) else {
            Issue.record("phasemap accepted"); return
        }
        #expect("\(error)".contains("panels are histograms, heatmaps, stats, spectrum, phase-map"), "\(error)")
    }

    @Test func scenesInheritAndAnArchitectureChangeResetsItsSettings() throws {
        let lecture = try parse(Self.valid).get()
        #expect(lecture.title == "test lecture" && lecture.scenes.count == 3)
        let (one, two, three) = (lecture.scenes[0], lecture.scenes[1], lecture.scenes[2])
        #expect(one.scenario.depth == 20 && one.scenario.width == 64 && one.scenario.batch == 32 && one.scenario.seed == 7)
        #expect(one.selectedLayer == 20 && one.panels == .all && one.line == 3)
        // Two changes the rows and the focus, keeps the sizes.
        #expect(two.scenario.depth == 20 && two.scenario.initializers.map(\.name) == ["normal:1", "xavier"])
        #expect(two.focusedRow == 1 && two.selectedLayer == 3 && two.panels == [.histograms, .stats] && two.line == 12)
        #expect(two.caption.rowsNamed == ["normal:1"])
        // Three switches to the transformer: its sizes and rows, not the MLP's; the activation and panels are kept.
        #expect(three.scenario.architecture.transformer != nil)
        #expect(three.scenario.depth == 12 && three.scenario.width == 256 && three.scenario.batch == 8)
        #expect(three.scenario.initializers.map(\.name) == ["xavier", "gpt2", "t-fixup", "deepnorm"])
        #expect(three.scenario.activation == .tanh && three.panels == [.histograms, .stats] && three.focusedRow == 0)
    }

    @Test func inheritFalseStartsFromTheDefaults() throws {
        let text = Self.valid.replacingOccurrences(of: "title = \"two\"", with: "title = \"two\"\ninherit = false")
        let two = try parse(text).get().scenes[1]
        #expect(two.scenario.depth == 50 && two.scenario.width == 512 && two.scenario.batch == 256)
    }

    /// Each broken input, the line and key the message names, and words of the problem.
    static let broken: [(edit: @Sendable (String) -> String, line: Int?, key: String?, words: String)] = [
        ({ $0.replacingOccurrences(of: "title = \"test lecture\"\n", with: "") }, 1, "title", "missing"),
        ({ "colour = 1\n" + $0 }, 1, "colour", "unknown key"),
        ({ _ in "title = \"x\"\n" }, nil, nil, "no scene"),
        ({ _ in "title = \"x\"\n[scene]\ntitle = \"a\"\n" }, 2, "scene", "[[scene]]"),
        ({ $0.replacingOccurrences(of: "depth = 20", with: "depth = \"20\"") }, 7, "depth", "must be an integer"),
        ({ $0.replacingOccurrences(of: "depth = 20", with: "depth = 0") }, 7, "depth", "1..."),
        ({ $0.replacingOccurrences(of: "depth = 20", with: "dpeth = 20") }, 7, "dpeth", "scene 1: unknown key"),
        ({ $0.replacingOccurrences(of: "activation = \"tanh\"", with: "activation = \"tanx\"") }, 5, "activation", "tanx"),
        ({ $0.replacingOccurrences(of: "init = [\"normal:1\"]", with: "init = [\"normal:abc\"]") }, 6, "init", "normal:abc"),
        ({ $0.replacingOccurrences(of: "init = \"normal:1,xavier\"", with: "init = \"xavier,xavier\"") }, 14, "init", "twice"),
        ({ $0.replacingOccurrences(of: "focus = \"xavier\"", with: "focus = \"he\"") }, 15, "focus", "not one of this scene's rows"),
        ({ $0.replacingOccurrences(of: "layer = 3", with: "layer = 21") }, 16, "layer", "beyond the depth 20"),
        ({ $0.replacingOccurrences(of: "layer = 3", with: "layer = \"middle\"") }, 16, "layer", "\"first\", \"last\""),
        ({ $0.replacingOccurrences(of: "[\"histograms\", \"stats\"]", with: "[\"graphs\"]") }, 17, "panels", "histograms, heatmaps, stats"),
        ({ $0.replacingOccurrences(of: "{first}", with: "{frist}") }, 18, "caption", "unknown placeholder {frist}"),
        ({ $0.replacingOccurrences(of: "{first}", with: "{first") }, 18, "caption", "not closed"),
        ({ $0.replacingOccurrences(of: "{last@normal:1}", with: "{last@he}") }, 18, "caption", "names no row"),
        ({ $0.replacingOccurrences(of: "at layer {depth}.", with: "at layer {depth}. A. B. C.") }, 10, "caption", "1 to 3 sentences"),
        ({ $0.replacingOccurrences(of: "at layer {depth}.", with: "at layer {depth}") }, 10, "caption", "this one has 0"),
        ({ $0.replacingOccurrences(of: "at layer {depth}.", with: String(repeating: "{first} and ", count: 25) + "end.") }, 10, "caption", "lines at 80 columns"),
        ({ $0.replacingOccurrences(of: "title = \"two\"", with: "title = \"two\"\nnorm = \"layer\"") }, 14, "norm", "resnet"),
        ({ $0.replacingOccurrences(of: "title = \"two\"", with: "title = \"two\"\ntokens = 8") }, 14, "tokens", "\"transformer\" only"),
        ({ $0.replacingOccurrences(of: "title = \"one\"", with: "title = \"one\"\ninherit = true") }, 5, "inherit", "first scene"),
        ({ $0.replacingOccurrences(of: "init = [\"normal:1\"]", with: "init = [\"fixup\"]") }, 3, nil, "fixup"),
        ({ $0.replacingOccurrences(of: "caption = \"A transformer", with: "heads = 5\ncaption = \"A transformer") }, 20, nil, "heads"),
        ({ $0.replacingOccurrences(of: "title = \"three\"", with: "title = \"\"") }, 21, "title", "empty"),
        ({ $0.replacingOccurrences(of: "title = \"three\"\n", with: "") }, 20, nil, "missing title"),
        ({ $0.replacingOccurrences(of: "batch = 32", with: "batch = [32") }, 10, "caption", "TOML syntax"),
        ({ $0.replacingOccurrences(of: "[[scene]]\ntitle = \"two\"", with: "[[scene]\ntitle = \"two\"") }, 12, nil, "']]'"),
    ]

    @Test(arguments: broken.indices)
    func eachProblemNamesItsLineAndKey(index: Int) {
        let case_ = Self.broken[index]
        guard let error = failure(case_.edit(Self.valid)) else { Issue.record("case \(index) parsed"); return }
        #expect(error.file == "/t/talk.toml")
        #expect(error.line == case_.line, "case \(index): \(error)")
        #expect(error.key == case_.key, "case \(index): \(error)")
        #expect(error.problem.contains(case_.words), "case \(index): \(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test func bytesThatAreNoTextAreRefused() {
        guard case .failure(let error) = LectureParser.parse(bytes: [0x74, 0x00, 0x31], file: "/t/b.toml") else {
            Issue.record("NUL bytes parsed"); return
        }
        #expect(error.problem.contains("not a text file"))
        let big = [UInt8](repeating: 0x23, count: TOMLDocument.maximumFileBytes + 1)
        guard case .failure(let tooBig) = LectureParser.parse(bytes: big, file: "/t/b.toml") else { Issue.record("parsed"); return }
        #expect(tooBig.problem.contains("limit"))
    }

    @Test func aLectureFileThatCannotBeReadSaysWhy() {
        #expect(LectureFile(path: "/t/none.toml", contents: .missing).lecture == .failure(LectureError(file: "/t/none.toml", problem: "no such file")))
        guard case .failure(let error) = LectureFile(path: "/t/x.toml", contents: .unreadable(reason: "Permission denied")).lecture else {
            Issue.record("read"); return
        }
        #expect(error.isReadFailure && error.description == "/t/x.toml: could not be read (Permission denied)")
    }

    @Test func arrayOfTablesPassesTheSubsetCheckOnlyWhenWellFormed() {
        #expect(TOMLSubsetCheck.firstProblem(in: "[[scene]]\na = 1\n[[scene]]\n") == nil)
        #expect(TOMLSubsetCheck.firstProblem(in: "[[scene]\n")?.line == 1)
        #expect(TOMLSubsetCheck.firstProblem(in: "a = 1\n[[ ]]\n")?.line == 2)
        #expect(TOMLSubsetCheck.firstProblem(in: "[[[[4") != nil)
    }

    @Test func sectionsKnowTheLinesOfTheirKeys() {
        let sections = TOMLDocument.sections(in: "t = 1\n[[scene]]\na = 2\n\n[[scene]]\n  a = 3\nb = [\n  \"x = y\",\n]\n")
        #expect(sections.count == 3)
        #expect(sections[0].keyLines == ["t": 1] && sections[1].keyLines == ["a": 3] && sections[2].keyLines == ["a": 6, "b": 7])
        #expect(sections[2].line == 5 && sections[2].isArrayTable && sections[2].name == "scene")
    }

    @Test func catalogPathsAndNames() {
        #expect(LectureCatalog.candidatePaths(for: nil, userDirectory: "/u", bundledDirectories: ["/b"])
                == ["/u/initialization.toml", "/b/initialization.toml"])
        #expect(LectureCatalog.candidatePaths(for: "./mine.toml", userDirectory: "/u", bundledDirectories: ["/b"]) == ["./mine.toml"])
        #expect(LectureCatalog.candidatePaths(for: "..", userDirectory: "/u", bundledDirectories: ["/b"]).isEmpty)
        #expect(LectureCatalog.userDirectory(environment: ["XDG_DATA_HOME": "/x"]) == "/x/initscope/lectures")
        #expect(LectureCatalog.userDirectory(environment: ["HOME": "/h"]) == "/h/.local/share/initscope/lectures")
        #expect(LectureCatalog.bundledDirectoryCandidates(executablePath: "/p/bin/initscope").prefix(2) == ["/p/bin/Lectures", "/p/bin/share/initscope/lectures"])
        #expect(LectureCatalog.names(in: ["b.toml", ".x.toml", "a.toml", "README.md"]) == ["a", "b"])
    }

    /// Random mutations of the shipped lecture: every outcome is a lecture or one located line, never a trap; a
    /// lecture that still parses opens and draws its first and last scenes.
    @Test func mutatedLecturesNeverTrap() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lectures/initialization.toml")
        let good = [UInt8](try Data(contentsOf: url))
        var generator = Xorshift(seed: 0x1EC7)
        let alphabet = Array("=[]{}\"'#,.@\n 0123456789abcdefx-\\u".utf8)
        var failures = 0
        for _ in 0..<400 {
            var bytes = good
            for _ in 0..<Int(generator.next() % 4 + 1) {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: position)
                }
            }
            switch LectureParser.parse(bytes: bytes, file: "/t/m.toml") {
            case .failure(let failure):
                failures += 1
                #expect(failure.file == "/t/m.toml" && !failure.problem.isEmpty && !failure.description.contains("\n"))
            case .success(let lecture):
                var state = AppState(lecture: lecture, width: 80, height: 24)
                _ = update(&state, .start)
                _ = view(state)
                for _ in lecture.scenes { _ = update(&state, .key(.character("n"))) }
                #expect(view(state).lines[0].hasPrefix("scene \(lecture.scenes.count)/"))
            }
        }
        #expect(failures > 100)
    }
}
