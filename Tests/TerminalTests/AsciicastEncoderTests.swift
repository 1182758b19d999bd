// --record's asciicast v2 lines: every line is one JSON value, control bytes escaped, and the event text is valid
// UTF-8 however the terminal output was cut into writes (an incomplete sequence waits for its end). The recording
// file is written off the caller's thread and never blocks it, even when the disk stops taking bytes.
import Foundation
import Testing
@testable import Terminal

@Suite struct AsciicastEncoderTests {
    /// The text of an "o" event line (parsed as JSON), nil when the line is not [number, "o", string].
    private func outputText(_ line: String) -> String? {
        guard let array = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], array.count == 3,
              array[0] is NSNumber, array[1] as? String == "o" else { return nil }
        return array[2] as? String
    }

    @Test func controlBytesQuotesAndBackslashesAreEscaped() {
        var encoder = AsciicastEncoder()
        let bytes: [UInt8] = Array("\u{1B}[2J\r\n\t\"q\\\u{7F}".utf8) + [0x00, 0x08, 0x0C, 0x1F]
        let line = encoder.output(bytes, microseconds: 1_500_000)
        #expect(line == #"[1.500000, "o", "\u001b[2J\r\n\t\"q\\\u007f\u0000\b\f\u001f"]"#)
        #expect(outputText(line!) == String(decoding: bytes, as: UTF8.self))
    }

    @Test func aSequenceSplitAcrossWritesIsHeldBackUntilItsEnd() {
        var encoder = AsciicastEncoder()
        // "A█B": █ is E2 96 88, cut after its first byte.
        #expect(encoder.output([0x41, 0xE2], microseconds: 10) == #"[0.000010, "o", "A"]"#)
        #expect(encoder.heldBack == [0xE2])
        #expect(encoder.output([0x96, 0x88, 0x42], microseconds: 20) == #"[0.000020, "o", "█B"]"#)
        #expect(encoder.heldBack.isEmpty)
        // A four-byte emoji one byte per write: nothing until the last byte.
        let emoji = Array("😀".utf8)
        for byte in emoji.dropLast() { #expect(encoder.output([byte], microseconds: 30) == nil) }
        #expect(encoder.output([emoji.last!], microseconds: 40) == #"[0.000040, "o", "😀"]"#)
        #expect(encoder.finish(microseconds: 50) == nil)
    }

    @Test func bytesThatCanNeverBeUTF8BecomeReplacementCharacters() {
        var encoder = AsciicastEncoder()
        // 0xFF and 0xC0 never start a sequence, a lone continuation byte never continues one: none is held back.
        #expect(outputText(encoder.output([0xFF, 0x41, 0xC0], microseconds: 0)!) == "\u{FFFD}A\u{FFFD}")
        #expect(outputText(encoder.output([0x80], microseconds: 0)!) == "\u{FFFD}")
        #expect(encoder.heldBack.isEmpty)
        // A sequence that never ends is one U+FFFD at the finish.
        #expect(encoder.output([0x41, 0xE2, 0x96], microseconds: 7) == #"[0.000007, "o", "A"]"#)
        #expect(encoder.finish(microseconds: 9) == #"[0.000009, "o", "\#u{FFFD}"]"#)
        #expect(encoder.finish(microseconds: 9) == nil)
    }

    /// Whatever the cuts, the events' texts joined are the stream decoded whole, and each line is valid JSON.
    @Test func anyCutOfAMixedStreamDecodesAsTheWholeStream() {
        let pieces: [[UInt8]] = [Array("\u{1B}[38;2;1;2;3m▁▂▃█ é 😀 ".utf8), [0xFF, 0xE2, 0x41, 0xF0, 0x9F], Array("\r\n\"\\".utf8)]
        let stream = Array(repeating: pieces.flatMap { $0 }, count: 40).flatMap { $0 }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            var encoder = AsciicastEncoder()
            var texts: [String] = []
            var start = 0
            while start < stream.count {
                let end = min(stream.count, start + Int.random(in: 1...9, using: &generator))
                if let line = encoder.output(stream[start..<end], microseconds: start) {
                    guard let text = outputText(line) else { Issue.record("not an event: \(line)"); return }
                    texts.append(text)
                }
                #expect(encoder.heldBack.count <= 3)
                start = end
            }
            if let line = encoder.finish(microseconds: stream.count) { texts.append(outputText(line) ?? "<bad line>") }
            #expect(texts.joined() == String(decoding: stream, as: UTF8.self))
        }
    }

    @Test func theHeaderIsOneJSONObjectWithSizeTimeTitleAndColours() throws {
        let line = AsciicastEncoder.header(width: 80, height: 24, unixSeconds: 1_764_583_423,
                                           title: "initscope live view, theme \"dark\"", environment: ["TERM": "xterm-256color"],
                                           foreground: RGBColor(0xE5, 0xE5, 0xE5), background: RGBColor(0, 0, 0x10),
                                           palette: XtermPalette.ansi)
        #expect(!line.contains("\n"))
        let header = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(header["version"] as? Int == 2)
        #expect(header["width"] as? Int == 80 && header["height"] as? Int == 24)
        #expect(header["timestamp"] as? Int == 1_764_583_423)
        #expect(header["title"] as? String == "initscope live view, theme \"dark\"")
        #expect((header["env"] as? [String: String])?["TERM"] == "xterm-256color")
        let theme = try #require(header["theme"] as? [String: String])
        #expect(theme["fg"] == "#e5e5e5" && theme["bg"] == "#000010")
        #expect(theme["palette"]?.split(separator: ":").count == 16)
        #expect(AsciicastEncoder.resize(width: 100, height: 30, microseconds: 2_000_001) == #"[2.000001, "r", "100x30"]"#)
    }
}

