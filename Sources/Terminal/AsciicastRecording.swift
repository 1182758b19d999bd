// An asciicast v2 file written from a thread of its own: `append` (called by the output relay, never by the key
// path) only queues bytes; the writer thread encodes and writes them. The queue is bounded: when the disk falls
// `limitBytes` behind, the recording stops there (the file keeps every whole line written so far) and `problem`
// says so, for the status line; nothing ever waits for the disk except `finish`, once, at the end.
// Units: time in microseconds on the monotonic clock; sizes in cells; limits in bytes.
import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A recording in progress, written to an open file descriptor (which it closes in `finish`).
public final class AsciicastRecording: Sendable {
    private struct Chunk { var bytes: [UInt8]; var microseconds: Int; var width: Int; var height: Int }
    private struct Queue {
        var chunks: [Chunk] = []
        var bytes = 0
        var finishing = false
        var stopped = false
        var problem: String?
    }

    /// Most bytes waiting for the disk before the recording stops (default 16 MiB: minutes of full repaints).
    public let limitBytes: Int
    private let fileDescriptor: Int32
    private let startMicroseconds: Int
    private let queue = Mutex(Queue())
    private let available = DispatchSemaphore(value: 0)
    private let writerDone = DispatchSemaphore(value: 0)
    private let onProblem: @Sendable () -> Void

    /// Starts a recording: writes `header` (a line from `AsciicastEncoder.header`) to `fileDescriptor` on the writer
    /// thread; times are measured from `startMicroseconds`, the first size is `width` x `height`. `onProblem` is
    /// called (from any thread) when the recording stops early, so the run loop wakes and shows `problem`.
    public init(fileDescriptor: Int32, header: String, startMicroseconds: Int, width: Int, height: Int,
                limitBytes: Int = 16 << 20, onProblem: @escaping @Sendable () -> Void = {}) {
        self.fileDescriptor = fileDescriptor
        self.startMicroseconds = startMicroseconds
        self.limitBytes = limitBytes
        self.onProblem = onProblem
        let thread = Thread { [self] in self.writeLoop(header: header, width: width, height: height) }
        thread.start()
    }

    /// Why the recording stopped early (disk too slow, write failed), nil while it is whole.
    public var problem: String? { queue.withLock { $0.problem } }

    /// Queues `bytes` written to the terminal at `microseconds` while it was `width` x `height`. Never blocks on
    /// the disk: past `limitBytes` waiting, the recording stops and this returns at once from then on.
    public func append(_ bytes: [UInt8], microseconds: Int, width: Int, height: Int) {
        var stoppedNow = false
        queue.withLock { state in
            guard !state.stopped, !state.finishing else { return }
            if state.bytes + bytes.count > limitBytes {
                state.stopped = true
                stoppedNow = true
                let seconds = AsciicastEncoder.seconds(microseconds - startMicroseconds)
                state.problem = "recording stopped at \(seconds.prefix(while: { $0 != "." })) s: the disk is too slow "
                    + "(\(state.bytes >> 10) KiB waiting)"
                return
            }
            state.chunks.append(Chunk(bytes: bytes, microseconds: microseconds, width: width, height: height))
            state.bytes += bytes.count
        }
        if stoppedNow { onProblem() } else { available.signal() }
    }

    /// Writes what is queued, closes the file and returns `problem` (nil: the recording is complete). Waits at
    /// most `timeoutMilliseconds` for the disk; past that the file ends at the last whole line written.
    public func finish(timeoutMilliseconds: Int = 5000) -> String? {
        queue.withLock { $0.finishing = true }
        available.signal()
        if writerDone.wait(timeout: .now() + .milliseconds(timeoutMilliseconds)) == .timedOut {
            queue.withLock { state in
                if state.problem == nil { state.problem = "recording incomplete: the disk did not take the last \(state.bytes >> 10) KiB in time" }
            }
        }
        return problem
    }

    /// The writer thread: header, then every queued chunk as events, until `finish`.
    private func writeLoop(header: String, width: Int, height: Int) {
        var encoder = AsciicastEncoder()
        var size = (width: width, height: height)
        var lastMicroseconds = 0
        var failed = !write(line: header)
        while true {
            available.wait()
            let (chunks, finishing): ([Chunk], Bool) = queue.withLock { state in
                defer { state.chunks.removeAll(); state.bytes = 0 }
                return (state.chunks, state.finishing)
            }
            var text = ""
            for chunk in chunks where !failed {
                let time = chunk.microseconds - startMicroseconds
                lastMicroseconds = time
                if (chunk.width, chunk.height) != size, chunk.width > 0, chunk.height > 0 {
                    size = (chunk.width, chunk.height)
                    text += AsciicastEncoder.resize(width: size.width, height: size.height, microseconds: time) + "\n"
                }
                if let line = encoder.output(chunk.bytes, microseconds: time) { text += line + "\n" }
            }
            if finishing, !failed, let line = encoder.finish(microseconds: lastMicroseconds) { text += line + "\n" }
            if !text.isEmpty, !failed, !write(text: text) { failed = true }
            if finishing { break }
        }
        _ = close(fileDescriptor)
        writerDone.signal()
    }

    /// Writes `line` and a newline; false (and `problem` set) when the file would not take it.
    private func write(line: String) -> Bool { write(text: line + "\n") }

    /// Writes all of `text`; false (and `problem` set) when the file would not take it.
    private func write(text: String) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fileDescriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 {
                let reason = String(cString: strerror(written < 0 ? errno : EIO))
                queue.withLock { state in
                    state.stopped = true
                    if state.problem == nil { state.problem = "recording stopped: could not write the file (\(reason))" }
                }
                onProblem()
                return false
            }
            offset += written
        }
        return true
    }
}
