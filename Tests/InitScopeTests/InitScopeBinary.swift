// The initscope binary of this very build, for tests that run it in a process of its own.
import Foundation
import Testing

/// Where the executable product of this build is.
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
}
