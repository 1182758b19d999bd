// The initscope binary of this very build, for tests that run it in a process of its own.
import Foundation
import Testing

/// Where the executable product of this build is, and one way to run it.
enum InitScopeBinary {
    /// The initscope binary of this very build: the executable product SwiftPM builds beside the test bundle (same
    /// configuration, same scratch path), never whichever binary in .build happens to be newest.
    static func url() throws -> URL {
        let testExecutable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testExecutable.deletingLastPathComponent()
        // The test executable lives in <bin>/initscopePackageTests.xctest (a file on Linux, a bundle elsewhere).
        while directory.path != "/" && !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("initscope").path) {
            if directory.lastPathComponent.hasSuffix(".build") || directory.pathComponents.count <= 2 { break }
            directory = directory.deletingLastPathComponent()
        }
        let binary = directory.appendingPathComponent("initscope")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "no initscope beside \(testExecutable.path)")
        return binary
    }

    /// What one run of the binary gave: its exit status, its standard output (bytes) and its standard error (text).
    struct Outcome {
        let status: Int32
        let stdout: Data
        let stderr: String
        /// Standard output decoded as UTF-8.
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `initscope arguments...` to its end with this process's environment plus `environment` (which wins),
    /// collecting standard output and standard error; `standardOutput`, if given, receives standard output instead
    /// (the outcome's stdout is then empty). Both pipes are drained at once, so neither can fill and stall the child.
    static func run(_ arguments: [String], environment: [String: String] = [:],
                    standardOutput: FileHandle? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = try url()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        let out = Pipe(), err = Pipe()
        process.standardOutput = standardOutput ?? out
        process.standardError = err
        try process.run()
        let errorReader = PipeReader(err.fileHandleForReading)
        let stdout = standardOutput == nil ? out.fileHandleForReading.readDataToEndOfFile() : Data()
        let stderr = String(decoding: errorReader.wait(), as: UTF8.self)
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
}

/// Reads a pipe to its end on a thread of its own; `wait()` returns what it read.
private final class PipeReader: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()   // written by the reading thread before `done` is signalled, read after

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
