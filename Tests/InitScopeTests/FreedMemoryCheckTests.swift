// glibc's malloc thresholds stay fixed in the shipped program (main calls FreedMemory.fixThresholds): a 24 MiB
// block allocated after a 28 MiB one was freed is still mapped on its own, so freeing it gives its pages back.
// Checked in a process of its own (`initscope freed-memory-check`): in this parallel test process another test's
// freed block can serve the allocation from an arena, whatever the thresholds.
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// True in a build under AddressSanitizer or ThreadSanitizer (make sanitize): their allocators replace glibc's.
private let underSanitizer = (["__asan_init", "__tsan_init"] as [String]).contains { name in dlsym(dlopen(nil, RTLD_LAZY), name) != nil }

@Test(.enabled(if: !underSanitizer, "glibc's allocator only"))
func aBigBlockFreedAfterABiggerOneGoesBackToTheSystem() throws {
    let result = try InitScopeBinary.run(["freed-memory-check"])
    // Without fixThresholds at start: "bigBlockMappedOnItsOwn=no", exit 1.
    #expect(result.stdoutText == "bigBlockMappedOnItsOwn=yes smallBlockMappedOnItsOwn=no\n", "stderr: \(result.stderr)")
    #expect(result.status == 0)
}
