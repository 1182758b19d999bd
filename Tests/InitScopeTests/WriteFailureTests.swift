// Output that cannot be written (full disk, closed pipe, a folder or a missing folder as a file) is reported, never
// lost in silence: BufferedOutput and StandardStreams.writeFile name the reason; the live view's --stats-file
// failure turns a quit into status 74.
import Foundation
import Glibc
import Testing
@testable import initscope

@Test func aBufferedOutputToAFullDeviceThrowsOneLineWithTheReason() throws {
    let descriptor = open("/dev/full", O_WRONLY)
    guard descriptor >= 0 else { return }   // no /dev/full here
    defer { close(descriptor) }
    let output = BufferedOutput(descriptor: descriptor, capacity: 8)
    output.write("more than eight bytes")
    #expect(output.failed && output.errorNumber == ENOSPC)
    output.write("dropped")
    do {
        try output.finish(writing: "the theme list")
        Issue.record("finish did not throw")
    } catch let error as OutputWriteError {
        #expect(error.description == "could not write the theme list to standard output (No space left on device)")
    }
}

@Test func aBufferedOutputToAClosedPipeFailsWithBrokenPipe() throws {
    _ = signal(SIGPIPE, SIG_IGN)   // as main.swift does for every command
    var ends: [Int32] = [0, 0]
    try #require(pipe(&ends) == 0)
    close(ends[0])
    defer { close(ends[1]) }
    let output = BufferedOutput(descriptor: ends[1])
    output.write("lost\n")
    #expect(throws: OutputWriteError.self) { try output.finish(writing: "the report") }
    #expect(output.errorNumber == EPIPE)
}

@Test func writingAFileReportsFullDevicesFoldersAndMissingFolders() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("initscope-write-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    if FileManager.default.isWritableFile(atPath: "/dev/full") {
        #expect(StandardStreams.writeFile("x\n", path: "/dev/full") == "could not write /dev/full (No space left on device)")
    }
    #expect(StandardStreams.writeFile("x\n", path: folder.path)?.contains("Is a directory") == true)
    let missing = folder.appendingPathComponent("missing/stats.txt").path
    #expect(StandardStreams.writeFile("x\n", path: missing) == "could not open \(missing) for writing (No such file or directory)")
    let good = folder.appendingPathComponent("stats.txt").path
    #expect(StandardStreams.writeFile("frames 3\n", path: good) == nil)
    #expect(try String(contentsOfFile: good, encoding: .utf8) == "frames 3\n")
}

@Test func aQuitWhoseStatisticsFileFailedExitsWithStatus74() {
    let failed = SessionResult(exit: .quit, statistics: LoopStatistics(), statisticsFileFailure: "could not write /dev/full")
    #expect(failed.exitStatus == 74)
    #expect(SessionResult(exit: .quit, statistics: LoopStatistics()).exitStatus == 0)
    // A signal keeps its own status.
    #expect(SessionResult(exit: .signal(15), statistics: LoopStatistics(), statisticsFileFailure: "x").exitStatus == 143)
}
