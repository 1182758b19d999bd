// Checks the shipped engine keeps. It is compiled with -Ounchecked (README, "-Ounchecked"), which drops every
// `precondition` and lets the optimizer assume that it holds: a violated shape check before a raw-pointer loop or a
// BLAS call then writes past a buffer, and glibc aborts later, elsewhere. `Invariant.require` stops the program with
// its message in every build. One comparison per call: for the entry of a kernel, never inside its loops.
// `scripts/check-engine-invariants.sh` fails when the engine's sources use `precondition` or
// `preconditionFailure`.

/// Checks that hold in every build of the engine, -Ounchecked included.
enum Invariant {
    /// Stops the program with `message` (and the caller's file and line) unless `condition` holds, in every build.
    @inline(__always)
    static func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                        file: StaticString = #fileID, line: UInt = #line) {
        if !condition() { fail(message(), file: file, line: line) }
    }

    /// Stops the program with `message` in every build (`preconditionFailure` is assumed unreachable by
    /// -Ounchecked); out of line, so that the checks stay small at their call sites.
    @inline(never)
    static func fail(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
        fatalError(message, file: file, line: line)
    }
}
