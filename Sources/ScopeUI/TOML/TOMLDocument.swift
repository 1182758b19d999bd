// The TOML front end shared by theme and lecture files: bytes checked (size, NUL, UTF-8, byte-order mark), the
// subset recognised (TOMLSubsetCheck) before TOMLKit parses, and the line of every key, per section, for located
// one-line messages. Pure: text in, table or FileError out; never traps.
// Legend: lines are 1-based; a section is the top level, a `[name]` table or one `[[name]]` table of an array.
import Foundation
import TOMLKit

/// Parses theme and lecture files (the TOML subset) into TOMLKit tables.
public enum TOMLDocument {
    /// Largest file accepted, in bytes.
    public static let maximumFileBytes = 64 * 1024

    /// The text of a file's bytes, or why it is not one: over `maximumFileBytes`, NUL bytes, invalid UTF-8.
    static func text(bytes: [UInt8], file: String) -> Result<String, FileError> {
        guard bytes.count <= maximumFileBytes else {
            return .failure(FileError(file: file, problem: "file is \(bytes.count) bytes, over the \(maximumFileBytes)-byte limit"))
        }
        guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(FileError(file: file, problem: "not a text file (NUL bytes or invalid UTF-8)"))
        }
        return .success(text)
    }

    /// `rawText` without a UTF-8 byte-order mark (some Windows editors write one), or why it is no file of ours:
    /// over `maximumFileBytes`, NUL bytes.
    static func checkedText(_ rawText: String, file: String) -> Result<String, FileError> {
        let text = rawText.hasPrefix("\u{FEFF}") ? String(rawText.dropFirst()) : rawText
        guard text.utf8.count <= maximumFileBytes else {
            return .failure(FileError(file: file, problem: "file is over the \(maximumFileBytes)-byte limit"))
        }
        guard !text.utf8.contains(0) else { return .failure(FileError(file: file, problem: "not a text file (NUL bytes)")) }
        return .success(text)
    }

    /// The table of `text` (already `checkedText`): the subset check first (toml++ must never see what crashes it),
    /// then TOMLKit; a syntax problem names its line and the key written there.
    static func table(_ text: String, file: String) -> Result<TOMLTable, FileError> {
        if let problem = TOMLSubsetCheck.firstProblem(in: text) {
            return .failure(FileError(file: file, line: problem.line, key: keyOnLine(problem.line, of: text),
                                      problem: "TOML syntax: \(problem.text)"))
        }
        do {
            return .success(try TOMLTable(string: text))
        } catch let error as TOMLParseError {
            return .failure(FileError(file: file, line: error.source.begin.line, key: keyOnLine(error.source.begin.line, of: text),
                                      problem: "TOML syntax: \(error.description)"))
        } catch {
            return .failure(FileError(file: file, problem: "TOML syntax: \(error)"))
        }
    }

    /// One section of a file: its header (nil for the top level), whether it is a `[[name]]` table, the header's
    /// line, and the line of each key written in it.
    struct Section: Equatable {
        var name: String?
        var isArrayTable: Bool
        var line: Int
        var keyLines: [String: Int]
    }

    /// The sections of `text` in order, the top level first, each with the first line of every `key = ` written in
    /// it (plain or quoted keys at the start of a line; continuation lines of arrays are no keys).
    static func sections(in text: String) -> [Section] {
        var sections = [Section(name: nil, isArrayTable: false, line: 1, keyLines: [:])]
        var number = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            let rest = line.drop(while: { $0 == " " || $0 == "\t" })
            if rest.hasPrefix("[") {
                let array = rest.hasPrefix("[[")
                let inner = rest.dropFirst(array ? 2 : 1).prefix(while: { $0 != "]" })
                sections.append(Section(name: inner.trimmingCharacters(in: .whitespaces), isArrayTable: array, line: number, keyLines: [:]))
                continue
            }
            if let key = keyWritten(on: rest), sections[sections.count - 1].keyLines[key] == nil {
                sections[sections.count - 1].keyLines[key] = number
            }
        }
        return sections
    }

    /// The key a `key = value` line (leading blanks dropped) starts with, plain or quoted; nil for other lines.
    static func keyWritten(on rest: Substring) -> String? {
        let key: Substring, after: Substring
        if let quote = rest.first, quote == "\"" || quote == "'" {
            let body = rest.dropFirst()
            guard let close = body.firstIndex(of: quote) else { return nil }
            key = body[..<close]; after = body[body.index(after: close)...]
        } else {
            key = rest.prefix(while: { $0 != " " && $0 != "\t" && $0 != "=" })
            after = rest.dropFirst(key.count)
        }
        guard !key.isEmpty, after.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("=") else { return nil }
        return String(key)
    }

    /// 1-based line of the first `key = ` line for every key written at the start of a line (plain or quoted),
    /// whatever its section, in one pass over the text.
    static func linesOfKeys(in text: String) -> [String: Int] {
        var lines: [String: Int] = [:]
        var number = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            if let key = keyWritten(on: line.drop(while: { $0 == " " || $0 == "\t" })), lines[key] == nil { lines[key] = number }
        }
        return lines
    }

    /// The bare key written at the start of a line, if the line looks like `key = ...`.
    static func keyOnLine(_ lineNumber: Int, of text: String) -> String? {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        guard lineNumber >= 1, lineNumber <= lines.count else { return nil }
        let line = lines[lineNumber - 1].drop(while: { $0 == " " || $0 == "\t" })
        let key = line.prefix(while: { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        guard !key.isEmpty, line.dropFirst(key.count).drop(while: { $0 == " " }).hasPrefix("=") else { return nil }
        return String(key)
    }
}
