// Text from the user (flag values, names) quoted in one-line messages: control characters must not reach stderr.

/// Makes outside text safe to quote in a one-line message.
public enum PrintableText {
    /// `text` with every control character (C0 including newline and carriage return, DEL, C1) replaced by "?",
    /// cut to `limit` characters with "...": printed, it stays on one line and cannot drive the terminal.
    public static func quoted(_ text: String, limit: Int = 200) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            scalars.append(value < 0x20 || (0x7F...0x9F).contains(value) ? "?" : scalar)
        }
        let clean = String(scalars)
        return clean.count > limit ? String(clean.prefix(limit)) + "..." : clean
    }
}
