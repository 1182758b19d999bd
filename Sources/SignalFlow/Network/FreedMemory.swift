// Handing freed heap memory back to the system. glibc keeps freed small and medium blocks in its arenas (and
// raises its mmap threshold after large frees), so a process that once held a big run keeps its RSS; malloc_trim
// returns every whole free page of every arena. Looked up at run time: absent on other C libraries (a no-op).
#if canImport(Glibc)
import Glibc
#endif

/// Returns the heap's free pages to the system.
public enum FreedMemory {
    private typealias Trim = @convention(c) (Int) -> Int32

    /// glibc's malloc_trim, when the C library has it.
    private static let trim: Trim? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(dlopen(nil, RTLD_LAZY), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Trim.self)
        #else
        return nil
        #endif
    }()

    /// Gives every free page of the heap back to the system (malloc_trim(0)); true when some memory was
    /// released. Costs a walk of the free lists: call it after releasing big buffers, not per layer.
    @discardableResult
    public static func returnToSystem() -> Bool {
        guard let trim else { return false }
        return trim(0) == 1
    }
}
