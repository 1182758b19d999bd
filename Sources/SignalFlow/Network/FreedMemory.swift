// Handing freed heap memory back to the system. glibc keeps freed small and medium blocks in its arenas, so a
// process that once held a big run keeps its RSS; malloc_trim returns every whole free page of every arena's bins.
// It does not shrink a thread arena's top chunk, and glibc's dynamic thresholds make that top chunk large: after
// a big mmapped buffer is freed, glibc raises its mmap threshold to that size (up to 32 MiB) and its trim
// threshold to twice that, so later buffers come from the arenas and up to 64 MiB of free top per arena stays
// resident (measured: RSS back at the live view's default scenario 137-140 MiB after one wide run, against 119
// MiB before it; 120-123 MiB with the thresholds fixed). `fixThresholds` keeps glibc's initial thresholds for good.
// Looked up at run time: absent on other C libraries (a no-op).
#if canImport(Glibc)
import Glibc
#endif

/// Returns the heap's free pages to the system.
public enum FreedMemory {
    private typealias Trim = @convention(c) (Int) -> Int32
    private typealias Option = @convention(c) (Int32, Int32) -> Int32
    /// mallopt's parameter numbers (glibc malloc.h).
    private static let trimThresholdParameter: Int32 = -1, mmapThresholdParameter: Int32 = -3
    /// glibc's initial (and default) mmap and trim thresholds: 128 KiB.
    public static let fixedThresholdBytes: Int32 = 128 * 1024

    /// glibc's malloc_trim, when the C library has it.
    private static let trim: Trim? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(dlopen(nil, RTLD_LAZY), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Trim.self)
        #else
        return nil
        #endif
    }()

    /// glibc's mallopt, when the C library has it.
    private static let option: Option? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(dlopen(nil, RTLD_LAZY), "mallopt") else { return nil }
        return unsafeBitCast(symbol, to: Option.self)
        #else
        return nil
        #endif
    }()

    /// Fixes glibc's mmap and trim thresholds at `fixedThresholdBytes` (setting them turns off their dynamic
    /// growth): blocks of 128 KiB or more are mapped and unmapped on their own, and an arena's free top beyond
    /// 128 KiB goes back on free. Call once at start, before big allocations. True when both were set.
    @discardableResult
    public static func fixThresholds() -> Bool {
        guard let option else { return false }
        return option(mmapThresholdParameter, fixedThresholdBytes) == 1
            && option(trimThresholdParameter, fixedThresholdBytes) == 1
    }

    /// Gives every free page of the heap back to the system (malloc_trim(0)); true when some memory was
    /// released. Costs a walk of the free lists: call it after releasing big buffers, not per layer.
    @discardableResult
    public static func returnToSystem() -> Bool {
        guard let trim else { return false }
        return trim(0) == 1
    }
}
