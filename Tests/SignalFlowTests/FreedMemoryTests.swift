// glibc's thresholds stay fixed: a block of 128 KiB or more is mapped on its own even after a big block was freed,
// so freeing it gives its pages back (RSS at a small scenario after a big run is what that scenario holds).
#if canImport(Glibc)
import Glibc
import Testing
@testable import SignalFlow

/// glibc's malloc_usable_size (bytes).
private let usableSize = unsafeBitCast(dlsym(dlopen(nil, RTLD_LAZY), "malloc_usable_size"),
                                       to: (@convention(c) (UnsafeMutableRawPointer?) -> Int).self)

/// True when glibc gave `block` its own mapping: a mapped chunk is whole pages with a 16-byte header, so its usable
/// size plus 16 is a multiple of the page; an arena chunk of n bytes has n rounded up to 16, plus 8, usable.
private func isMappedOnItsOwn(_ block: UnsafeMutableRawPointer) -> Bool {
    (usableSize(block) + 16) % Int(getpagesize()) == 0
}

@Test func aBigBlockIsMappedOnItsOwnEvenAfterABiggerOneWasFreed() throws {
    #expect(FreedMemory.fixThresholds())
    // Freeing a 28 MiB mapped block would raise glibc's dynamic mmap threshold to 28 MiB (and its trim threshold
    // to 56 MiB): the next 24 MiB block would then come from an arena and stay resident after its free. The sizes
    // are above any free chunk the test process's arenas hold (malloc maps only what its bins and top cannot serve).
    let bigger = try #require(malloc(28 << 20))
    memset(bigger, 1, 28 << 20)
    free(bigger)
    let big = try #require(malloc(24 << 20))
    defer { free(big) }
    #expect(isMappedOnItsOwn(big))
    // A small block still comes from an arena (the check above can tell the two apart).
    let small = try #require(malloc(64 << 10))
    defer { free(small) }
    #expect(!isMappedOnItsOwn(small))
}
#endif
