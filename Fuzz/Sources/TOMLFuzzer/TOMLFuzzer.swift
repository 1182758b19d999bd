// Fuzz target: bytes -> TOMLKit (toml++ 3.x) with no pre-check, to find the inputs that crash the library: its
// TOML_ASSERT_ASSUME checks abort with assertions on (this build) and are undefined behaviour in release builds.
// Theme files never reach it unchecked: every class found here must be refused by TOMLSubsetCheck (regression
// tests in ThemeTOMLCrashTests). Classes already found are skipped so that a run finds new ones.
// Run by `make fuzz-explore` (keeps going after crashes and collects them); not part of `make fuzz`.
import FuzzSupport
import TOMLKit

/// A byte that may start a bare key or a quoted key.
func startsKey(_ c: UInt8) -> Bool {
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        || c == 0x22 || c == 0x27
}

/// True when `bytes` contains a crash class found before (see ThemeTOMLCrashTests for each with its input).
func hasKnownCrashClass(_ bytes: [UInt8]) -> Bool {
    let blank: Set<UInt8> = [0x20, 0x09]
    var lineStart = true
    var previousNonBlank: UInt8? = nil
    for (index, c) in bytes.enumerated() {
        // 1. "[" or "[[" opening a table header at the start of a line, then a byte that cannot start a key
        //    (toml++ parse_key: `is_bare_key_character(*cp) || is_string_delimiter(*cp)`), e.g. "[*", "[=", "[é".
        if lineStart && c == UInt8(ascii: "[") {
            var next = index + 1
            while next < bytes.count, blank.contains(bytes[next]) { next += 1 }
            if next < bytes.count, bytes[next] == UInt8(ascii: "[") { next += 1 }
            while next < bytes.count, blank.contains(bytes[next]) { next += 1 }
            if next < bytes.count, bytes[next] != UInt8(ascii: "]"), !startsKey(bytes[next]) { return true }
        }
        // 2. "}" where an array value belongs: "a = [}]", "a = [1, }]".
        if c == UInt8(ascii: "}"), previousNonBlank == UInt8(ascii: "[") || previousNonBlank == UInt8(ascii: ",") {
            return true
        }
        // 3. A date, then "T", "t" or " ", then no digit (toml++ parse_time: `is_decimal_digit(*cp)`),
        //    e.g. "a = 1979-05-22Tx".
        if index >= 10, c == UInt8(ascii: "T") || c == UInt8(ascii: "t") || c == 0x20,
           bytes[index - 3] == UInt8(ascii: "-"), bytes[index - 6] == UInt8(ascii: "-"),
           index + 1 >= bytes.count || !(0x30...0x39).contains(bytes[index + 1]) {
            return true
        }
        if c == 0x0A { lineStart = true } else if !blank.contains(c) && !(index < 3 && c >= 0xBB) { lineStart = false }
        if !blank.contains(c) && c != 0x0A && c != 0x0D { previousNonBlank = c }
    }
    return false
}

@_cdecl("LLVMFuzzerTestOneInput")
public func tomlFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzBytes(data: data, size: size).bytes
    guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self), !hasKnownCrashClass(bytes) else {
        return 0
    }
    _ = try? TOMLTable(string: text)
    return 0
}