@Suite struct AsciicastRecordingTests {
    @Test func theFileHasTheHeaderThenResizeAndOutputEventsInOrder() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("asciicast-\(getpid()).cast").path
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        let recording = AsciicastRecording(fileDescriptor: fd, header: "{\"version\": 2}", startMicroseconds: 1_000_000,
                                           width: 80, height: 24)
        recording.append(Array("one".utf8), microseconds: 1_250_000, width: 80, height: 24)
        recording.append([0x74, 0xE2], microseconds: 1_500_000, width: 100, height: 30)
        recording.append([0x96, 0x88], microseconds: 2_000_000, width: 100, height: 30)
        #expect(recording.finish() == nil)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines == ["{\"version\": 2}", #"[0.250000, "o", "one"]"#, #"[0.500000, "r", "100x30"]"#,
                          #"[0.500000, "o", "t"]"#, #"[1.000000, "o", "█"]"#])
    }

    /// A file that takes nothing (a pipe nobody reads): appends return at once, the recording stops past its limit
    /// and says why; `finish` gives up after its timeout instead of hanging the quit.
    @Test func aStalledDiskStopsTheRecordingInsteadOfBlocking() throws {
        var fds: [Int32] = [-1, -1]
        try #require(pipe(&fds) == 0)
        let problems = ProblemCounter()
        let recording = AsciicastRecording(fileDescriptor: fds[1], header: "{}", startMicroseconds: 0, width: 80, height: 24,
                                           limitBytes: 256 << 10, onProblem: { problems.add() })
        let chunk = [UInt8](repeating: 0x41, count: 4096)
        let started = monotonicMicroseconds()
        for index in 0..<1000 { recording.append(chunk, microseconds: index * 1000, width: 80, height: 24) }
        let elapsed = monotonicMicroseconds() - started
        // 4 MB offered, the pipe takes 64 KiB: without the bound the appends would wait forever.
        #expect(elapsed < 2_000_000, "appends took \(elapsed) us")
        #expect(recording.problem?.hasPrefix("recording stopped at") == true)
        #expect(recording.problem?.contains("the disk is too slow") == true)
        #expect(problems.count == 1)
        let finishStarted = monotonicMicroseconds()
        #expect(recording.finish(timeoutMilliseconds: 200) != nil)
        #expect(monotonicMicroseconds() - finishStarted < 1_500_000)
        // Drain the pipe: the writer thread ends and closes its end (read then returns 0).
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while read(fds[0], &buffer, buffer.count) > 0 {}
        close(fds[0])
    }
}

/// Counts calls from any thread.
private final class ProblemCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}

@Suite struct OutputTeeTests {
    /// Curses' descriptor (here /dev/null's) becomes a pipe: what is written to it reaches the "terminal" (a pipe)
    /// and the sink, in order; after `stop` the descriptor writes to the terminal directly and the sink hears no more.
    @Test func everyByteReachesTheTerminalAndTheSinkUntilStop() throws {
        var terminal: [Int32] = [-1, -1]
        try #require(pipe(&terminal) == 0)
        let cursesDescriptor = open("/dev/null", O_WRONLY)
        try #require(cursesDescriptor >= 0)
        let heard = ByteCollector()
        let sink: OutputTee.Sink = { bytes, _, _, _ in heard.add(bytes) }
        let made = OutputTee(cursesDescriptor: cursesDescriptor, terminalDescriptor: terminal[1], sink: sink)
        let tee = try #require(made)
        for piece in ["hello ", "w", "orld \u{1B}[2J", "█"] {
            let bytes = Array(piece.utf8)
            #expect(write(cursesDescriptor, bytes, bytes.count) == bytes.count)
        }
        tee.stop()
        #expect(write(cursesDescriptor, "!", 1) == 1)
        close(terminal[1]); close(cursesDescriptor)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true { let count = read(terminal[0], &buffer, buffer.count); if count <= 0 { break }; received += buffer[0..<count] }
        close(terminal[0])
        #expect(String(decoding: received, as: UTF8.self) == "hello world \u{1B}[2J█!")
        #expect(String(decoding: heard.bytes, as: UTF8.self) == "hello world \u{1B}[2J█")
    }
}

/// Bytes gathered from any thread.
private final class ByteCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [UInt8] = []
    func add(_ bytes: [UInt8]) { lock.lock(); collected += bytes; lock.unlock() }
    var bytes: [UInt8] { lock.lock(); defer { lock.unlock() }; return collected }
}
