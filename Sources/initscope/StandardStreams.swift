// Writing to stdout, stderr and files without ever trapping: Foundation's FileHandle.write(Data) stops the process
// when the write fails (EIO on a terminal whose SSH link dropped, EPIPE on a closed pipe, ENOSPC on a full disk).
// Every command writes through here; a failed write becomes an `OutputWriteError`: one line on stderr, status 74.
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
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { writeAll($0, to: descriptor) } == 0
    }

    /// Writes all of `bytes` to `descriptor`, retrying partial writes and EINTR; 0 on success, else the errno of
    /// the failed write (EIO when the descriptor accepted nothing without saying why).
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if written == 0 { return EIO }
            offset += written
        }
        return 0
    }

    /// Writes `text` to the file at `path` (created with mode 0644 or truncated); nil on success, else one line
    /// naming the path and the system's reason. Never writes a temporary file beside `path` (it may be /dev/full).
    static func writeFile(_ text: String, path: String) -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return "could not open \(path) for writing (\(reason(errno)))" }
        let bytes = Array(text.utf8)
        let failure = bytes.withUnsafeBytes { writeAll($0, to: descriptor) }
        let closeFailure = close(descriptor) == 0 ? 0 : errno
        if failure != 0 { return "could not write \(path) (\(reason(failure)))" }
        if closeFailure != 0 { return "could not write \(path) (\(reason(closeFailure)))" }
        return nil
    }

    /// The system's text for an errno value ("No space left on device").
    static func reason(_ errorNumber: Int32) -> String { String(cString: strerror(errorNumber)) }
}

/// Output that could not be written (full disk, closed pipe, dropped terminal): `description` is the one line
/// printed on stderr; the process exits with `ExitStatus.ioError` (74, EX_IOERR).
struct OutputWriteError: Error, CustomStringConvertible {
    /// The one-line message, without the "initscope: " prefix.
    let description: String

    /// "could not write WHAT to standard output (REASON)".
    init(writing what: String, errorNumber: Int32) {
        description = "could not write \(what) to standard output (\(StandardStreams.reason(errorNumber)))"
    }

    /// A message as it stands.
    init(_ description: String) { self.description = description }
}

/// Text sent to a descriptor in chunks of about `capacity` bytes, so a long output is never held whole in memory.
/// After the first failed write the rest is dropped and `errorNumber` says why; `finish` reports it.
final class BufferedOutput: TextOutputStream {
    /// Where the bytes go (standard output by default).
    let descriptor: Int32
    /// Bytes gathered before a write.
    let capacity: Int
    private var pending: [UInt8] = []
    /// errno of the first failed write; nil while every write succeeded.
    private(set) var errorNumber: Int32?

    /// A buffer in front of `descriptor`, written whenever `capacity` bytes (at least 1) are pending.
    init(descriptor: Int32 = STDOUT_FILENO, capacity: Int = 1 << 16) {
        self.descriptor = descriptor; self.capacity = Swift.max(1, capacity)
        pending.reserveCapacity(self.capacity)
    }

    /// True once a write has failed (later text is dropped).
    var failed: Bool { errorNumber != nil }

    /// Appends `string`; writes the pending bytes once they reach `capacity`.
    func write(_ string: String) {
        guard errorNumber == nil else { return }
        pending.append(contentsOf: string.utf8)
        if pending.count >= capacity { flush() }
    }

    /// Writes every pending byte; false when this or an earlier write failed.
    @discardableResult
    func flush() -> Bool {
        guard errorNumber == nil else { pending.removeAll(keepingCapacity: true); return false }
        let failure = pending.withUnsafeBytes { StandardStreams.writeAll($0, to: descriptor) }
        pending.removeAll(keepingCapacity: true)
        if failure != 0 { errorNumber = failure }
        return failure == 0
    }

    /// Flushes, then throws an `OutputWriteError` naming `what` ("the report") when any write failed.
    func finish(writing what: String) throws {
        flush()
        if let errorNumber { throw OutputWriteError(writing: what, errorNumber: errorNumber) }
    }
}
