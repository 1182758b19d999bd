// asciicast v2 (docs.asciinema.org/manual/asciicast/v2): a header line (one JSON object), then one event per line,
// [seconds, "o", text] for bytes written to the terminal and [seconds, "r", "WxH"] for a resize. Event text must be
// valid UTF-8: a multi-byte sequence split across two writes is held back until its end arrives, bytes that can
// never be UTF-8 become U+FFFD. Pure: bytes in, lines out (no newline at the end of a line).
// Units: time in microseconds since the recording started (written as seconds with 6 decimals); sizes in cells.

/// Turns terminal output into asciicast v2 lines. Holds at most 3 bytes back (an incomplete UTF-8 sequence).
public struct AsciicastEncoder: Sendable {
    /// The bytes of an incomplete UTF-8 sequence at the end of the last output, waiting for the rest.
    public private(set) var heldBack: [UInt8] = []

    /// An encoder with nothing held back.
    public init() {}

    /// The header line: size in cells, start as Unix seconds, a title, the environment (TERM, SHELL) and the
    /// player's colours (`foreground`, `background`, the 16 ANSI colours of `palette`) as asciicast's "theme".
    public static func header(width: Int, height: Int, unixSeconds: Int, title: String, environment: [String: String],
                              foreground: RGBColor, background: RGBColor, palette: [RGBColor]) -> String {
        let environmentFields = environment.keys.sorted().map { "\(jsonString($0)): \(jsonString(environment[$0]!))" }
        let colours = palette.prefix(16).map(\.description).joined(separator: ":")
        return "{\"version\": 2, \"width\": \(width), \"height\": \(height), \"timestamp\": \(unixSeconds), "
            + "\"title\": \(jsonString(title)), \"env\": {\(environmentFields.joined(separator: ", "))}, "
            + "\"theme\": {\"fg\": \"\(foreground)\", \"bg\": \"\(background)\", \"palette\": \"\(colours)\"}}"
    }

    /// The "o" event for `bytes` written at `microseconds`; nil when every byte is held back (or there are none).
    public mutating func output<Bytes: Collection<UInt8>>(_ bytes: Bytes, microseconds: Int) -> String? {
        var data = heldBack
        data.append(contentsOf: bytes)
        let complete = Self.completePrefixLength(data)
        heldBack = Array(data[complete...])
        guard complete > 0 else { return nil }
        let text = String(decoding: data[..<complete], as: UTF8.self)
        return "[\(Self.seconds(microseconds)), \"o\", \(Self.jsonString(text))]"
    }

    /// The bytes still held back as an "o" event (each becomes U+FFFD: the sequence never ended); nil when none.
    public mutating func finish(microseconds: Int) -> String? {
        guard !heldBack.isEmpty else { return nil }
        let text = String(decoding: heldBack, as: UTF8.self)
        heldBack = []
        return "[\(Self.seconds(microseconds)), \"o\", \(Self.jsonString(text))]"
    }

    /// The "r" event: the terminal is now `width` x `height` cells.
    public static func resize(width: Int, height: Int, microseconds: Int) -> String {
        "[\(seconds(microseconds)), \"r\", \"\(width)x\(height)\"]"
    }

    /// How many leading bytes of `data` can be decoded now: all of them, except a trailing lead byte whose
    /// sequence is not complete yet (with the continuation bytes that follow it, at most 3 bytes in all).
    static func completePrefixLength(_ data: [UInt8]) -> Int {
        let count = data.count
        var index = count - 1
        // The last byte that is not a continuation byte (10xxxxxx), looking back at most 3 bytes.
        while index >= 0 && index >= count - 3 && data[index] & 0xC0 == 0x80 { index -= 1 }
        guard index >= 0 && index >= count - 3 else { return count }
        let lead = data[index]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return count  // ASCII, or a byte that never starts a sequence: decoded (as U+FFFD) now
        }
        return count - index < length ? index : count
    }

    /// `microseconds` as seconds with 6 decimals ("12.000340").
    static func seconds(_ microseconds: Int) -> String {
        let value = max(0, microseconds)
        let fraction = String(value % 1_000_000)
        return "\(value / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// `text` as a JSON string: quote, backslash and every control character (C0 and DEL) escaped; the rest as
    /// UTF-8 as it stands.
    public static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
