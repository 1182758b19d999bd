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

@Test func aMediumBlockIsMappedOnItsOwnEvenAfterABigOneWasFreed() throws {
    #expect(FreedMemory.fixThresholds())
    // Freeing an 8 MiB mapped block would raise glibc's dynamic mmap threshold to 8 MiB (and its trim threshold
    // to 16 MiB): the next 1 MiB block would then come from an arena and stay resident after its free.
    let big = try #require(malloc(8 << 20))
    memset(big, 1, 8 << 20)
    free(big)
    let medium = try #require(malloc(1 << 20))
    defer { free(medium) }
    #expect(isMappedOnItsOwn(medium))
    // A small block still comes from an arena (the check above can tell the two apart).
    let small = try #require(malloc(64 << 10))
    defer { free(small) }
    #expect(!isMappedOnItsOwn(small))
}
#endif
