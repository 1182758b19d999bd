// StandardStreams: a write to a closed pipe reports failure instead of trapping (Foundation's FileHandle traps).
import Glibc
import Testing
@testable import initscope

@Test func writingToAClosedPipeFailsWithoutTrapping() {
    _ = signal(SIGPIPE, SIG_IGN)   // as the live view runs: EPIPE instead of a signal
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    #expect(StandardStreams.write("written\n", to: ends[1]))
    var buffer = [UInt8](repeating: 0, count: 16)
    #expect(read(ends[0], &buffer, 16) == 8 && String(decoding: buffer.prefix(8), as: UTF8.self) == "written\n")
    close(ends[0])
    #expect(!StandardStreams.write("lost\n", to: ends[1]))
    close(ends[1])
}
