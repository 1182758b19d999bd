// Reading structured values out of a fuzzer's byte string: the fuzzer mutates bytes, targets read what they need.

/// A cursor over the fuzzer's input that hands out integers, choices and byte runs; past the end it gives zeros.
public struct FuzzBytes {
    /// The whole input.
    public let bytes: [UInt8]
    /// Index of the next unread byte.
    public private(set) var position = 0

    /// A cursor at the start of `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// A cursor over the `size` bytes libFuzzer passes at `data`.
    public init(data: UnsafePointer<UInt8>?, size: Int) {
        self.init(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    }

    /// True once every byte has been read.
    public var isAtEnd: Bool { position >= bytes.count }

    /// The next byte (0 past the end).
    public mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// An integer in 0..<bound read from one or two bytes (bound >= 1).
    public mutating func below(_ bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let raw = bound <= 256 ? Int(byte()) : Int(byte()) << 8 | Int(byte())
        return raw % bound
    }

    /// The next `count` bytes (fewer at the end).
    public mutating func take(_ count: Int) -> [UInt8] {
        let end = min(bytes.count, position + max(0, count))
        defer { position = end }
        return Array(bytes[position..<end])
    }

    /// Everything not read yet.
    public mutating func rest() -> [UInt8] { take(bytes.count - position) }
}

/// Stops the fuzzer with a message when a property does not hold (libFuzzer records the input as a crash).
public func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                      file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError("property violated: \(message())", file: file, line: line) }
}

/// True when `text` has no control characters (C0, DEL, C1): printed, it is one line that cannot drive a terminal.
public func isPrintableLine(_ text: String) -> Bool {
    !text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
}
