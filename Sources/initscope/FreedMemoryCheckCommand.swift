// `initscope freed-memory-check` (hidden): checks, in a process of its own, that main fixed glibc's malloc
// thresholds (FreedMemory.fixThresholds) so a big block freed after a bigger one goes back to the system. A test in
// the parallel test process cannot check this: another test's freed block may serve the allocation from an arena.
// Here nothing else has run: the arenas hold only the command line's small blocks.
import ArgumentParser
import Glibc
import SignalFlow

/// Prints one line `bigBlockMappedOnItsOwn=yes|no smallBlockMappedOnItsOwn=yes|no`; exits 0 when the big block
/// was mapped on its own and the small one was not (1 otherwise). For tests (InitScopeTests/FreedMemoryCheckTests).
struct FreedMemoryCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freed-memory-check",
        abstract: "Check that a freed big block returns to the system (for tests).",
        shouldDisplay: false)

    /// glibc's malloc_usable_size (bytes), looked up at run time.
    private typealias UsableSize = @convention(c) (UnsafeMutableRawPointer?) -> Int
    /// malloc and free through pointers looked up at run time: LLVM removes a direct malloc-memset-free of a block
    /// nobody reads (measured: without this the check passed with the thresholds left dynamic).
    private typealias Allocate = @convention(c) (Int) -> UnsafeMutableRawPointer?
    private typealias Release = @convention(c) (UnsafeMutableRawPointer?) -> Void

    /// True when glibc gave `block` a mapping of its own: a mapped chunk is whole pages with a 16-byte header, so
    /// its usable size plus 16 is a multiple of the page; an arena chunk of n bytes has n rounded up to 16, plus 8.
    private static func isMappedOnItsOwn(_ block: UnsafeMutableRawPointer, usableSize: UsableSize) -> Bool {
        (usableSize(block) + 16) % Int(getpagesize()) == 0
    }

    func run() throws {
        let library = dlopen(nil, RTLD_LAZY)
        guard let usableSymbol = dlsym(library, "malloc_usable_size"), let mallocSymbol = dlsym(library, "malloc"),
              let freeSymbol = dlsym(library, "free") else {
            StandardStreams.writeErrorLine("initscope: freed-memory-check needs glibc (no malloc_usable_size)")
            throw ExitCode(ExitStatus.internalError)
        }
        let usableSize = unsafeBitCast(usableSymbol, to: UsableSize.self)
        let allocate = unsafeBitCast(mallocSymbol, to: Allocate.self), release = unsafeBitCast(freeSymbol, to: Release.self)
        // Freeing a 28 MiB mapped block raises glibc's dynamic mmap threshold to 28 MiB (and its trim threshold to
        // 56 MiB) unless the thresholds were fixed: the next 24 MiB block then comes from the main arena and its
        // pages stay resident after free.
        guard let bigger = allocate(28 << 20) else { throw ExitCode(ExitStatus.internalError) }
        memset(bigger, 1, 28 << 20)
        release(bigger)
        guard let big = allocate(24 << 20) else { throw ExitCode(ExitStatus.internalError) }
        let bigMapped = Self.isMappedOnItsOwn(big, usableSize: usableSize)
        release(big)
        // A small block comes from an arena either way (the check can tell the two apart).
        guard let small = allocate(64 << 10) else { throw ExitCode(ExitStatus.internalError) }
        let smallMapped = Self.isMappedOnItsOwn(small, usableSize: usableSize)
        release(small)
        let line = "bigBlockMappedOnItsOwn=\(bigMapped ? "yes" : "no") smallBlockMappedOnItsOwn=\(smallMapped ? "yes" : "no")\n"
        let failure = Array(line.utf8).withUnsafeBytes { StandardStreams.writeAll($0, to: STDOUT_FILENO) }
        if failure != 0 { throw OutputWriteError(writing: "the check", errorNumber: failure) }
        if !bigMapped || smallMapped { throw ExitCode(1) }
    }
}
