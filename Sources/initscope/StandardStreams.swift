// Writing to stdout and stderr without ever trapping: Foundation's FileHandle.write(Data) stops the process
// when the write fails (EIO on a terminal whose SSH link dropped, EPIPE on a closed pipe).
#if canImport(Glibc)
import Glibc
#endif

/// Plain writes to the standard streams that report failure instead of crashing.
enum StandardStreams {
    /// Writes `text` to standard output; false when it could not all be written.
    @discardableResult
    static func writeOutput(_ text: String) -> Bool { write(text, to: STDOUT_FILENO) }

    /// Writes one line (a newline is added) to standard error; false when it could not be written.
    @discardableResult
    static func writeErrorLine(_ line: String) -> Bool { write(line + "\n", to: STDERR_FILENO) }

    /// Writes all of `text`'s UTF-8 bytes to `descriptor`, retrying partial writes and EINTR.
    static func write(_ text: String, to descriptor: Int32) -> Bool {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }
}
